// Package cli is lpdesk's command line: the root command, which opens the
// window when given no command, and the tree of subcommands (auth, api,
// sandbox, proxy, demo, version, completion) on cobra. Each subcommand lives
// in its own package under cli/, shaped like the GitHub CLI's: an options
// struct, NewCmdX(f, runF) with the Factory injected, a run function.
package cli

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/cli/api"
	"github.com/lpdesk/lpdesk/cli/auth"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/cli/completion"
	"github.com/lpdesk/lpdesk/cli/demo"
	proxycmd "github.com/lpdesk/lpdesk/cli/proxy"
	sandboxcmd "github.com/lpdesk/lpdesk/cli/sandbox"
	versioncmd "github.com/lpdesk/lpdesk/cli/version"
	"github.com/lpdesk/lpdesk/logging"
)

// Version is set at build time with -ldflags "-X github.com/lpdesk/lpdesk/cli.Version=…".
var Version = "0.1.0"

// Desktop is the window side of lpdesk, injected by the main package so that
// cli stays free of Fyne (and of cgo) and its tests run anywhere.
type Desktop = cmdutil.Desktop

// Main runs lpdesk with args (without the program name) and returns the exit
// status: 0 success, 1 failure, 2 usage mistake. desk may be nil (no desktop
// in this build).
func Main(args []string, ios *cmdutil.IOStreams, desk *Desktop) int {
	return mainWith(cmdutil.NewFactory(ios, desk), args)
}

func mainWith(f *cmdutil.Factory, args []string) int {
	cmd, err := cmdutil.Execute(NewCmdRoot(f, Version), args)
	return cmdutil.ExitCode(cmd, err, f.IOStreams.ErrOut)
}

// NewCmdRoot returns the lpdesk command with every subcommand and the global
// flags (--debug, --keyring-timeout), which may stand anywhere in the
// arguments.
func NewCmdRoot(f *cmdutil.Factory, version string) *cobra.Command {
	var debug bool
	root := &cobra.Command{
		Use:   "lpdesk",
		Short: "Desktop app and command line for a LivePerson-style REST platform",
		Long: `lpdesk is a desktop client for a LivePerson-style REST platform (OAuth 1.0a,
legacy v=1 REST), with a command line and a local sandbox server over the
same core. With no command it opens the window.`,
		Example: `  lpdesk                    # the desktop window
  lpdesk demo               # the app against the embedded sandbox
  lpdesk auth login --server https://provider.example --account 12345678
  lpdesk api skills
  source <(lpdesk completion bash)`,
		Version: version,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.UnknownCommand(cmd, args[0])
			}
			return nil
		},
		// Debug lines about every request go to stderr, through the
		// redacting handler, so secrets, signatures and verifiers never
		// reach the log.
		PersistentPreRun: func(*cobra.Command, []string) {
			if debug || os.Getenv("LPDESK_DEBUG") == "1" {
				logging.SetDefault(logging.New(f.IOStreams.ErrOut, slog.LevelDebug))
			}
		},
		RunE: func(*cobra.Command, []string) error {
			return openWindow(f)
		},
	}
	cmdutil.PrepareRoot(root, f.IOStreams)
	// The template is the version line as a quoted literal, so that it says
	// the same as `lpdesk version` (commit included).
	root.SetVersionTemplate("{{" + strconv.Quote(versioncmd.Format(version)) + "}}")
	// `lpdesk completion` is ours, with a Factory like every command.
	root.CompletionOptions.DisableDefaultCmd = true

	pf := root.PersistentFlags()
	pf.BoolVar(&debug, "debug", false, "log every request to stderr, secrets redacted (also LPDESK_DEBUG=1)")
	f.AddKeyringTimeoutFlag(pf)

	root.AddCommand(
		auth.NewCmdAuth(f),
		api.NewCmdApi(f, nil),
		demo.NewCmdDemo(f, nil),
		sandboxcmd.NewCmdSandbox(f, nil),
		proxycmd.NewCmdProxy(f, nil),
		versioncmd.NewCmdVersion(f, version, nil),
		completion.NewCmdCompletion(f, nil),
	)
	return root
}

// openWindow is `lpdesk` with no command: the desktop app, or one line
// saying why it cannot open instead of a GLFW error.
func openWindow(f *cmdutil.Factory) error {
	desk := f.Desktop
	if desk.Run == nil || !desk.HasDisplay() {
		fmt.Fprintln(f.IOStreams.ErrOut, "lpdesk: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open; try `lpdesk demo` for the terminal demo or `lpdesk help` for the command line")
		return cmdutil.SilentError
	}
	return desk.Run(f.Store)
}
