// Package logout is `lpdesk auth logout`: forget a profile on this computer,
// and with --revoke first ask the provider to revoke its token.
package logout

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/cli/auth/shared"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/onboarding"
)

// Options are the parsed flags plus the injected dependencies.
type Options struct {
	cmdutil.ProfileOptions
	Revoke bool
}

// NewCmdLogout returns the logout command; runF replaces Run in flag tests.
func NewCmdLogout(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{ProfileOptions: cmdutil.NewProfileOptions(f)}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Remove a profile from this computer (--revoke: revoke its token on the provider first)",
		Long: `Remove a profile and its keyring items (the token secret, and the
secret or private key of an application of its own) from this computer.

Without --revoke the grant stays valid on the provider until an admin
revokes it in the console. With --revoke lpdesk first asks the provider to
revoke the token (POST {server}/oauth/revoke); if that fails, the profile is
still removed here and the command exits 1 saying to revoke it in the
admin console.`,
		Example: `  lpdesk auth logout
  lpdesk auth logout --profile work --revoke`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmdutil.RunInterruptible(cmd, opts, runF, Run)
		},
	}
	cmdutil.AddProfileFlag(cmd, f, &opts.Profile, cmdutil.DefaultProfileUsage)
	cmd.Flags().BoolVar(&opts.Revoke, "revoke", false, "revoke the token on the provider (POST {server}/oauth/revoke) before removing it")
	return cmd
}

// Run removes the profile. With Revoke, a provider that could not revoke
// the grant (no endpoint, refusal, unreachable) still sees the profile
// removed locally, but Run returns an error saying to revoke it in the
// admin console: the admin asked for a revocation that did not happen.
func Run(ctx context.Context, opts *Options) error {
	st, err := opts.Store()
	if err != nil {
		return err
	}
	if !opts.Revoke {
		p, err := onboarding.SignOut(st, opts.Profile)
		if err != nil {
			return err
		}
		items := "its keyring item"
		if p.AppCredentials {
			items = "its keyring items (token secret and application secret)"
		}
		if p.Generic() {
			fmt.Fprintf(opts.IO.Out, "removed profile %q and %s from this computer; "+
				"the grant on %s stays valid until revoked in your account settings there\n", p.Name, items, p.Server)
			return nil
		}
		fmt.Fprintf(opts.IO.Out, "removed profile %q (account %s) and %s from this computer; "+
			"the grant on %s stays valid until revoked in the admin console\n", p.Name, p.AccountID, items, p.Server)
		return nil
	}
	if p, err := st.Resolve(opts.Profile); err == nil {
		shared.WarnInsecure(opts.IO.ErrOut, p.InsecureHTTP, p.Server)
	}
	res, err := onboarding.Revoke(ctx, st, opts.Profile)
	if err != nil {
		return err
	}
	if !res.ServerRevoked {
		return errors.New(res.Message())
	}
	fmt.Fprintln(opts.IO.Out, res.Message())
	return nil
}
