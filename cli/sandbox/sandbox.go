// Package sandbox is the `lpdesk sandbox` command (placeholder until the
// sandbox engineer replaces it).
package sandbox

import (
	"errors"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
)

// NewCmd returns the `lpdesk sandbox` command.
func NewCmd(io *cmdutil.IOStreams) *cmdutil.Command {
	return &cmdutil.Command{Name: "sandbox", Short: "Run the local LivePerson-compatible sandbox server",
		Run: func([]string) error { return errors.New("not built yet") }}
}
