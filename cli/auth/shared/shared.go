// Package shared holds what the `lpdesk auth` subcommands have in common:
// the --insecure-http option and its warning.
package shared

import (
	"fmt"
	"io"
	"net/url"

	"github.com/spf13/pflag"

	"github.com/lpdesk/lpdesk/apiclient"
)

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
