package login

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/onboarding"
	"github.com/lpdesk/lpdesk/store"
)

// presetList names the presets in the help text.
var presetList = strings.Join(onboarding.PresetIDs(), ", ")

// stdinName is the file name that means standard input.
const stdinName = "-"

func addProviderFlags(cmd *cobra.Command, opts *Options) {
	fl := cmd.Flags()
	fl.StringVar(&opts.Provider, "provider", "", "another OAuth 1.0a provider: a preset `ID` ("+presetList+")")
	fl.StringVar(&opts.BaseURL, "base-url", "", "the provider's API base `URL` (custom, jira, magento); `lpdesk api` paths resolve against it")
	fl.StringVar(&opts.AppKey, "app-key", "", "the application's consumer `KEY` (another provider, or an application of your own)")
	fl.StringVar(&opts.AppSecretFile, "app-secret-file", "", "read the application's consumer secret from `FILE` (- for stdin); kept in the OS keyring")
	fl.StringVar(&opts.AppPrivateKey, "app-private-key", "", "read the application's RSA private key from `PEMFILE` (PKCS#1 or PKCS#8; - for stdin); kept in the OS keyring")
	fl.StringVar(&opts.SignatureMethod, "signature-method", "", "`METHOD`: "+methodNames()+" (default: the preset's, else HMAC-SHA1; RSA-SHA1 with --app-private-key)")
	fl.StringVar(&opts.Realm, "realm", "", "send `REALM` as the Authorization header's realm")
	fl.BoolVar(&opts.BodyHash, "body-hash", false, "add oauth_body_hash to requests with non-form bodies")
	fl.StringVar(&opts.Token, "token", "", "an access `TOKEN` already issued (with --token-secret-file): save it without the OAuth flow")
	fl.StringVar(&opts.TokenSecretFile, "token-secret-file", "", "read the access token's secret from `FILE` (- for stdin)")
	fl.StringArrayVar(&opts.AuthorizeParams, "authorize-param", nil, "add `NAME=VALUE` to the authorize URL (repeatable), e.g. scope=read,write")
	fl.IntVar(&opts.CallbackPort, "callback-port", 0, "open the loopback callback on this `PORT` (providers that accept only a registered callback URL)")
	fl.StringVar(&opts.CheckURL, "check-url", "", "`URL` whose signed GET proves the token before it is saved")
	_ = cmd.RegisterFlagCompletionFunc("provider", cobra.FixedCompletions(onboarding.PresetIDs(), cobra.ShellCompDirectiveNoFileComp))
	methods := make([]string, len(oauthsig.Methods))
	for i, m := range oauthsig.Methods {
		methods[i] = string(m)
	}
	_ = cmd.RegisterFlagCompletionFunc("signature-method", cobra.FixedCompletions(methods, cobra.ShellCompDirectiveNoFileComp))
	for _, name := range []string{"base-url", "app-key", "token", "realm", "check-url", "authorize-param", "callback-port"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
}

func methodNames() string {
	names := make([]string, len(oauthsig.Methods))
	for i, m := range oauthsig.Methods {
		names[i] = string(m)
	}
	return strings.Join(names, "|")
}

// check refuses flag combinations that cannot work, saying what to do.
func (o *Options) check() error {
	flow := o.OOB || o.NoBrowser || o.RequestTokenURL != "" || o.AuthorizeURL != "" || o.AccessTokenURL != "" ||
		len(o.AuthorizeParams) > 0 || o.CallbackPort != 0
	if o.Provider == "" {
		if o.Server == "" || o.Account == "" {
			return cmdutil.FlagErrorf("--server and --account are required (or --provider for another OAuth 1.0a provider)")
		}
		if o.BaseURL != "" {
			return cmdutil.FlagErrorf("--base-url is for --provider; the platform's base URL is found from --server and --account")
		}
	} else {
		if _, err := onboarding.LookupPreset(o.Provider); err != nil {
			return cmdutil.FlagErrorf("--provider: %v", err)
		}
		if o.Server != "" {
			return cmdutil.FlagErrorf("--server is for the LivePerson-style platform; with --provider give --base-url")
		}
		if o.Code {
			return cmdutil.FlagErrorf("--code is the platform's verification code; with --provider use --token and --token-secret-file")
		}
		if o.AppKey == "" {
			return cmdutil.FlagErrorf("--provider needs the application's consumer key (--app-key) and its secret (--app-secret-file) or private key (--app-private-key)")
		}
	}
	if o.Code && flow {
		return cmdutil.FlagErrorf("--code installs without the OAuth flow: it cannot be combined with --oob, --no-browser, endpoint URLs, --authorize-param or --callback-port")
	}
	if o.AppKey != "" && (o.AppSecretFile == "") == (o.AppPrivateKey == "") {
		return cmdutil.FlagErrorf("--app-key needs exactly one of --app-secret-file (HMAC and PLAINTEXT) or --app-private-key (RSA)")
	}
	if o.AppKey == "" && (o.AppSecretFile != "" || o.AppPrivateKey != "") {
		return cmdutil.FlagErrorf("--app-secret-file and --app-private-key belong to an application: give its --app-key too")
	}
	if o.SignatureMethod != "" {
		if _, err := oauthsig.ParseMethod(o.SignatureMethod); err != nil {
			return cmdutil.FlagErrorf("--signature-method: %v", err)
		}
	}
	if (o.Token == "") != (o.TokenSecretFile == "") {
		return cmdutil.FlagErrorf("--token and --token-secret-file go together: the access token and its secret")
	}
	if o.Token != "" && (flow || o.Code) {
		return cmdutil.FlagErrorf("--token installs a token you already have, without the OAuth flow: it cannot be combined with --code, --oob, --no-browser, endpoint URLs, --authorize-param or --callback-port")
	}
	if o.CallbackPort < 0 || o.CallbackPort > 65535 {
		return cmdutil.FlagErrorf("--callback-port %d: want 1-65535", o.CallbackPort)
	}
	if o.CallbackPort != 0 && o.OOB {
		return cmdutil.FlagErrorf("--callback-port opens the loopback callback, which --oob does without")
	}
	for _, kv := range o.AuthorizeParams {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return cmdutil.FlagErrorf("--authorize-param %q: want NAME=VALUE", kv)
		}
	}
	// stdin carries one thing: a secret, the verification code, or the
	// verifier typed in.
	readers := 0
	for _, f := range []string{o.AppSecretFile, o.AppPrivateKey, o.TokenSecretFile} {
		if f == stdinName {
			readers++
		}
	}
	if readers > 1 {
		return cmdutil.FlagErrorf("only one secret can come from stdin (-): put the others in files")
	}
	if readers == 1 && (o.Code || o.OOB || o.NoBrowser) {
		return cmdutil.FlagErrorf("stdin cannot carry both a secret (-) and the verifier or code typed after it: " +
			"give the secret as a file instead (e.g. --app-secret-file <(pass show app) or a file readable only by you), " +
			"or drop --oob/--no-browser so that the approval comes back to the loopback callback")
	}
	return nil
}

