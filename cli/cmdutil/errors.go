package cmdutil

import (
	"errors"
	"fmt"
	"github.com/lpdesk/lpdesk/logging"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// FlagError is a usage mistake: an unknown flag or command, a missing or
// unexpected argument. It exits with status 2.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, a ...any) error {
	return &FlagError{fmt.Errorf(format, a...)}
}

// SilentError exits non-zero without printing: the command already said why.
var SilentError = errors.New("silent")

// ExitCode maps the error of cmd (the command that ran, as cobra's ExecuteC
// returns it) to the exit status and prints the one line the CLI promises
// to w: 0 success, 1 failure, 2 usage mistake.
func ExitCode(cmd *cobra.Command, err error, w io.Writer) int {
	var fe *FlagError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, SilentError):
		return 1
	case errors.As(err, &fe):
		path := "lpdesk"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(w, "lpdesk: %s (see '%s --help')\n", oneLine(err.Error()), path)
		return 2
	}
	// A provider's own message may quote what it received; any secret
	// lpdesk registered is redacted from it, as from a log line.
	fmt.Fprintf(w, "lpdesk: %s\n", oneLine(logging.RedactString(err.Error())))
	return 1
}

// oneLine keeps a failure to the one line the CLI promises.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// flagError is the root's flag error function: cobra's flag parsing errors
// become usage mistakes. Go's flag package, which lpdesk used before, took
// -server as well as --server; pflag reads -server as the shorthands -s -e
// -r…, so the message says what to type instead.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if _, word, ok := strings.Cut(msg, "' in -"); ok && strings.HasPrefix(msg, "unknown shorthand flag") {
		name, _, _ := strings.Cut(word, "=")
		if cmd.Flags().Lookup(name) != nil {
			return &FlagError{fmt.Errorf("%w (long flags take two dashes: --%s)", err, name)}
		}
	}
	return &FlagError{err}
}
