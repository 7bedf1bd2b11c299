package ui

import (
	"net/url"
	"strings"
)

// relativeAddress turns an absolute URL under the account base into the
// address-bar form (path relative to the base plus query, without v=1);
// anything else is returned as given.
func relativeAddress(base, href string) string {
	base = strings.TrimSuffix(base, "/")
	u, err := url.Parse(href)
	if err != nil || base == "" {
		return href
	}
	q := u.Query()
	q.Del("v")
	u.RawQuery = ""
	abs := u.String()
	rest, ok := strings.CutPrefix(abs, base)
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		if enc := q.Encode(); enc != "" {
			return abs + "?" + enc
		}
		return abs
	}
	rest = strings.TrimPrefix(rest, "/")
	if enc := q.Encode(); enc != "" {
		rest += "?" + enc
	}
	return rest
}

// addressPath is the address without its query, the resource an edit
// goes to.
func addressPath(addr string) string {
	p, _, _ := strings.Cut(addr, "?")
	return p
}
