// Package cmdutil is the small frame every lpdesk command is built on: the
// Factory that carries injected dependencies, I/O streams, the error kinds
// that decide the exit status, and argument checks that report usage
// mistakes as such.
package cmdutil

import (
	"io"
	"os"
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
