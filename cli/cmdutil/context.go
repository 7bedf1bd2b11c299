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

// Run does a command's work once its flags are checked: run, or runF when
// a test replaced it, with a context that Ctrl-C cancels. Every NewCmdX
// ends its RunE with it.
func Run[O any](cmd *cobra.Command, opts O, runF, run func(context.Context, O) error) error {
	ctx, stop := Interruptible(cmd.Context())
	defer stop()
	if runF != nil {
		return runF(ctx, opts)
	}
	return run(ctx, opts)
}
