// Package api is `lpdesk api`: one signed request to the account, shaped like
// `gh api`, for scripts and for checking what the window would show.
package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/onboarding"
	"github.com/lpdesk/lpdesk/store"
)

// Options are the parsed flags and arguments of one `lpdesk api` call.
type Options struct {
	cmdutil.ProfileOptions

	Method  string
	Headers []string
	Input   string
	// Format, Auth and Placement are parsed when the flag is read; unset
	// means the profile's.
	Format    wire.Format
	Ext       bool
	Auth      apiclient.Auth
	Placement apiclient.Placement
	Include   bool
	// InsecureHTTP allows plain http to hosts that are not loopback (the
	// base URL, an absolute URL, a redirect); a warning is printed.
	InsecureHTTP bool
	// DryRun prints the signed request instead of sending it.
	DryRun bool
	Path   string
	Params []oauthsig.Param

	// OpenClient builds the signed client for a profile; injected so tests
	// can point it at an in-process sandbox. The default opens Store and
	// honours InsecureHTTP.
	OpenClient func(ctx context.Context, profile string) (*apiclient.Client, store.Profile, error)
}

// NewCmdApi returns the `lpdesk api` command; runF replaces Run in tests
// that only check parsing.
func NewCmdApi(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{ProfileOptions: cmdutil.NewProfileOptions(f)}
	opts.OpenClient = func(ctx context.Context, profile string) (*apiclient.Client, store.Profile, error) {
		return openProfileClient(ctx, opts.Store, profile, opts.InsecureHTTP)
	}
	cmd := &cobra.Command{
		Use:   "api PATH_OR_URL [name=value ...]",
		Short: "Make a signed request to the account's REST API",
		Long: `Make one signed request to the account and print the response body.

PATH is relative to the profile's account base URL (e.g. skills,
chat/availability); name=value pairs become query parameters (repeat a name
to repeat the key). The body is printed to stdout, pretty-printed on a
terminal; with -i the status line and headers come first. A non-2xx status
exits 1 with the platform's error on stderr. Flags may stand anywhere among
the arguments.

--insecure-http allows plain http to a host that is not loopback and prints
a warning every time; so does a profile created with auth login
--insecure-http.

--dry-run prints the request lpdesk would send (method, URL, headers with
the Authorization header and its signature, the signature base string, the
body's size) and sends nothing; secrets never appear, and a PLAINTEXT
signature, which is the secrets, is masked. When the provider answers 401,
lpdesk prints its own signature base string on stderr after the answer, to
compare with the one the provider computed.`,
		Example: `  lpdesk api skills
  lpdesk api chat/availability skill=Support maxWaitTime=20
  lpdesk api -X POST skills --input skill.json
  lpdesk api -X PUT skills/7 -H 'If-Match: "3"' --input - < skill.json
  lpdesk api -X DELETE skills/7
  lpdesk api --dry-run -X POST skills --input skill.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.FlagErrorf("missing PATH_OR_URL")
			}
			return nil
		},
		// The path is the account's, not a local file's.
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.parseArgs(args); err != nil {
				return err
			}
			return cmdutil.RunInterruptible(cmd, opts, runF, Run)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddProfileFlag(cmd, f, &opts.Profile, cmdutil.DefaultProfileUsage)
	fl.StringVarP(&opts.Method, "method", "X", "", "HTTP `METHOD`: GET, POST, PUT, DELETE, or PATCH for a generic provider (default GET, or POST with --input)")
	fl.StringArrayVarP(&opts.Headers, "header", "H", nil, "add a request header `'Name: value'` (repeatable)")
	fl.StringVar(&opts.Input, "input", "", "read the request body from `FILE` (- for stdin)")
	fl.TextVar(&opts.Format, "format", wire.Format(""), "response `FORMAT`: json or xml (default: the profile's)")
	fl.BoolVar(&opts.Ext, "ext", false, "ask for the format with a .json/.xml extension instead of Accept")
	fl.TextVar(&opts.Auth, "auth", apiclient.Auth(0), "authentication `MODE`: oauth, appkey or none (default: the profile's)")
	fl.TextVar(&opts.Placement, "placement", apiclient.Placement(0), "signature `PLACEMENT`: header, query or form (default: the profile's)")
	fl.BoolVarP(&opts.Include, "include", "i", false, "print the status line and response headers before the body")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the signed request (method, URL, headers, signature base string, body size) and send nothing")
	fl.BoolVar(&opts.InsecureHTTP, "insecure-http", false,
		"allow plain http to a host that is not loopback (requests can then be read and replayed; a warning is printed every time)")
	_ = cmd.RegisterFlagCompletionFunc("method", cmdutil.CompleteValues("GET", "POST", "PUT", "DELETE", "PATCH"))
	_ = cmd.RegisterFlagCompletionFunc("format", cmdutil.CompleteValues(string(wire.JSON), string(wire.XML)))
	_ = cmd.RegisterFlagCompletionFunc("auth", cmdutil.CompleteValues(apiclient.AuthOAuth.String(), apiclient.AuthAppKey.String(), apiclient.AuthNone.String()))
	_ = cmd.RegisterFlagCompletionFunc("placement", cmdutil.CompleteValues(apiclient.PlaceHeader.String(), apiclient.PlaceQuery.String(), apiclient.PlaceForm.String()))
	_ = cmd.RegisterFlagCompletionFunc("header", cobra.NoFileCompletions)
	return cmd
}

func openProfileClient(ctx context.Context, openStore func() (*store.Store, error), profile string, insecure bool) (*apiclient.Client, store.Profile, error) {
	st, err := openStore()
	if err != nil {
		return nil, store.Profile{}, err
	}
	return onboarding.OpenClientWith(ctx, st, profile, onboarding.ClientOptions{AllowInsecureHTTP: insecure})
}

// parseArgs reads the positional arguments (cobra has taken the flags from
// wherever they stood, as gh does, so `lpdesk api skills -X POST` works
// too): the path, then name=value query parameters.
func (o *Options) parseArgs(args []string) error {
	o.Path = args[0]
	for _, kv := range args[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return cmdutil.FlagErrorf("parameter %q is not name=value", kv)
		}
		o.Params = append(o.Params, oauthsig.Param{Key: k, Value: v})
	}
	return o.validate()
}

func (o *Options) validate() error {
	o.Method = strings.ToUpper(o.Method)
	if o.Method == "" {
		o.Method = http.MethodGet
		if o.Input != "" {
			o.Method = http.MethodPost
		}
	}
	// PATCH is for generic providers; the LivePerson-style platform's
	// client refuses it before sending.
	switch o.Method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
	default:
		return cmdutil.FlagErrorf("-X %s: lpdesk sends GET, POST, PUT, DELETE or PATCH", o.Method)
	}
	return nil
}

// Run performs the request and prints the result.
func Run(ctx context.Context, o *Options) error {
	// What was typed is encoded as RFC 3986 asks (spaces, '%', non-ASCII,
	// brackets) before it is signed; valid escapes and '+' stay as typed.
	path := apiclient.EncodeTypedURL(o.Path)
	req := &apiclient.Request{
		Method:    o.Method,
		Path:      path,
		Query:     o.Params,
		Header:    http.Header{},
		Format:    o.Format,
		Auth:      o.Auth,
		Placement: o.Placement,
	}
	for _, h := range o.Headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return cmdutil.FlagErrorf("header %q is not 'Name: value'", h)
		}
		req.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if o.Ext {
		req.FormatBy = apiclient.ByExtension
	}
	if o.Input != "" {
		body, err := readInput(o.Input, o.IO.In)
		if err != nil {
			return err
		}
		req.Body = body
		req.BodyFormat = bodyFormat(req.Header.Get("Content-Type"), body)
		req.Header.Del("Content-Type")
	}

	client, profile, err := o.OpenClient(ctx, o.Profile)
	if err == nil {
		if err := checkOrigin(path, client.BaseURL(), serviceBases(client)...); err != nil {
			return err
		}
	}
	if o.InsecureHTTP || profile.InsecureHTTP {
		fmt.Fprintln(o.IO.ErrOut, apiclient.InsecureWarning(o.warnHost(profile)))
	}
	if err != nil {
		return err
	}
	if o.DryRun {
		signed, err := client.DryRun(ctx, req)
		if err != nil {
			return err
		}
		return printSigned(o.IO.Out, signed)
	}
	resp, err := client.Do(ctx, req)
	if resp != nil {
		if perr := o.print(resp); perr != nil {
			return perr
		}
	}
	var ae *apiclient.APIError
	if errors.As(err, &ae) && ae.Status == http.StatusUnauthorized && ae.Signed != nil && ae.Signed.BaseString != "" {
		// Next to the provider's answer, so "signature invalid" can be
		// debugged by comparing the two base strings.
		fmt.Fprintf(o.IO.ErrOut, "lpdesk's signature base string was:\n%s\n", ae.Signed.BaseString)
	}
	if err != nil {
		// A revoked grant gets the message that sends the admin back to
		// `lpdesk auth login` with this profile's server and account.
		return onboarding.AccessRevoked(profile, err)
	}
	return nil
}

// warnHost is the host plain http goes to: an absolute URL's, else the
// profile's base URL's.
func (o *Options) warnHost(p store.Profile) string {
	for _, raw := range []string{o.Path, p.BaseURL} {
		if u, err := url.Parse(raw); err == nil && u.IsAbs() && u.Host != "" {
			return u.Host
		}
	}
	return ""
}

func (o *Options) print(resp *apiclient.Response) error {
	out := o.IO.Out
	if o.Include {
		fmt.Fprintf(out, "HTTP %d %s\n", resp.Status, http.StatusText(resp.Status))
		for _, l := range apiclient.HeaderLines(resp.Header) {
			fmt.Fprintln(out, l)
		}
		fmt.Fprintln(out)
	}
	body := resp.Body
	if o.IO.OutTTY && len(body) > 0 {
		if pretty, err := apiclient.PrettyPrint(body, resp.Format); err == nil {
			body = pretty
		}
	}
	if _, err := out.Write(body); err != nil {
		return err
	}
	if len(body) > 0 && body[len(body)-1] != '\n' && o.IO.OutTTY {
		fmt.Fprintln(out)
	}
	return nil
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("read body from stdin: %w", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return b, nil
}

// bodyFormat takes the format from an explicit Content-Type, or else from the
// body's first character: the platform accepts only JSON and XML bodies.
func bodyFormat(contentType string, body []byte) wire.Format {
	if f, ok := wire.FormatOf(contentType); ok {
		return f
	}
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '<' {
		return wire.XML
	}
	return wire.JSON
}
