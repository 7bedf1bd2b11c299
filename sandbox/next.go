package sandbox

import (
	"net/url"
	"strings"
)

// dashboardPath is where a sign-in goes when next is absent or refused.
const dashboardPath = "/console"

// safeNext keeps the post-login redirect on this server. next is accepted
// only when it is, both as sent and after percent-decoding,
//   - at most 1024 bytes,
//   - a path that starts with exactly one "/" (not "//" nor "/\"),
//   - made of the characters A-Z a-z 0-9 / _ . - ~ ? = & + and %XX escapes:
//     no scheme, no "\", no "@", no "#", no space or control character.
//
// Anything else falls back to the dashboard. Browsers drop tabs and line
// breaks from a Location and read "\" as "/", so "/\t/evil.example" or
// "/\evil.example" would leave the origin; a plain character set rules out
// every such trick instead of naming them one by one.
func safeNext(next string) string {
	if !plainPath(next) {
		return dashboardPath
	}
	dec, err := url.PathUnescape(next)
	if err != nil || !plainPath(dec) {
		return dashboardPath
	}
	return next
}

func plainPath(p string) bool {
	if len(p) == 0 || len(p) > 1024 || p[0] != '/' || strings.HasPrefix(p, "//") {
		return false
	}
	for _, c := range []byte(p) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("/_.-~?=&+%", c) >= 0:
		default:
			return false
		}
	}
	return true
}
