// Package shared holds what the `lpdesk auth` subcommands have in common:
// showing a token without revealing it, and the --insecure-http option.
package shared

import (
	"fmt"
	"io"
	"net/url"

	"github.com/spf13/pflag"

	"github.com/lpdesk/lpdesk/apiclient"
)

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
func InsecureHTTPFlag(fs *pflag.FlagSet, b *bool) {
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
