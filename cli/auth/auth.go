// Package auth is `lpdesk auth`: login, status and logout, each in its own
// subpackage shaped like the GitHub CLI's pkg/cmd/auth/<verb> (an options
// struct, a run function, injected I/O).
package auth

import (
	"github.com/lpdesk/lpdesk/cli/auth/login"
	"github.com/lpdesk/lpdesk/cli/auth/logout"
	"github.com/lpdesk/lpdesk/cli/auth/status"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
)

// NewCmd returns the `auth` command with its subcommands.
func NewCmd(io *cmdutil.IOStreams) *cmdutil.Command {
	return &cmdutil.Command{
		Name:  "auth",
		Short: "Authorize lpdesk for an account, show or remove the authorization",
		Sub: []*cmdutil.Command{
			login.NewCmd(io, nil),
			status.NewCmd(io, nil),
			logout.NewCmd(io, nil),
		},
	}
}
