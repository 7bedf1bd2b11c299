package cmdutil

import (
	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/store"
)

// ProfileOptions are what a command working on one stored profile takes:
// its streams, --profile, and the store.
type ProfileOptions struct {
	IO      *IOStreams
	Profile string
	// Store opens the profile store (the Factory's: LPDESK_CONFIG_DIR or
	// the user config dir, OS keyring, --keyring-timeout).
	Store func() (*store.Store, error)
}

// ProfileOptions are the streams and store of f; AddProfileFlag binds the
// profile.
func (f *Factory) ProfileOptions() ProfileOptions {
	return ProfileOptions{IO: f.IOStreams, Store: f.Store}
}

// AddProfileFlag registers --profile NAME, completed from the profile file,
// bound to p; usage says what it selects and its default.
func AddProfileFlag(cmd *cobra.Command, f *Factory, p *string, usage string) {
	cmd.Flags().StringVar(p, "profile", "", usage)
	_ = cmd.RegisterFlagCompletionFunc("profile", CompleteProfiles(f))
}
