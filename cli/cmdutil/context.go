package cmdutil

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Interruptible returns ctx, also cancelled by Ctrl-C or SIGTERM, so that an
// interrupted command closes its listener and saves its state before the
// process exits. Commands call it themselves rather than the root for all:
// the window (lpdesk with no command) must stay killable by Ctrl-C.
func Interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

// RunInterruptible runs a command's work, run, with opts and an
// Interruptible context; runF, a test's stand-in passed to NewCmdX(f,
// runF), replaces run when it is not nil.
func RunInterruptible[O any](cmd *cobra.Command, opts *O, runF, run func(context.Context, *O) error) error {
	ctx, stop := Interruptible(cmd.Context())
	defer stop()
	if runF != nil {
		return runF(ctx, opts)
	}
	return run(ctx, opts)
}
