// Package proxy is the `lpdesk proxy` command: it serves the signing reverse
// proxy (package github.com/lpdesk/lpdesk/proxy) for one profile, so that
// scripts can call the account with plain, unsigned HTTP and never hold a
// secret. This package is only flags and wiring; the proxy's behaviour is
// documented in the core package.
package proxy

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/logging"
	"github.com/lpdesk/lpdesk/onboarding"
	core "github.com/lpdesk/lpdesk/proxy"
	"github.com/lpdesk/lpdesk/store"
)

// TokenEnv is the environment variable read when --token is not given: a
// token in the environment is not visible to other users in the process
// list, a command-line argument is.
const TokenEnv = "LPDESK_PROXY_TOKEN"

// Options are the parsed flags of one `lpdesk proxy` run.
type Options struct {
	cmdutil.ProfileOptions

	Listen  string
	Token   string
	TLSCert string
	TLSKey  string

	// OpenClient builds the signed client for a profile, its debug lines
	// going to logger; injected so tests can point it at an in-process
	// sandbox.
	OpenClient func(ctx context.Context, profile string, logger *slog.Logger) (*apiclient.Client, store.Profile, error)
	// Ready, when set, is called with a URL that reaches the proxy from
	// this host once it is listening.
	Ready func(url string)
}

// NewCmdProxy returns the `lpdesk proxy` command; runF replaces Run in
// tests that only check flag parsing.
func NewCmdProxy(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{ProfileOptions: cmdutil.NewProfileOptions(f)}
	opts.OpenClient = func(ctx context.Context, profile string, logger *slog.Logger) (*apiclient.Client, store.Profile, error) {
		return openProfileClient(ctx, opts.Store, profile, logger)
	}
	cmd := &cobra.Command{
		Use:   "proxy",
		Short: "Serve a local endpoint that signs scripts' requests with a profile",
		Long: `Serve a local HTTP endpoint that signs every request with the profile's
credentials and forwards it to the account, so scripts need no secret.

Paths are relative to the account base (/api/account/{id}/… is accepted too).
A non-loopback --listen address needs --token (or $` + TokenEnv + `); clients
then send 'Authorization: Bearer TOKEN'. --listen unix:PATH serves a Unix
socket instead (Linux, macOS): mode 0600 in a directory only you may enter,
a cheaper hop than TCP for scripts on this machine. Stop with Ctrl-C.`,
		Example: `  lpdesk proxy --profile work
  curl 'http://127.0.0.1:8181/skills?v=1'
  curl -X POST -H 'Content-Type: application/json' -d @skill.json http://127.0.0.1:8181/skills
  curl -X PUT -H 'If-Match: "3"' -H 'Content-Type: application/json' -d @skill.json http://127.0.0.1:8181/skills/7

  # A Unix socket: only your own processes reach it
  lpdesk proxy --listen unix:$XDG_RUNTIME_DIR/lpdesk-proxy.sock
  curl --unix-socket $XDG_RUNTIME_DIR/lpdesk-proxy.sock http://localhost/skills

  # Reachable from other hosts: a bearer token and TLS
  ` + TokenEnv + `=$(openssl rand -hex 16) lpdesk proxy --listen 0.0.0.0:8181 --tls-cert cert.pem --tls-key key.pem`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Token == "" {
				opts.Token = os.Getenv(TokenEnv)
			}
			if (opts.TLSCert == "") != (opts.TLSKey == "") {
				return cmdutil.FlagErrorf("--tls-cert and --tls-key go together")
			}
			return cmdutil.RunInterruptible(cmd, opts, runF, Run)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddProfileFlag(cmd, f, &opts.Profile, "profile `NAME` to sign with (default: the default profile)")
	fl.StringVar(&opts.Listen, "listen", "127.0.0.1:8181", "`address` to listen on (host:port, or unix:PATH for a Unix socket, a cheaper hop); non-loopback needs --token")
	fl.StringVar(&opts.Token, "token", "", "bearer `token` clients must present (default $"+TokenEnv+"); at least 16 characters")
	fl.StringVar(&opts.TLSCert, "tls-cert", "", "serve HTTPS with this PEM certificate `file` (with --tls-key)")
	fl.StringVar(&opts.TLSKey, "tls-key", "", "PEM private key `file` for --tls-cert")
	_ = cmd.RegisterFlagCompletionFunc("listen", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("token", cobra.NoFileCompletions)
	return cmd
}

// IdleConnsPerHost is how many idle connections to the platform the proxy
// keeps open. net/http's default of 2 would make concurrent scripts open and
// close a TCP (and TLS) connection for most requests.
const IdleConnsPerHost = 64

// openProfileClient opens the profile (store and keyring from openStore)
// and registers its secrets with the logging package, so that no log line
// of this process can show them even by accident.
func openProfileClient(ctx context.Context, openStore func() (*store.Store, error), profile string, logger *slog.Logger) (*apiclient.Client, store.Profile, error) {
	st, err := openStore()
	if err != nil {
		return nil, store.Profile{}, err
	}
	tr := apiclient.NewTransport()
	tr.MaxIdleConnsPerHost = IdleConnsPerHost
	tr.MaxIdleConns = 2 * IdleConnsPerHost
	c, p, err := onboarding.OpenClientWith(ctx, st, profile, onboarding.ClientOptions{Transport: tr, Logger: logger})
	if err != nil {
		return nil, p, err
	}
	// OpenClientWith registered the consumer and token secrets with the
	// redacting logger.
	return c, p, nil
}

// unixPrefix marks a --listen value that names a Unix-domain socket.
const unixPrefix = "unix:"

// Run serves the proxy until ctx ends.
func Run(ctx context.Context, opts *Options) error {
	if sock, ok := strings.CutPrefix(opts.Listen, unixPrefix); ok {
		return runUnix(ctx, opts, sock)
	}
	if err := core.CheckListen(opts.Listen, opts.Token); err != nil {
		return &cmdutil.FlagError{Err: err}
	}
	p, client, prof, tlsCfg, err := setUp(ctx, opts)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.Listen, err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	if opts.Token == "" && !addr.IP.IsLoopback() {
		// "localhost" resolved to something else: the check above trusted
		// the name, this one trusts the socket.
		ln.Close()
		return &cmdutil.FlagError{Err: fmt.Errorf("listen on %s (%s): %w", opts.Listen, addr, core.ErrTokenRequired)}
	}
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsCfg)
	}
	local := net.JoinHostPort(addr.IP.String(), strconv.Itoa(addr.Port))
	if addr.IP.IsUnspecified() {
		local = net.JoinHostPort("127.0.0.1", strconv.Itoa(addr.Port))
	}
	proxyURL := scheme + "://" + local

	out := opts.IO.Out
	fmt.Fprintf(out, "lpdesk proxy: signing requests as profile %q (account %s, %s)\n", prof.Name, prof.AccountID, client.BaseURL())
	if addr.IP.IsUnspecified() {
		fmt.Fprintf(out, "Listening on all interfaces, port %d (%s from this host)\n", addr.Port, proxyURL)
	} else {
		fmt.Fprintf(out, "Listening on %s\n", proxyURL)
	}
	fmt.Fprintf(out, "Try: curl %s%s/skills\n", bearerHint(opts.Token), proxyURL)
	if !addr.IP.IsLoopback() && tlsCfg == nil {
		fmt.Fprintf(opts.IO.ErrOut, "lpdesk proxy: WARNING: plain HTTP on a non-loopback address: the bearer token and the account's data cross the network unencrypted; use --tls-cert/--tls-key or an SSH tunnel\n")
	}
	fmt.Fprintln(out, "Press Ctrl-C to stop.")
	if opts.Ready != nil {
		opts.Ready(proxyURL)
	}
	return serve(ctx, opts, p, ln)
}

