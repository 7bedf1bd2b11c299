package proxy

import (
	"net/http"
	"strings"
)

// browserSign names the first header of r that only a browser sends on a
// web page's (or a link's) behalf, or returns "" for none. Any such request
// is refused, whatever the header's value:
//
//   - Origin: a page's fetch or form, and some cross-site GETs;
//   - any Sec-Fetch-* header (Site, Mode, Dest, User): every request of a
//     current browser to a loopback address, <img>, <script> and
//     navigations included. "same-origin" is refused too, because the proxy
//     hands back the platform's bodies as they are and must not be a page's
//     origin either; "none" (a typed address, a bookmark) is refused because
//     a link opened from a mail or chat application arrives the same way,
//     with a URL chosen by whoever sent it;
//   - Referer: older browsers without Sec-Fetch still send one, and a script
//     has no reason to;
//   - Cookie: browsers attach 127.0.0.1's cookies (set by any port, such as
//     the sandbox console) to every request there; the proxy sets none.
//
// curl, scripts and lpdesk's own clients send none of these.
func browserSign(h http.Header) string {
	for _, k := range browserHeaders {
		if _, ok := h[k]; ok {
			return k
		}
	}
	for k := range h {
		if strings.HasPrefix(k, "Sec-Fetch-") { // one added after these
			return k
		}
	}
	return ""
}

// browserHeaders are checked in this order, so that the reason given names
// the most telling one.
var browserHeaders = []string{"Origin", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest", "Sec-Fetch-User", "Referer", "Cookie"}
