// Package demo is `lpdesk demo`: the sandbox started in-process and the app
// pointed at it, so a new user sees the whole product (install, browse,
// edit, revoke) without an account on the real platform.
//
// With a display the desktop window opens on the onboarding wizard. Without
// one (a server, CI) the same demo runs in the terminal: the authorization
// goes through the CLI flow (the authorize URL printed, the verifier typed),
// then one resource is fetched and printed.
package demo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/onboarding"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
	"github.com/lpdesk/lpdesk/store"
)

// ProfileName is the demo's profile, kept in a throwaway config directory so
// the demo never touches real profiles.
const ProfileName = "sandbox-demo"

// Info is what the window needs to run the demo (declared in cmdutil, which
// the Factory's Desktop needs it from).
type Info = cmdutil.DemoInfo

// keyringTimeout is the demo's own bound on the OS keyring, shorter than
// the default: where none answers, the demo keeps its secret in memory, so
// waiting longer buys nothing. A timeout the user chose wins.
const keyringTimeout = 5 * time.Second

// Options are the flags of `lpdesk demo`.
type Options struct {
	IO       *cmdutil.IOStreams
	Addr     string
	Terminal bool
	Seed     int
	// Window opens the desktop app on the demo; nil or no display → the
	// terminal demo.
	Window     func(Info) error
	HasDisplay func() bool
	// Keyring is the OS keyring to try first (tests inject a mock); nil
	// means the system's, bounded by KeyringTimeout.
	Keyring        store.Keyring
	KeyringTimeout time.Duration
	// Ready, when set, receives the server URL once the sandbox listens
	// (tests).
	Ready func(server string)
}

// NewCmdDemo returns `lpdesk demo`; the window comes from the Factory's
// Desktop (nil in builds without a UI). runF replaces Run in tests that only
// check flag parsing.
func NewCmdDemo(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	o := &Options{IO: f.IOStreams, Window: f.Desktop.Demo, HasDisplay: f.Desktop.HasDisplay}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the app against the embedded sandbox",
		Long: `Start the sandbox in-process and point the app at it, in a throwaway
profile, so the whole product can be tried without an account on the real
platform. With a display the window opens on the onboarding wizard; without
one (or with --terminal) the authorization runs in the terminal and one
resource is fetched and printed.`,
		Example: `  lpdesk demo
  lpdesk demo --terminal --seed 50`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.KeyringTimeout = f.KeyringTimeoutOr(cmd, keyringTimeout)
			return cmdutil.RunInterruptible(cmd, o, runF, Run)
		},
	}
	cmd.Flags().StringVar(&o.Addr, "addr", "127.0.0.1:8088", "sandbox listen `address` (a free port is used when it is taken)")
	cmd.Flags().BoolVar(&o.Terminal, "terminal", false, "run the terminal demo even when a display is available")
	cmd.Flags().IntVar(&o.Seed, "seed", 0, "number of seeded skills and users (default 400)")
	_ = cmd.RegisterFlagCompletionFunc("addr", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("seed", cobra.NoFileCompletions)
	return cmd
}

