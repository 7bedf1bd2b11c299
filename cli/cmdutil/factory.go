package cmdutil

import (
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lpdesk/lpdesk/onboarding"
	"github.com/lpdesk/lpdesk/store"
)

// Factory carries what commands get from outside rather than build
// themselves, so that tests inject fakes and every command opens the store
// the same way. NewCmdX(f, runF) functions take it; the root fills
// KeyringTimeout from its global flag before any command runs.
type Factory struct {
	IOStreams *IOStreams

	// OpenStore opens the profile store with each OS keyring call bounded
	// by keyringTimeout. Commands call Store, which passes KeyringTimeout.
	OpenStore func(keyringTimeout time.Duration) (*store.Store, error)
	// KeyringTimeout is --keyring-timeout, whose default comes from
	// LPDESK_KEYRING_TIMEOUT or store.DefaultKeyringTimeout.
	KeyringTimeout time.Duration

	// Browser opens a URL in the user's browser.
	Browser func(url string) error

	// Desktop is the window side, injected by the main package; never nil.
	Desktop *Desktop
}

// Store opens the profile store with the keyring timeout in force. It reads
// KeyringTimeout when called, after the flags are parsed, so f.Store can be
// handed to an Options struct when the command is built.
func (f *Factory) Store() (*store.Store, error) {
	return f.OpenStore(f.KeyringTimeout)
}

// keyringTimeoutFlag is the global flag that sets KeyringTimeout.
const keyringTimeoutFlag = "keyring-timeout"

// AddKeyringTimeoutFlag registers --keyring-timeout on fs (the root's
// persistent flags, so it may stand anywhere), bound to KeyringTimeout.
func (f *Factory) AddKeyringTimeoutFlag(fs *pflag.FlagSet) {
	fs.DurationVar(&f.KeyringTimeout, keyringTimeoutFlag, f.KeyringTimeout,
		"give up on an OS keyring call after `DURATION` (e.g. 30s); a locked keyring may be waiting for a password (also LPDESK_KEYRING_TIMEOUT)")
}

// KeyringTimeoutOr is the keyring timeout for a command with a default of
// its own (the demo's): the one the user chose, by flag or environment,
// else def.
func (f *Factory) KeyringTimeoutOr(cmd *cobra.Command, def time.Duration) time.Duration {
	if cmd.Flags().Changed(keyringTimeoutFlag) || os.Getenv("LPDESK_KEYRING_TIMEOUT") != "" {
		return f.KeyringTimeout
	}
	return def
}

// NewFactory returns the Factory of the real process: profiles in
// LPDESK_CONFIG_DIR or the user config directory, secrets in the OS keyring,
// the system browser. desk may be nil (a build without a window).
func NewFactory(ios *IOStreams, desk *Desktop) *Factory {
	if desk == nil {
		desk = &Desktop{}
	}
	if desk.HasDisplay == nil {
		desk.HasDisplay = func() bool { return false }
	}
	return &Factory{
		IOStreams: ios,
		OpenStore: func(timeout time.Duration) (*store.Store, error) {
			return store.Open("", store.SystemKeyring(timeout))
		},
		KeyringTimeout: store.KeyringTimeoutFromEnv(),
		Browser:        onboarding.OpenBrowser,
		Desktop:        desk,
	}
}
