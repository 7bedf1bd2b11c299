// Package login is `lpdesk auth login`: authorize lpdesk for an account
// through the browser (loopback callback), a typed verifier (--oob,
// --no-browser), the admin console's verification code (--code) or a token
// and secret already in hand (--token), on the LivePerson-style platform or
// any other OAuth 1.0a provider (--provider), and store the result (token
// secret, and an application's own secret or key, in the OS keyring).
package login

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/cli/auth/shared"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/onboarding"
	"github.com/lpdesk/lpdesk/store"
)

// Options are the parsed flags plus the injected dependencies.
type Options struct {
	cmdutil.ProfileOptions

	Server, Account      string
	OOB, NoBrowser, Code bool
	RequestTokenURL      string
	AuthorizeURL         string
	AccessTokenURL       string
	// InsecureHTTP allows a plain-http server that is not loopback; the
	// profile remembers it and every use warns.
	InsecureHTTP bool

	// Another provider, or an application of the admin's own (see
	// provider.go).
	Provider        string
	BaseURL         string
	AppKey          string
	AppSecretFile   string
	AppPrivateKey   string
	SignatureMethod string
	Realm           string
	BodyHash        bool
	Token           string
	TokenSecretFile string
	AuthorizeParams []string
	CallbackPort    int
	CheckURL        string

	// Browser opens a URL (default onboarding.OpenBrowser).
	Browser func(string) error
	// Onboarding carries test overrides (BaseURL, timeouts, transport);
	// the flags above win over it.
	Onboarding onboarding.Options
}