// stdinTaken reports whether a secret is read from stdin, which then
// carries nothing else.
func (o *Options) stdinTaken() bool {
	return o.AppSecretFile == stdinName || o.AppPrivateKey == stdinName || o.TokenSecretFile == stdinName
}

// providerOptions adds the provider, the application and the flow's extras
// to o: a preset fills what the flags leave open, and asks (prompting on a
// terminal) for its base URL or account.
func (opts *Options) providerOptions(o onboarding.Options) (onboarding.Options, error) {
	if opts.SignatureMethod != "" {
		m, err := oauthsig.ParseMethod(opts.SignatureMethod)
		if err != nil {
			return o, err
		}
		o.SignatureMethod = m
	} else if opts.AppPrivateKey != "" {
		o.SignatureMethod = oauthsig.RSASHA1
	}
	if len(opts.AuthorizeParams) > 0 {
		o.AuthorizeParams = url.Values{}
		for _, kv := range opts.AuthorizeParams {
			k, v, _ := strings.Cut(kv, "=")
			o.AuthorizeParams.Add(k, v)
		}
	}
	o.Realm, o.BodyHash, o.CallbackPort, o.CheckURL = opts.Realm, opts.BodyHash, opts.CallbackPort, opts.CheckURL
	if opts.Provider != "" {
		preset, err := onboarding.LookupPreset(opts.Provider)
		if err != nil {
			return o, err
		}
		if preset.ID == onboarding.CustomProvider && opts.AppPrivateKey == "" && opts.SignatureMethod == "" {
			o.SignatureMethod = oauthsig.HMACSHA1
		} else if opts.AppPrivateKey != "" && opts.SignatureMethod == "" && preset.Method.IsRSA() {
			o.SignatureMethod = preset.Method
		}
		a := onboarding.Answers{BaseURL: opts.BaseURL, AccountID: opts.Account}
		if preset.NeedsAsk(onboarding.AskBaseURL) && a.BaseURL == "" {
			if a.BaseURL, err = opts.ask("--base-url", "the provider's base URL (e.g. https://"+preset.ID+".example.com)"); err != nil {
				return o, err
			}
		}
		if preset.NeedsAsk(onboarding.AskAccountID) && a.AccountID == "" {
			if a.AccountID, err = opts.ask("--account", "the "+preset.Title+" account id (e.g. 1234567 or 1234567_SB1)"); err != nil {
				return o, err
			}
		}
		if !preset.NeedsAsk(onboarding.AskAccountID) {
			o.AccountID = ""
		}
		if preset.ID != onboarding.CustomProvider && opts.BaseURL != "" && !preset.NeedsAsk(onboarding.AskBaseURL) {
			o.BaseURL = opts.BaseURL // overrides the preset's API base
		}
		if o, err = preset.Apply(o, a); err != nil {
			return o, err
		}
		if preset.Note != "" {
			fmt.Fprintf(opts.IO.ErrOut, "%s: %s.\n", preset.Title, preset.Note)
		}
	}
	if opts.AppKey != "" {
		o.ConsumerKey = opts.AppKey
		var err error
		if opts.AppPrivateKey != "" {
			if o.PrivateKeyPEM, err = opts.readSecret(opts.AppPrivateKey, "--app-private-key", "the application's private key (PEM)"); err != nil {
				return o, err
			}
		} else if o.ConsumerSecret, err = opts.readSecretString(opts.AppSecretFile, "--app-secret-file", "the application's consumer secret"); err != nil {
			return o, err
		}
	}
	return o, nil
}

