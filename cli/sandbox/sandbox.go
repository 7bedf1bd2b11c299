// Package sandbox is the `lpdesk sandbox` command: it serves the local
// LivePerson-compatible platform (package sandbox) on a TCP address until
// interrupted, printing where everything is at start.
package sandbox

import (
	"context"
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

	Addr          string
	DataFile      string
	Apps          []string // KEY:SECRET or KEY:SECRET:NAME
	AdminUser     string
	AdminPassword string
	AllowUnsigned bool
	Seed          int
	BasePath      string
	AllowHosts    []string // names served besides the loopback ones
	Quiet         bool

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
  lpdesk sandbox --addr 0.0.0.0:8088 --allow-host devbox.internal`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Seed < 1 {
				return cmdutil.FlagErrorf("--seed must be at least 1")
			}
			return cmdutil.Run(cmd, opts, runF, run)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8088", "`address` to listen on (port 0 picks a free port)")
	fl.StringVar(&opts.DataFile, "data", "", "keep tokens, settings and records in this JSON `file` across restarts")
	fl.StringArrayVar(&opts.Apps, "app", nil, "register another application as `KEY:SECRET[:NAME]` (repeatable)")
	fl.StringVar(&opts.AdminUser, "admin-user", def.AdminUser, "console administrator `name`")
	fl.StringVar(&opts.AdminPassword, "admin-password", def.AdminPassword, "console administrator `password`")
	fl.BoolVar(&opts.AllowUnsigned, "allow-unsigned", false, "accept unsigned (appKey-only) calls")
	fl.IntVar(&opts.Seed, "seed", def.SeedRecords, "number of skills+users to seed in a new sandbox")
	fl.StringVar(&opts.BasePath, "base-path", "", "serve the account base at this `path`; GET /api/account/{id} then redirects there")
	fl.StringArrayVar(&opts.AllowHosts, "allow-host", nil, "also serve requests addressed to host `NAME` or NAME:PORT, for a deliberate non-loopback deployment (repeatable); "+
		"other names than localhost, 127.x, [::1] and the listen address are refused (421) against DNS rebinding")
	fl.BoolVar(&opts.Quiet, "quiet", false, "do not log requests to stderr")
	for _, name := range []string{"addr", "app", "admin-user", "admin-password", "seed", "base-path", "allow-host"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	return cmd
}

// parseApp reads KEY:SECRET[:NAME]. The secret may not contain ':' when a
// name follows; keys never contain ':'.
func parseApp(s string) (sandbox.App, error) {
	key, rest, ok := strings.Cut(s, ":")
	if !ok || key == "" || rest == "" {
		return sandbox.App{}, cmdutil.FlagErrorf("--app wants KEY:SECRET[:NAME], got %q", redact(s))
	}
	secret, name, _ := strings.Cut(rest, ":")
	if secret == "" {
		return sandbox.App{}, cmdutil.FlagErrorf("--app %s: empty secret", key)
	}
	if name == "" {
		name = key
	}
	return sandbox.App{Key: key, Secret: secret, Name: name}, nil
}

// redact keeps a secret given on the command line out of error messages.
func redact(s string) string {
	if key, _, ok := strings.Cut(s, ":"); ok {
		return key + ":…"
	}
	return s
}

func run(ctx context.Context, opts *Options) error {
	cfg := sandbox.DemoConfig()
	cfg.AdminUser, cfg.AdminPassword = opts.AdminUser, opts.AdminPassword
	cfg.AllowUnsigned = opts.AllowUnsigned
	cfg.DataFile = opts.DataFile
	cfg.SeedRecords = opts.Seed
	cfg.AllowedHosts = opts.AllowHosts
	for _, a := range opts.Apps {
		app, err := parseApp(a)
		if err != nil {
			return err
		}
		cfg.Apps = append(cfg.Apps, app)
	}
	if opts.BasePath != "" {
		cfg.BasePath = opts.BasePath
		cfg.DiscoveryRedirect = true
	}
	level := slog.LevelInfo
	if opts.Quiet {
		level = slog.LevelWarn
	}
	cfg.Logger = slog.New(slog.NewTextHandler(opts.IO.ErrOut, &slog.HandlerOptions{Level: level}))

	srv, err := sandbox.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.Addr, err)
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprint(opts.IO.Out, srv.Banner(base))
	fmt.Fprintln(opts.IO.Out, "Press Ctrl-C to stop.")
	if opts.Ready != nil {
		opts.Ready(base)
	}

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		_ = srv.Close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	serr := hs.Shutdown(shutdown)
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		serr = errors.Join(serr, err)
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
