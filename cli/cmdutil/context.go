package cmdutil

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Interruptible returns ctx, also cancelled by Ctrl-C or SIGTERM, so that an
// interrupted command closes its listener and saves its state before the
// process exits. Commands call it themselves rather than the root for all:
// the window (lpdesk with no command) must stay killable by Ctrl-C.
func Interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}
