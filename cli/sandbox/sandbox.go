// Package sandbox is the `lpdesk sandbox` command: it serves the local
// LivePerson-compatible platform (package sandbox) on a TCP address until
// interrupted, printing where everything is at start.
package sandbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/sandbox"
)

// Options are the command's inputs, separate from flag parsing so tests can
// drive run directly.
type Options struct {
	IO *cmdutil.IOStreams

	Addr        string
	DataFile    string
	Apps        []string // KEY:SECRET or KEY:SECRET:NAME
	AppsRSA     []string // KEY:PUBKEYFILE or KEY:PUBKEYFILE:NAME
	AppMethods  []string // KEY=METHOD
	AppRealms   []string // KEY=REALM
	AppBodyHash []string // KEY
	// TLS serves https with a self-signed certificate made at start,
	// written to TLSCertOut when set so that clients can trust it.
	TLS           bool
	TLSCertOut    string
	AdminUser     string
	AdminPassword string
	AllowUnsigned bool
	Seed          int
	BasePath      string
	AllowHosts    []string // names served besides the loopback ones
	Quiet         bool
	// Services are NAME=HOST:PORT: the service is served on a listener of
	// its own at that address (port 0 picks one), as the platform spreads
	// its APIs over the hosts the Domain API names.
	Services []string

	// Ready, when set, receives the base URL once the listener is up.
	Ready func(baseURL string)
}

