// Package cli wires lpdesk's subcommands (auth, api, sandbox, demo, proxy)
// into one command tree. Each subcommand lives in its own package under cli/,
// shaped like the GitHub CLI's: an options struct, a run function, injected
// I/O.
package cli

import (
	"fmt"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
	sandboxcmd "github.com/lpdesk/lpdesk/cli/sandbox"
)

// Version is set at build time with -ldflags "-X github.com/lpdesk/lpdesk/cli.Version=…".
var Version = "0.1.0"

// Main runs lpdesk with args (without the program name) and returns the exit
// status.
func Main(args []string, io *cmdutil.IOStreams) int {
	cmds := []*cmdutil.Command{
		sandboxcmd.NewCmd(io),
		{Name: "version", Short: "Print the version", Run: func([]string) error {
			fmt.Fprintf(io.Out, "lpdesk %s\n", Version)
			return nil
		}},
	}
	return cmdutil.Dispatch("lpdesk", cmds, args, io)
}