// NewCmdLogin returns the login command. runF replaces Run in tests that
// only check flag parsing; nil runs the real one.
func NewCmdLogin(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{ProfileOptions: cmdutil.NewProfileOptions(f), Browser: f.Browser}
	cmd := &cobra.Command{
		Use:   "login (--server URL --account ID | --provider ID ...)",
		Short: "Authorize lpdesk for an account (browser, verifier, verification code or token)",
		Long: `Authorize lpdesk for an account and store the result as a profile: the
token secret in the OS keyring, the rest in the profile file.

By default the provider's authorize page opens in the browser and the
approval comes back to a loopback callback; the verification code can be
typed instead while lpdesk waits. --oob and --no-browser print the authorize
URL and read the verifier from stdin. --code installs with the admin
console's verification code (token;tokenSecret) read from stdin, without
the OAuth flow.

Any other OAuth 1.0a provider: --provider with a preset (` + presetList + `)
fills the endpoints, the signature method and the provider's quirks, and
asks for what it needs (--base-url for jira and magento, --account for
netsuite); --provider custom takes --base-url and the three endpoint URLs.
Such a provider needs its application: --app-key with --app-secret-file
(or --app-private-key for RSA-SHA1/RSA-SHA256). The application's secret or
key is kept in the OS keyring, never in the profile file. Secrets are read
from files, or from stdin with "-", never from the command line.

"I already have all four values": --token with --token-secret-file saves
the access token without the OAuth flow (also on the platform, with
--server and --account), checked with one signed GET of --check-url (or
the preset's) when there is one.

The OS keyring is checked before the provider is contacted. The new token is
checked with one signed GET before anything is saved, where lpdesk knows a
resource to GET.`,
		Example: `  # Approve in the browser
  lpdesk auth login --server https://provider.example --account 12345678

  # No browser on this machine: print the URL, type the verifier
  lpdesk auth login --server https://provider.example --account 12345678 --oob

  # The admin console's verification code, stored as profile "work"
  lpdesk auth login --code --server https://provider.example --account 12345678 --profile work < code.txt

  # Jira Data Center with an RSA application link
  lpdesk auth login --provider jira --base-url https://jira.example.com --app-key lpdesk --app-private-key lpdesk.pem

  # Any provider, endpoints typed in, the secret from a password manager
  pass show api/secret | lpdesk auth login --provider custom --base-url https://api.example.com \
    --request-token-url https://api.example.com/oauth/request_token \
    --authorize-url https://api.example.com/oauth/authorize \
    --access-token-url https://api.example.com/oauth/access_token \
    --app-key KEY --app-secret-file - --signature-method HMAC-SHA256

  # Magento: all four values from the integration page
  lpdesk auth login --provider magento --base-url https://shop.example.com --app-key KEY \
    --app-secret-file app.secret --token TOKEN --token-secret-file token.secret`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.check(); err != nil {
				return err
			}
			return cmdutil.RunInterruptible(cmd, opts, runF, Run)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Server, "server", "", "the platform's root `URL`, e.g. https://sandbox.example (required without --provider)")
	fl.StringVar(&opts.Account, "account", "", "account `ID` (required without --provider; netsuite's account id)")
	cmdutil.AddProfileFlag(cmd, f, &opts.Profile, "profile `NAME` (default: the account id, the preset, or the base URL's host)")
	fl.BoolVar(&opts.OOB, "oob", false, "no loopback callback: print the authorize URL, read the verifier from stdin")
	fl.BoolVar(&opts.NoBrowser, "no-browser", false, "do not open a browser: print the authorize URL, read the verifier from stdin (or take the callback)")
	fl.BoolVar(&opts.Code, "code", false, "read the admin console's verification code token;tokenSecret from stdin")
	fl.StringVar(&opts.RequestTokenURL, "request-token-url", "", "request token endpoint (default {server}/oauth/request_token, or the preset's)")
	fl.StringVar(&opts.AuthorizeURL, "authorize-url", "", "authorize page (default {server}/oauth/authorize, or the preset's)")
	fl.StringVar(&opts.AccessTokenURL, "access-token-url", "", "access token endpoint (default {server}/oauth/access_token, or the preset's)")
	shared.InsecureHTTPFlag(fl, &opts.InsecureHTTP)
	addProviderFlags(cmd, opts)
	for _, name := range []string{"server", "account", "request-token-url", "authorize-url", "access-token-url"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	return cmd
}

// Run performs the login described by opts.
func Run(ctx context.Context, opts *Options) error {
	if opts.Browser == nil {
		opts.Browser = onboarding.OpenBrowser
	}
	// Printed before anything goes on the wire, so that it is seen even
	// when the login then fails.
	warnAbout := opts.Server
	if opts.Provider != "" {
		warnAbout = opts.BaseURL
	}
	shared.WarnInsecure(opts.IO.ErrOut, opts.InsecureHTTP, warnAbout)
	st, err := opts.Store()
	if err != nil {
		return err
	}
	// Before anything else: a missing keyring must not cost the admin an
	// approval whose token could not be kept.
	if err := st.CheckKeyring(); err != nil {
		return fmt.Errorf("cannot store the token secret: %w", err)
	}
	o := opts.Onboarding
	o.Store, o.Server, o.AccountID, o.Profile = st, opts.Server, opts.Account, opts.Profile
	o.AllowInsecureHTTP = o.AllowInsecureHTTP || opts.InsecureHTTP
	if opts.RequestTokenURL != "" {
		o.Endpoints.RequestToken = opts.RequestTokenURL
	}
	if opts.AuthorizeURL != "" {
		o.Endpoints.Authorize = opts.AuthorizeURL
	}
	if opts.AccessTokenURL != "" {
		o.Endpoints.AccessToken = opts.AccessTokenURL
	}
	if o, err = opts.providerOptions(o); err != nil {
		return err
	}
	var p store.Profile
	switch {
	case opts.Code:
		p, err = codeLogin(ctx, opts, o)
	case opts.Token != "":
		p, err = tokenLogin(ctx, opts, o)
	default:
		o.OOB = o.OOB || opts.OOB
		p, err = flowLogin(ctx, opts, o)
	}
	if err != nil {
		return err
	}
	printResult(opts.IO, st, p)
	return nil
}

func codeLogin(ctx context.Context, opts *Options, o onboarding.Options) (store.Profile, error) {
	ios := opts.IO
	if ios.InTTY {
		fmt.Fprintln(ios.ErrOut, "Paste the verification code (token;tokenSecret) from the admin console's install action, then press Enter:")
	}
	line, err := bufio.NewReader(ios.In).ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || strings.TrimSpace(line) == "") {
		return store.Profile{}, errors.New("no verification code on stdin (expected token;tokenSecret)")
	}
	if _, _, err := onboarding.ParseCode(line); err != nil {
		return store.Profile{}, err
	}
	fmt.Fprintln(ios.ErrOut, "Checking the code against the account…")
	return onboarding.InstallCode(ctx, o, line)
}

// typed is one line from stdin, or the end of it.
type typed struct {
	line string
	err  error
}

// readLines feeds stdin's lines to a channel until ctx ends. A read
// blocked on a terminal outlives the command; the process exits anyway.
func readLines(ctx context.Context, r io.Reader) <-chan typed {
	ch := make(chan typed)
	send := func(t typed) bool {
		select {
		case ch <- t:
			return true
		case <-ctx.Done():
			return false
		}
	}
	go func() {
		defer close(ch)
		br := bufio.NewReader(r)
		for {
			line, err := br.ReadString('\n')
			if (line != "" || err == nil) && !send(typed{line: line}) {
				return
			}
			if err != nil {
				send(typed{err: err})
				return
			}
		}
	}()
	return ch
}

