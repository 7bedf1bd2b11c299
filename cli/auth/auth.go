// Package auth is `lpdesk auth`: login, status and logout, each in its own
// subpackage shaped like the GitHub CLI's pkg/cmd/auth/<verb> (an options
// struct, a run function, the Factory injected).
package auth

import (
	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/cli/auth/login"
	"github.com/lpdesk/lpdesk/cli/auth/logout"
	"github.com/lpdesk/lpdesk/cli/auth/status"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
)

// NewCmdAuth returns the `auth` command with its subcommands.
func NewCmdAuth(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Authorize lpdesk for an account, show or remove the authorization",
		Example: `  lpdesk auth login --server https://provider.example --account 12345678
  lpdesk auth status
  lpdesk auth logout --revoke`,
		RunE: cmdutil.RunGroup,
	}
	cmd.AddCommand(
		login.NewCmdLogin(f, nil),
		status.NewCmdStatus(f, nil),
		logout.NewCmdLogout(f, nil),
	)
	return cmd
}
