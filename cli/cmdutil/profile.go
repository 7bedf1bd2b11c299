package cmdutil

import (
	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/store"
)

// ProfileOptions are what the commands that act on one stored profile
// share: the streams, --profile and the store. Their Options embed it.
type ProfileOptions struct {
	IO *IOStreams
	// Profile is --profile; "" means the default profile (or, for login,
	// a new one named after the account).
	Profile string
	// Store opens the profile store (the Factory's: LPDESK_CONFIG_DIR or
	// the user config dir, OS keyring, --keyring-timeout).
	Store func() (*store.Store, error)
}

// NewProfileOptions takes the streams and the store from f.
func NewProfileOptions(f *Factory) ProfileOptions {
	return ProfileOptions{IO: f.IOStreams, Store: f.Store}
}

// DefaultProfileUsage is --profile's help where it defaults to the
// default profile.
const DefaultProfileUsage = "profile `NAME` (default: the default profile)"

// AddProfileFlag registers --profile on cmd, bound to p, completed with
// the stored profiles' names.
func AddProfileFlag(cmd *cobra.Command, f *Factory, p *string, usage string) {
	cmd.Flags().StringVar(p, "profile", "", usage)
	_ = cmd.RegisterFlagCompletionFunc("profile", CompleteProfiles(f))
}
