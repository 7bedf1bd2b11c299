package api

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient"
)

// ErrOtherOrigin is returned, before anything is sent, for an absolute URL
// whose origin (scheme, host, port) is not the profile's base URL's: the
// profile's credentials are meant for its own server only, as `gh api`
// keeps a host's token for that host.
var ErrOtherOrigin = errors.New("refusing to send the profile's credentials to another origin")

// checkOrigin lets a path through, and an absolute http(s) URL only on the
// origin of base or of one of the profile's service bases (a link from the
// Chat Agent API points at its own host). It applies the apiclient's rule
// for what counts as an absolute URL, so nothing it lets through can be
// read as one elsewhere.
func checkOrigin(pathOrURL, base string, services ...string) error {
	lower := strings.ToLower(pathOrURL)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		return nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("profile base URL %q: %w", base, err)
	}
	home := b.Scheme + "://" + b.Host
	u, err := url.Parse(pathOrURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a valid URL; give a path relative to the account base or a URL on %s", pathOrURL, home)
	}
	if apiclient.SameOrigin(u, b) {
		return nil
	}
	for _, sb := range services {
		if su, err := url.Parse(sb); err == nil && apiclient.SameOrigin(u, su) {
			return nil
		}
	}
	u.User, u.RawQuery, u.Fragment, u.RawFragment = nil, "", "", ""
	return fmt.Errorf("%s is not on the profile's server %s: %w; give a path relative to the account base or a URL on %s",
		u.Redacted(), home, ErrOtherOrigin, home)
}

// serviceBases are the client's service bases other than the account's.
func serviceBases(c *apiclient.Client) []string {
	var out []string
	for s, b := range c.ServiceBases() {
		if s != apiclient.ServiceAccount {
			out = append(out, b)
		}
	}
	return out
}
