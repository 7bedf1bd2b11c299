package ui

import (
	"net/url"
	"strings"
)

// relativeAddress turns an absolute URL under the account base into the
// address-bar form (path relative to the base plus query, without v=1);
// anything else is returned as given. The query keeps the server's own
// order and escapes, so following a link from the bar sends it as written.
// keepVersion keeps v pairs: only the LivePerson-style platform's client
// adds v=1 itself, and another provider's v is a parameter like any other.
func relativeAddress(base, href string, keepVersion bool) string {
	base = strings.TrimSuffix(base, "/")
	u, err := url.Parse(href)
	if err != nil || base == "" {
		return href
	}
	query := u.RawQuery
	if !keepVersion {
		query = withoutVersion(query)
	}
	u.RawQuery, u.ForceQuery = "", false
	abs := u.String()
	rest, ok := strings.CutPrefix(abs, base)
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		rest = abs
	} else {
		rest = strings.TrimPrefix(rest, "/")
	}
	if query != "" {
		rest += "?" + query
	}
	return rest
}

// withoutVersion drops the v parameters from a raw query, leaving every
// other pair exactly as written: the client adds v=1 itself.
func withoutVersion(raw string) string {
	var kept []string
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" || pair == "v" || strings.HasPrefix(pair, "v=") {
			continue
		}
		kept = append(kept, pair)
	}
	return strings.Join(kept, "&")
}

// addressPath is the address without its query, the resource an edit
// goes to.
func addressPath(addr string) string {
	p, _, _ := strings.Cut(addr, "?")
	return p
}