// NewCmdSandbox returns the `lpdesk sandbox` command; runF replaces run in
// tests that only check flag parsing.
func NewCmdSandbox(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	def := sandbox.DemoConfig()
	opts := &Options{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the local LivePerson-compatible sandbox server",
		Long: `Serve the local LivePerson-compatible platform until Ctrl-C: the OAuth 1.0a
endpoints, the admin console and the account's REST resources, seeded with
demo records. It prints its base URL, the account, the console and the
demo application's credentials at start.`,
		Example: `  lpdesk sandbox
  lpdesk sandbox --addr 127.0.0.1:0 --data sandbox.json
  lpdesk sandbox --app acme:acme-secret:Acme --allow-unsigned --seed 50
  lpdesk sandbox --app-rsa jira:jira-public.pem:Jira --app-method jira=RSA-SHA1
  lpdesk sandbox --app ns:ns-secret --app-method ns=HMAC-SHA256 --app-realm ns=1234567_SB1
  lpdesk sandbox --tls --tls-cert-out sandbox-cert.pem --app discogs:s3cret --app-method discogs=PLAINTEXT
  lpdesk sandbox --addr 0.0.0.0:8088 --allow-host devbox.internal
  lpdesk sandbox --service agentVep=127.0.0.1:0 --service conversationVep=127.0.0.1:0`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Seed < 1 {
				return cmdutil.FlagErrorf("--seed must be at least 1")
			}
			if opts.TLSCertOut != "" && !opts.TLS {
				return cmdutil.FlagErrorf("--tls-cert-out needs --tls")
			}
			return cmdutil.RunInterruptible(cmd, opts, runF, run)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8088", "`address` to listen on (port 0 picks a free port)")
	fl.StringVar(&opts.DataFile, "data", "", "keep tokens, settings and records in this JSON `file` across restarts")
	fl.StringArrayVar(&opts.Apps, "app", nil, "register another application as `KEY:SECRET[:NAME]` (repeatable)")
	fl.StringArrayVar(&opts.AppsRSA, "app-rsa", nil, "register an application that signs with RSA-SHA1 or RSA-SHA256, verified with the PEM public key in a file: `KEY:PUBKEYFILE[:NAME]` (repeatable)")
	fl.StringArrayVar(&opts.AppMethods, "app-method", nil, "accept only this signature method from an application: `KEY=METHOD`, one of HMAC-SHA1, HMAC-SHA256, RSA-SHA1, RSA-SHA256, PLAINTEXT (https only) (repeatable)")
	fl.StringArrayVar(&opts.AppRealms, "app-realm", nil, "require this realm in an application's Authorization header: `KEY=REALM` (repeatable)")
	fl.StringArrayVar(&opts.AppBodyHash, "app-body-hash", nil, "require oauth_body_hash on an application's requests with a body that is not a form: `KEY` (repeatable)")
	fl.BoolVar(&opts.TLS, "tls", false, "serve https with a self-signed certificate made at start (for the listen host, localhost, 127.0.0.1 and ::1)")
	fl.StringVar(&opts.TLSCertOut, "tls-cert-out", "", "write the --tls certificate (PEM) to this `file`, for clients to trust (curl --cacert FILE, SSL_CERT_FILE=FILE)")
	fl.StringVar(&opts.AdminUser, "admin-user", def.AdminUser, "console administrator `name`")
	fl.StringVar(&opts.AdminPassword, "admin-password", def.AdminPassword, "console administrator `password`")
	fl.BoolVar(&opts.AllowUnsigned, "allow-unsigned", false, "accept unsigned (appKey-only) calls")
	fl.IntVar(&opts.Seed, "seed", def.SeedRecords, "number of skills+users to seed in a new sandbox")
	fl.StringVar(&opts.BasePath, "base-path", "", "serve the account base at this `path`; GET /api/account/{id} then redirects there")
	fl.StringArrayVar(&opts.AllowHosts, "allow-host", nil, "also serve requests addressed to host `NAME` or NAME:PORT, for a deliberate non-loopback deployment (repeatable); "+
		"other names than localhost, 127.x, [::1] and the listen address are refused (421) against DNS rebinding")
	fl.BoolVar(&opts.Quiet, "quiet", false, "do not log requests to stderr")
	fl.StringArrayVar(&opts.Services, "service", nil, "serve a service (conversationVep, agentVep or smt) on its own listener: `NAME=HOST:PORT`, port 0 picks one (repeatable)")
	for _, name := range []string{"addr", "app", "app-method", "app-realm", "app-body-hash", "admin-user", "admin-password", "seed", "base-path", "allow-host", "service"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	cfg := sandbox.DemoConfig()
	cfg.AdminUser, cfg.AdminPassword = opts.AdminUser, opts.AdminPassword
	cfg.AllowUnsigned = opts.AllowUnsigned
	cfg.DataFile = opts.DataFile
	cfg.SeedRecords = opts.Seed
	cfg.AllowedHosts = opts.AllowHosts
	apps, err := appFlags{Apps: opts.Apps, RSA: opts.AppsRSA, Methods: opts.AppMethods, Realms: opts.AppRealms, BodyHash: opts.AppBodyHash}.apps()
	if err != nil {
		return err
	}
	cfg.Apps = apps
	if opts.BasePath != "" {
		cfg.BasePath = opts.BasePath
		cfg.DiscoveryRedirect = true
	}
	level := slog.LevelInfo
	if opts.Quiet {
		level = slog.LevelWarn
	}
	cfg.Logger = slog.New(slog.NewTextHandler(opts.IO.ErrOut, &slog.HandlerOptions{Level: level}))

	extra, err := listenServices(opts.Services)
	if err != nil {
		return err
	}
	defer func() {
		for _, l := range extra {
			l.ln.Close()
		}
	}()
	cfg.ServiceHosts = map[sandbox.Service]string{}
	for _, l := range extra {
		cfg.ServiceHosts[l.svc] = l.ln.Addr().String()
	}
	srv, err := sandbox.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.Addr, err)
	}
	scheme, tlsLine := "http", ""
	if opts.TLS {
		addrs := []string{opts.Addr, ln.Addr().String()}
		for _, l := range extra {
			addrs = append(addrs, l.ln.Addr().String())
		}
		conf, line, err := selfSigned(opts, addrs)
		if err != nil {
			ln.Close()
			return err
		}
		ln = tls.NewListener(ln, conf)
		for i := range extra {
			extra[i].ln = tls.NewListener(extra[i].ln, conf)
		}
		scheme, tlsLine = "https", line
	}
	base := scheme + "://" + ln.Addr().String()
	fmt.Fprint(opts.IO.Out, srv.Banner(base))
	fmt.Fprint(opts.IO.Out, tlsLine)
	fmt.Fprintln(opts.IO.Out, "Press Ctrl-C to stop.")
	if opts.Ready != nil {
		opts.Ready(base)
	}

	servers := []*http.Server{{Handler: srv, ReadHeaderTimeout: 10 * time.Second}}
	listeners := []net.Listener{ln}
	for _, l := range extra {
		servers = append(servers, &http.Server{Handler: srv.ServiceHandler(l.svc), ReadHeaderTimeout: 10 * time.Second})
		listeners = append(listeners, l.ln)
	}
	served := make(chan error, len(servers))
	for i, hs := range servers {
		go func() { served <- hs.Serve(listeners[i]) }()
	}
	select {
	case err := <-served:
		for _, hs := range servers {
			_ = hs.Close()
		}
		_ = srv.Close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var serr error
	for _, hs := range servers { // each Serve then returns ErrServerClosed
		serr = errors.Join(serr, hs.Shutdown(shutdown))
	}
	for range servers {
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			serr = errors.Join(serr, err)
		}
	}
	if err := srv.Close(); err != nil {
		return fmt.Errorf("saving state: %w", err)
	}
	if serr != nil {
		return fmt.Errorf("shutdown: %w", serr)
	}
	fmt.Fprintln(opts.IO.ErrOut, "sandbox stopped")
	return nil
}

// serviceListener is a service placed on a listener of its own.
type serviceListener struct {
	svc sandbox.Service
	ln  net.Listener
}

// listenServices opens the --service listeners (NAME=HOST:PORT), so that
// their actual addresses are known before the sandbox is configured.
func listenServices(specs []string) ([]serviceListener, error) {
	var out []serviceListener
	closeAll := func() {
		for _, l := range out {
			l.ln.Close()
		}
	}
	seen := map[sandbox.Service]bool{}
	for _, spec := range specs {
		name, addr, ok := strings.Cut(spec, "=")
		if !ok || addr == "" {
			closeAll()
			return nil, cmdutil.FlagErrorf("--service wants NAME=HOST:PORT, got %q", spec)
		}
		svc, err := sandbox.ParseService(name)
		if err != nil {
			closeAll()
			return nil, cmdutil.FlagErrorf("--service: %v", err)
		}
		if seen[svc] {
			closeAll()
			return nil, cmdutil.FlagErrorf("--service %s given twice", svc)
		}
		seen[svc] = true
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("listen for %s on %s: %w", svc, addr, err)
		}
		out = append(out, serviceListener{svc: svc, ln: ln})
	}
	return out, nil
}
