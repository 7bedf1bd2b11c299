// Package status is `lpdesk auth status`: what a profile holds, where its
// secret is kept, and whether its token works right now. It never prints a
// secret.
package status

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/cli/auth/shared"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/onboarding"
	"github.com/lpdesk/lpdesk/store"
)

// Options are status's: which profile, and the injected streams and store.
type Options = cmdutil.ProfileOptions

// NewCmdStatus returns the status command; runF replaces Run in flag tests.
func NewCmdStatus(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Store: f.Store}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show a profile and check that its token works",
		Long: `Show what a profile holds (server, account, base URL, provider, dialect,
signature method, realm, placement, the application and where its secret
is kept, the token shortened, where the token secret is kept) and check with one signed GET
that its token works right now. It never prints a secret, and exits 1 when
the token does not work.`,
		Example: `  lpdesk auth status
  lpdesk auth status --profile work`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmdutil.RunInterruptible(cmd, opts, runF, Run)
		},
	}
	cmdutil.AddProfileFlag(cmd, f, &opts.Profile, cmdutil.DefaultProfileUsage)
	return cmd
}

// Run prints the profile and checks its token with one signed GET of the
// account base resource; it fails when the token does not work.
func Run(ctx context.Context, opts *Options) error {
	st, err := opts.Store()
	if err != nil {
		return err
	}
	all, def, err := st.List()
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return fmt.Errorf("no profiles in %s; run `lpdesk auth login --server URL --account ID`", st.Path())
	}
	p, err := st.Resolve(opts.Profile)
	if err != nil {
		return err
	}
	out := opts.IO.Out
	mark := ""
	if p.Name == def {
		mark = " (default)"
	}
	fmt.Fprintf(out, "profile:      %s%s\n", p.Name, mark)
	fmt.Fprintf(out, "server:       %s\n", p.Server)
	if p.AccountID != "" || !p.Generic() {
		fmt.Fprintf(out, "account:      %s\n", p.AccountID)
	}
	fmt.Fprintf(out, "base URL:     %s\n", p.BaseURL)
	shared.PrintServices(out, p.Services)
	shared.PrintProvider(out, st, p)
	fmt.Fprintf(out, "token:        %s\n", store.MaskToken(p.Token))
	fmt.Fprintf(out, "created:      %s\n", p.CreatedAt.Local().Format(time.RFC3339))
	fmt.Fprintf(out, "profile file: %s\n", st.Path())
	fmt.Fprintf(out, "token secret: %s\n", st.SecretLocation(p.Name))
	if len(all) > 1 {
		var others []string
		for _, q := range all {
			if q.Name != p.Name {
				others = append(others, q.Name)
			}
		}
		fmt.Fprintf(out, "other profiles: %s\n", strings.Join(others, ", "))
	}

	shared.WarnInsecure(opts.IO.ErrOut, p.InsecureHTTP, p.BaseURL)
	c, _, err := onboarding.OpenClient(ctx, st, p.Name)
	if err == nil && p.Generic() && p.CheckURL == "" {
		// Another provider's base URL is often no resource at all.
		fmt.Fprintf(out, "access:       not checked (lpdesk knows no resource of this provider to GET; "+
			"log in again with --check-url URL to add one, or try `lpdesk api --profile %s PATH`)\n", p.Name)
		return nil
	}
	if err == nil {
		r, gerr := c.Get(ctx, p.CheckURL, nil)
		if gerr == nil {
			where := c.BaseURL()
			if p.CheckURL != "" {
				where = p.CheckURL
			}
			fmt.Fprintf(out, "access:       ok (GET %s: %d in %s)\n", where, r.Status, r.Elapsed.Round(time.Millisecond))
			return nil
		}
		err = onboarding.AccessRevoked(p, gerr)
	}
	fmt.Fprintf(out, "access:       FAILED\n")
	var revoked *onboarding.AccessRevokedError
	if errors.As(err, &revoked) {
		return err
	}
	return fmt.Errorf("the token of profile %q does not work: %w", p.Name, err)
}
