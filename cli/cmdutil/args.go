package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// NoArgs refuses positional arguments as a usage mistake (exit 2); cobra's
// own NoArgs returns a plain error, which would exit 1.
func NoArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return FlagErrorf("unexpected argument %q", args[0])
	}
	return nil
}

// UnknownCommand is the usage error for a word that names no subcommand of
// cmd, with cobra's suggestions for a typo.
func UnknownCommand(cmd *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q for %q", name, cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's own default, set where it suggests
	}
	if s := cmd.SuggestionsFor(name); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return &FlagError{fmt.Errorf("%s", msg)}
}

// RunGroup is the RunE of a command that only groups others (auth). Cobra
// would print the help and exit 0 for `lpdesk auth` and `lpdesk auth frob`;
// both are usage mistakes, so they exit 2 with one line naming the choices.
func RunGroup(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return UnknownCommand(cmd, args[0])
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return FlagErrorf("%q needs a command: %s", cmd.CommandPath(), strings.Join(names, ", "))
}
