// Package cmdutil is the small frame every lpdesk subcommand is built on:
// injected I/O streams, a command type, and the error kinds that decide the
// exit status.
package cmdutil

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// IOStreams carries a command's input and outputs: data goes to Out, prompts,
// progress and errors to ErrOut, so `lpdesk api … | jq` stays clean.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY is true when Out is a terminal (pretty-print, colour).
	OutTTY bool
	// InTTY is true when In is a terminal (interactive prompts).
	InTTY bool
}

// System returns streams bound to the process's stdin, stdout and stderr.
func System() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		OutTTY: isTerminal(os.Stdout), InTTY: isTerminal(os.Stdin)}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Command is one subcommand: a name, a one-line summary and a run function
// over its own arguments (flags included).
type Command struct {
	Name  string
	Short string
	Run   func(args []string) error
	// Sub lists subcommands; when set, Run is not used.
	Sub []*Command
}

// FlagError is a usage mistake; it exits with status 2.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, a ...any) error {
	return &FlagError{fmt.Errorf(format, a...)}
}

// SilentError exits non-zero without printing: the command already said why.
var SilentError = errors.New("silent")

// NewFlagSet returns a flag set that reports errors as values instead of
// exiting, and prints its usage to w on -h.
func NewFlagSet(name, usage string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args into fs, turning flag errors into FlagError and -h into
// flag.ErrHelp.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &FlagError{err}
	}
	return nil
}

// StringList is a repeatable string flag (-H a -H b).
type StringList []string

func (s *StringList) String() string     { return strings.Join(*s, ", ") }
func (s *StringList) Set(v string) error { *s = append(*s, v); return nil }

// Dispatch runs the subcommand named by args[0] among cmds and maps its error
// to an exit status: 0 success, 1 failure (one line on ErrOut), 2 usage.
func Dispatch(prog string, cmds []*Command, args []string, io *IOStreams) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(prog, cmds, io.ErrOut)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range cmds {
		if c.Name != args[0] {
			continue
		}
		if len(c.Sub) > 0 {
			return Dispatch(prog+" "+c.Name, c.Sub, args[1:], io)
		}
		return exitCode(c.Run(args[1:]), io.ErrOut)
	}
	fmt.Fprintf(io.ErrOut, "%s: unknown command %q; run '%s help'\n", prog, args[0], prog)
	return 2
}

func exitCode(err error, w io.Writer) int {
	var fe *FlagError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, SilentError):
		return 1
	case errors.As(err, &fe):
		fmt.Fprintf(w, "lpdesk: %s (see -h)\n", oneLine(err.Error()))
		return 2
	}
	fmt.Fprintf(w, "lpdesk: %s\n", oneLine(err.Error()))
	return 1
}

// oneLine keeps a failure to the one line the CLI promises.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func printHelp(prog string, cmds []*Command, w io.Writer) {
	fmt.Fprintf(w, "Usage: %s <command> [flags]\n\nCommands:\n", prog)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.Name, c.Short)
	}
}