func flowLogin(ctx context.Context, opts *Options, o onboarding.Options) (store.Profile, error) {
	ios := opts.IO
	ctx, cancel := context.WithCancel(ctx)
	// Cancelling stops the flow (and its listener) on every return path.
	defer cancel()
	flow, err := onboarding.Begin(ctx, o)
	if err != nil {
		return store.Profile{}, err
	}
	defer flow.Close()

	what := "account " + o.AccountID
	if o.Generic() {
		what = flow.Server()
	}
	waitTyped := o.OOB || opts.NoBrowser
	if waitTyped {
		fmt.Fprintf(ios.ErrOut, "Open this URL in a browser and approve lpdesk for %s:\n\n  %s\n\n", what, flow.AuthorizeURL())
	} else {
		fmt.Fprintf(ios.ErrOut, "Opening the browser to approve lpdesk for %s:\n\n  %s\n\n", what, flow.AuthorizeURL())
		if err := opts.Browser(flow.AuthorizeURL()); err != nil {
			fmt.Fprintf(ios.ErrOut, "Could not open a browser (%v); open the URL above yourself.\n", err)
		}
	}
	if o.OOB {
		fmt.Fprintf(ios.ErrOut, "Then type the verification code the provider shows and press Enter (the request expires at %s):\n",
			flow.Expires().Format("15:04"))
	} else if opts.stdinTaken() {
		fmt.Fprintf(ios.ErrOut, "Waiting for the approval in the browser; it expires at %s.\n", flow.Expires().Format("15:04"))
	} else {
		fmt.Fprintf(ios.ErrOut, "Waiting for the approval (or type the verification code and press Enter); it expires at %s.\n",
			flow.Expires().Format("15:04"))
	}

	var lines <-chan typed
	if !opts.stdinTaken() {
		lines = readLines(ctx, ios.In)
	}
	for {
		var verifier string
		fromStdin := false
		select {
		case r := <-flow.Callback():
			printNotices(ios.ErrOut, flow)
			if r.Err != nil {
				return store.Profile{}, r.Err
			}
			verifier = r.Verifier
			fmt.Fprintln(ios.ErrOut, "Approval received.")
		case n := <-flow.Notices():
			// A callback that did not end the wait: possibly forged, so
			// say what came and keep waiting.
			fmt.Fprintln(ios.ErrOut, n)
			continue
		case t, ok := <-lines:
			if !ok || t.err != nil {
				lines = nil
				if o.OOB {
					return store.Profile{}, errors.New("no verification code on stdin")
				}
				// Without --oob the callback can still deliver it.
				continue
			}
			verifier = strings.TrimSpace(t.line)
			if verifier == "" {
				continue
			}
			fromStdin = true
		}
		err := flow.Exchange(ctx, verifier)
		if err == nil {
			break
		}
		retryable := errors.Is(err, onboarding.ErrBadVerifier) || errors.Is(err, onboarding.ErrNotApproved)
		if !retryable || !fromStdin {
			return store.Profile{}, err
		}
		if !ios.InTTY {
			return store.Profile{}, fmt.Errorf("%w (stdin is not a terminal, so lpdesk does not ask again)", err)
		}
		fmt.Fprintf(ios.ErrOut, "%v\nType the verification code again:\n", err)
	}
	fmt.Fprintln(ios.ErrOut, "Checking the new token against the account…")
	return flow.Finish(ctx)
}

// printNotices prints the notices already waiting: they came before the
// result, which select may have picked first.
func printNotices(w io.Writer, flow *onboarding.Flow) {
	for {
		select {
		case n := <-flow.Notices():
			fmt.Fprintln(w, n)
		default:
			return
		}
	}
}

func printResult(ios *cmdutil.IOStreams, st *store.Store, p store.Profile) {
	_, def, _ := st.List()
	mark := ""
	if def == p.Name {
		mark = " (default)"
	}
	if p.Generic() {
		fmt.Fprintf(ios.ErrOut, "Logged in to %s as profile %q.\n", p.Server, p.Name)
	} else {
		fmt.Fprintf(ios.ErrOut, "Logged in to account %s as profile %q.\n", p.AccountID, p.Name)
	}
	if !onboarding.Verified(p) {
		fmt.Fprintln(ios.ErrOut, "The token was saved without a check: lpdesk knows no resource of this provider to GET "+
			"(--check-url URL adds one); the first `lpdesk api` call will tell whether it works.")
	}
	fmt.Fprintf(ios.Out, "profile:      %s%s\n", p.Name, mark)
	if !p.Generic() {
		fmt.Fprintf(ios.Out, "account:      %s\n", p.AccountID)
	}
	shared.PrintProvider(ios.Out, st, p)
	fmt.Fprintf(ios.Out, "server:       %s\n", p.Server)
	fmt.Fprintf(ios.Out, "base URL:     %s\n", p.BaseURL)
	shared.PrintServices(ios.Out, p.Services)
	fmt.Fprintf(ios.Out, "token:        %s\n", store.MaskToken(p.Token))
	fmt.Fprintf(ios.Out, "profile file: %s\n", st.Path())
	fmt.Fprintf(ios.Out, "token secret: %s\n", st.SecretLocation(p.Name))
}
