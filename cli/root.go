// Package cli wires lpdesk's subcommands (auth, api, sandbox, demo, proxy) into one
// command tree. Each subcommand lives in its own package under cli/, shaped
// like the GitHub CLI's: an options struct, a run function, injected I/O.
package cli

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/lpdesk/lpdesk/cli/api"
	"github.com/lpdesk/lpdesk/cli/auth"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/cli/demo"
	proxycmd "github.com/lpdesk/lpdesk/cli/proxy"
	sandboxcmd "github.com/lpdesk/lpdesk/cli/sandbox"
	"github.com/lpdesk/lpdesk/logging"
)

// Version is set at build time with -ldflags "-X github.com/lpdesk/lpdesk/cli.Version=…".
var Version = "0.1.0"

// Desktop is the window side of lpdesk, injected by the main package so that
// cli stays free of Fyne (and of cgo) and its tests run anywhere.
type Desktop struct {
	// HasDisplay reports whether a window can open here.
	HasDisplay func() bool
	// Run opens the app on the user's profiles; it returns when the window
	// closes.
	Run func() error
	// Demo opens the app on the demo sandbox.
	Demo func(demo.Info) error
}

// Main runs lpdesk with args (without the program name) and returns the exit
// status. desk may be nil (no desktop in this build).
func Main(args []string, io *cmdutil.IOStreams, desk *Desktop) int {
	if desk == nil {
		desk = &Desktop{HasDisplay: func() bool { return false }}
	}
	args = debugFlag(args, io)
	if len(args) == 0 {
		return openWindow(io, desk)
	}
	cmds := []*cmdutil.Command{
		auth.NewCmd(io),
		api.NewCmd(io),
		demo.NewCmd(io, desk.Demo, desk.HasDisplay),
		sandboxcmd.NewCmd(io),
		proxycmd.NewCmd(io),
		{Name: "version", Short: "Print the version", Run: func([]string) error {
			fmt.Fprintf(io.Out, "lpdesk %s\n", Version)
			return nil
		}},
	}
	return cmdutil.Dispatch("lpdesk", cmds, args, io)
}

// openWindow is `lpdesk` with no arguments: the desktop app, or one line
// saying why it cannot open instead of a GLFW error.
func openWindow(io *cmdutil.IOStreams, desk *Desktop) int {
	if desk.Run == nil || !desk.HasDisplay() {
		fmt.Fprintln(io.ErrOut, "lpdesk: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open; try `lpdesk demo` for the terminal demo or `lpdesk help` for the command line")
		return 1
	}
	if err := desk.Run(); err != nil {
		fmt.Fprintf(io.ErrOut, "lpdesk: %v\n", err)
		return 1
	}
	return 0
}

// debugFlag takes a global --debug out of args (before the subcommand or
// among its flags) or honours LPDESK_DEBUG=1: debug lines about every
// request go to stderr, through the redacting handler, so secrets, signatures
// and verifiers never reach the log.
func debugFlag(args []string, io *cmdutil.IOStreams) []string {
	on := os.Getenv("LPDESK_DEBUG") == "1"
	out := args[:0:0]
	for i, a := range args {
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		if a == "--debug" || a == "-debug" {
			on = true
			continue
		}
		out = append(out, a)
	}
	if on {
		logging.SetDefault(logging.New(io.ErrOut, slog.LevelDebug))
	}
	return out
}
