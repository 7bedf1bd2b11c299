// Package shared holds what the `lpdesk auth` subcommands have in common:
// opening the profile store with the keyring timeout, and showing a token
// without revealing it.
package shared

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/store"
)

// KeyringTimeoutFlag registers --keyring-timeout on fs; its default comes
// from LPDESK_KEYRING_TIMEOUT or store.DefaultKeyringTimeout.
func KeyringTimeoutFlag(fs *flag.FlagSet, d *time.Duration) {
	fs.DurationVar(d, "keyring-timeout", store.KeyringTimeoutFromEnv(),
		"give up on an OS keyring call after this long (a locked keyring may be waiting for a password)")
}

// OpenStore opens the profile store (LPDESK_CONFIG_DIR or the user config
// directory) with secrets in the OS keyring.
func OpenStore(keyringTimeout time.Duration) (*store.Store, error) {
	return store.Open("", store.SystemKeyring(keyringTimeout))
}

// MaskToken shows the first and last four characters of a token key,
// enough to tell tokens apart in the admin console; short ones are hidden.
func MaskToken(t string) string {
	r := []rune(t)
	if len(r) < 12 {
		return "…"
	}
	return string(r[:4]) + "…" + string(r[len(r)-4:])
}

// InsecureHTTPFlag registers --insecure-http on fs.
func InsecureHTTPFlag(fs *flag.FlagSet, b *bool) {
	fs.BoolVar(b, "insecure-http", false,
		"allow plain http to a server that is not loopback (requests and the token exchange can then be read and replayed; a warning is printed every time)")
}

// WarnInsecure prints the loud --insecure-http warning to w for the host of
// rawURL, when allowed is set. Commands call it every time the option is in
// force, whether from the flag or from a profile created with it.
func WarnInsecure(w io.Writer, allowed bool, rawURL string) {
	if !allowed {
		return
	}
	host := rawURL
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		host = u.Host
	}
	fmt.Fprintln(w, apiclient.InsecureWarning(host))
}

// Context returns a context cancelled by Ctrl-C, so that an interrupted
// flow closes its listener before the process exits.
func Context() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}