// Run starts the sandbox and runs the demo until the window closes, the
// terminal demo ends, or ctx is cancelled.
func Run(ctx context.Context, o *Options) error {
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = o.Seed
	sb, err := sandbox.New(cfg)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	defer sb.Close()
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		// The fixed default port may be taken (another demo): any free one
		// serves the demo as well, since its profile is throwaway.
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return fmt.Errorf("sandbox: listen: %w", err)
		}
	}
	srv := &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	server := "http://" + ln.Addr().String()
	fmt.Fprintln(o.IO.ErrOut, sb.Banner(server))
	if err := seedConversation(o.IO.ErrOut, sb, server, server+sb.AccountPath()); err != nil {
		return err
	}
	if o.Ready != nil {
		o.Ready(server)
	}

	dir, err := os.MkdirTemp("", "lpdesk-demo-")
	if err != nil {
		return fmt.Errorf("demo config dir: %w", err)
	}
	defer os.RemoveAll(dir)
	kr := o.Keyring
	if kr == nil {
		kr = store.SystemKeyring(o.KeyringTimeout)
	}
	note := ""
	if err := store.Check(kr); err != nil {
		// Only the demo may do this: its token opens nothing but the local
		// sandbox, and it dies with the process.
		note = "no OS keyring answered (" + firstLine(err) + "); the demo keeps its token secret in memory for this run only"
		kr = store.NewMemoryKeyring()
	}
	st, err := store.Open(dir, kr)
	if err != nil {
		return err
	}
	// The demo's grant dies with the demo: forget the keyring item on exit.
	defer st.Delete(ProfileName)

	info := Info{Server: server, AccountID: cfg.AccountID, ConsoleURL: server + "/console",
		AdminUser: cfg.AdminUser, AdminPassword: cfg.AdminPassword, Store: st, KeyringNote: note}
	if o.Window != nil && !o.Terminal && o.HasDisplay != nil && o.HasDisplay() {
		if note != "" {
			fmt.Fprintln(o.IO.ErrOut, "demo: "+note)
		}
		return o.Window(info)
	}
	if !o.Terminal && o.Window != nil {
		fmt.Fprintln(o.IO.ErrOut, "demo: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), running the demo in the terminal")
	}
	return terminal(ctx, o, info)
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// terminal is the display-less demo: the CLI's out-of-band flow, then one
// fetched resource.
func terminal(ctx context.Context, o *Options, info Info) error {
	w := o.IO.ErrOut
	if info.KeyringNote != "" {
		fmt.Fprintln(w, "demo: "+info.KeyringNote)
	}
	flow, err := onboarding.Begin(ctx, onboarding.Options{Store: info.Store, Server: info.Server,
		AccountID: info.AccountID, Profile: ProfileName, OOB: true})
	if err != nil {
		return fmt.Errorf("authorize: %w", err)
	}
	defer flow.Close()

	fmt.Fprintf(w, "\nAuthorize lpdesk for account %s:\n", info.AccountID)
	fmt.Fprintf(w, "  1. Open %s\n", flow.AuthorizeURL())
	fmt.Fprintf(w, "  2. Sign in as %s / %s and approve\n", info.AdminUser, info.AdminPassword)
	fmt.Fprintf(w, "  3. Paste the verifier shown there, or press Enter to approve as the demo admin\n")
	in := bufio.NewReader(o.IO.In)
	for {
		fmt.Fprint(w, "verifier> ")
		line, rerr := in.ReadString('\n')
		verifier := strings.TrimSpace(line)
		if verifier == "" {
			admin := consoleclient.Admin{Server: info.Server, User: info.AdminUser, Password: info.AdminPassword}
			if verifier, err = admin.Approve(ctx, flow.AuthorizeURL()); err != nil {
				return fmt.Errorf("approve: %w", err)
			}
			fmt.Fprintln(w, "(approved as the demo admin)")
		}
		err = flow.Exchange(ctx, verifier)
		if (errors.Is(err, onboarding.ErrBadVerifier) || errors.Is(err, onboarding.ErrNotApproved)) && rerr == nil {
			// The request token lives on: let the admin correct it.
			fmt.Fprintln(w, firstLine(err))
			continue
		}
		if err != nil {
			return fmt.Errorf("authorize: %w", err)
		}
		break
	}
	p, err := flow.Finish(ctx)
	if err != nil {
		return fmt.Errorf("authorize: %w", err)
	}
	fmt.Fprintf(w, "\nAuthorized: profile %q, token secret in %s.\n", p.Name, info.Store.SecretLocation(p.Name))

	client, _, err := onboarding.OpenClient(ctx, info.Store, p.Name)
	if err != nil {
		return err
	}
	resp, err := client.Get(ctx, "skills", url.Values{"limit": {"3"}})
	if err != nil {
		return fmt.Errorf("GET skills: %w", err)
	}
	fmt.Fprintf(w, "\nGET %s → %d (%s, %d bytes)\n", resp.URL, resp.Status, resp.Elapsed.Round(time.Millisecond), len(resp.Body))
	body, perr := apiclient.PrettyPrint(resp.Body, resp.Format)
	if perr != nil {
		body = resp.Body
	}
	o.IO.Out.Write(body)
	fmt.Fprintln(o.IO.Out)

	if !o.IO.InTTY {
		return nil
	}
	fmt.Fprintf(w, "\nThe sandbox keeps running at %s (console: %s, %s / %s).\n", info.Server, info.ConsoleURL, info.AdminUser, info.AdminPassword)
	fmt.Fprintf(w, "Try it from another terminal:\n  lpdesk auth login --server %s --account %s --oob\n  lpdesk api skills\n", info.Server, info.AccountID)
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
	<-ctx.Done()
	return nil
}
