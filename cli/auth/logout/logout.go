// Package logout is `lpdesk auth logout`: forget a profile on this computer,
// and with --revoke first ask the provider to revoke its token.
package logout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lpdesk/lpdesk/cli/auth/shared"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/onboarding"
	"github.com/lpdesk/lpdesk/store"
)

const usage = "lpdesk auth logout [--profile NAME] [--revoke] [--keyring-timeout D]"

// Options are the parsed flags plus the injected dependencies.
type Options struct {
	IO             *cmdutil.IOStreams
	Profile        string
	Revoke         bool
	KeyringTimeout time.Duration
	// Store opens the profile store (default: LPDESK_CONFIG_DIR or the user
	// config dir, OS keyring).
	Store func() (*store.Store, error)
}

// NewCmd returns the logout command; runF replaces Run in flag tests.
func NewCmd(ios *cmdutil.IOStreams, runF func(context.Context, *Options) error) *cmdutil.Command {
	return &cmdutil.Command{
		Name:  "logout",
		Short: "Remove a profile from this computer (--revoke: revoke its token on the provider first)",
		Run: func(args []string) error {
			opts := &Options{IO: ios}
			fs := cmdutil.NewFlagSet("logout", usage, ios.ErrOut)
			fs.StringVar(&opts.Profile, "profile", "", "profile name (default: the default profile)")
			fs.BoolVar(&opts.Revoke, "revoke", false, "revoke the token on the provider (POST {server}/oauth/revoke) before removing it")
			shared.KeyringTimeoutFlag(fs, &opts.KeyringTimeout)
			if err := cmdutil.Parse(fs, args); err != nil {
				return err
			}
			if fs.NArg() > 0 {
				return cmdutil.FlagErrorf("unexpected argument %q", fs.Arg(0))
			}
			ctx, cancel := shared.Context()
			defer cancel()
			if runF != nil {
				return runF(ctx, opts)
			}
			return Run(ctx, opts)
		},
	}
}

// Run removes the profile. With Revoke, a provider that could not revoke
// the grant (no endpoint, refusal, unreachable) still sees the profile
// removed locally, but Run returns an error saying to revoke it in the
// admin console: the admin asked for a revocation that did not happen.
func Run(ctx context.Context, opts *Options) error {
	if opts.Store == nil {
		opts.Store = func() (*store.Store, error) { return shared.OpenStore(opts.KeyringTimeout) }
	}
	st, err := opts.Store()
	if err != nil {
		return err
	}
	if !opts.Revoke {
		p, err := onboarding.SignOut(st, opts.Profile)
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "removed profile %q (account %s) and its keyring item from this computer; "+
			"the grant on %s stays valid until revoked in the admin console\n", p.Name, p.AccountID, p.Server)
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