// ask reads a value a preset needs from a terminal, or says which flag
// gives it.
func (opts *Options) ask(flag, what string) (string, error) {
	if !opts.IO.InTTY || opts.stdinTaken() {
		return "", fmt.Errorf("%s: give %s", flag, what)
	}
	fmt.Fprintf(opts.IO.ErrOut, "Enter %s (or pass %s): ", what, flag)
	line, err := bufio.NewReader(opts.IO.In).ReadString('\n')
	if v := strings.TrimSpace(line); v != "" {
		return v, nil
	}
	if err == nil {
		err = errors.New("nothing entered")
	}
	return "", fmt.Errorf("%s: %w", flag, err)
}

// maxSecretFile bounds a secret or key file: a PEM key is a few KiB.
const maxSecretFile = 64 << 10

// readSecret reads a secret from name ("-" for stdin). Errors name the
// file and the flag, never the content.
func (opts *Options) readSecret(name, flag, what string) ([]byte, error) {
	var r io.Reader
	if name == stdinName {
		if opts.IO.InTTY {
			fmt.Fprintf(opts.IO.ErrOut, "Paste %s, then press Ctrl-D:\n", what)
		}
		r = opts.IO.In
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flag, err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSecretFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: read %s: %w", flag, what, err)
	}
	if len(b) > maxSecretFile {
		return nil, fmt.Errorf("%s: %s is larger than %d KiB; is it the right file?", flag, what, maxSecretFile>>10)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil, fmt.Errorf("%s: %s is empty", flag, what)
	}
	return b, nil
}

// readSecretString is readSecret for a one-line secret: surrounding white
// space (a file's final newline) is not part of it.
func (opts *Options) readSecretString(name, flag, what string) (string, error) {
	b, err := opts.readSecret(name, flag, what)
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(b))
	if strings.ContainsAny(s, "\r\n") {
		return "", fmt.Errorf("%s: %s spans several lines; give the secret alone", flag, what)
	}
	return s, nil
}

// tokenLogin is the four-values path.
func tokenLogin(ctx context.Context, opts *Options, o onboarding.Options) (store.Profile, error) {
	secret, err := opts.readSecretString(opts.TokenSecretFile, "--token-secret-file", "the access token's secret")
	if err != nil {
		return store.Profile{}, err
	}
	fmt.Fprintln(opts.IO.ErrOut, "Saving the access token you gave…")
	return onboarding.InstallTokens(ctx, o, opts.Token, secret)
}