func serve(ctx context.Context, opts *Options, p *core.Proxy, ln net.Listener) error {
	if err := p.Serve(ctx, ln); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, "lpdesk proxy: stopped")
	return nil
}

// setUp is what every listener shares: the token registered, the TLS
// configuration loaded, the profile's client opened and the proxy built.
func setUp(ctx context.Context, opts *Options) (*core.Proxy, *apiclient.Client, store.Profile, *tls.Config, error) {
	if opts.Token != "" {
		logging.RegisterSecret(opts.Token)
	}
	var tlsCfg *tls.Config
	if opts.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(opts.TLSCert, opts.TLSKey)
		if err != nil {
			return nil, nil, store.Profile{}, nil, fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}

	level := slog.LevelInfo
	if logging.DebugEnabled() {
		level = slog.LevelDebug
	}
	logger := logging.New(opts.IO.ErrOut, level)

	client, prof, err := opts.OpenClient(ctx, opts.Profile, logger)
	if err != nil {
		return nil, nil, prof, nil, err
	}
	if prof.InsecureHTTP {
		if u, err := url.Parse(prof.BaseURL); err == nil {
			fmt.Fprintln(opts.IO.ErrOut, "lpdesk proxy: "+apiclient.InsecureWarning(u.Host))
		}
	}
	p, err := core.New(core.Config{Client: client, Token: opts.Token, Logger: logger})
	if err != nil {
		return nil, nil, prof, nil, err
	}
	return p, client, prof, tlsCfg, nil
}

// runUnix serves on a Unix-domain socket (core.ListenUnix: 0600 in a
// directory only the user may enter). Only this machine's processes of the
// same user reach it, so no token is needed; one given is still checked.
// Ready gets "unix:PATH".
func runUnix(ctx context.Context, opts *Options, sock string) error {
	if sock == "" {
		return cmdutil.FlagErrorf("--listen unix: needs a path, e.g. unix:$XDG_RUNTIME_DIR/lpdesk-proxy.sock")
	}
	if opts.Token != "" {
		if err := core.CheckListen("127.0.0.1:0", opts.Token); err != nil {
			return &cmdutil.FlagError{Err: err}
		}
	}
	p, client, prof, tlsCfg, err := setUp(ctx, opts)
	if err != nil {
		return err
	}
	ln, err := core.ListenUnix(sock)
	if err != nil {
		return err
	}
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsCfg)
	}
	out := opts.IO.Out
	fmt.Fprintf(out, "lpdesk proxy: signing requests as profile %q (account %s, %s)\n", prof.Name, prof.AccountID, client.BaseURL())
	fmt.Fprintf(out, "Listening on unix:%s\n", ln.Addr())
	fmt.Fprintf(out, "Try: curl %s--unix-socket %s %s://localhost/skills\n", bearerHint(opts.Token), ln.Addr(), scheme)
	fmt.Fprintln(out, "Press Ctrl-C to stop.")
	if opts.Ready != nil {
		opts.Ready(unixPrefix + ln.Addr().String())
	}
	return serve(ctx, opts, p, ln)
}

// bearerHint shows the header without the token itself: the banner may end
// up in a terminal recording or a CI log.
func bearerHint(token string) string {
	if token == "" {
		return ""
	}
	return `-H "Authorization: Bearer $` + TokenEnv + `" `
}
