package proxy

import (
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Finding 7: the proxy refused requests with an Origin but signed the GETs a
// page makes without one (<img>, <script>, a navigation) and those an older
// browser makes with only a Referer. Every request a browser could have
// sent on a page's behalf is now refused with 403 before it reaches the
// platform; a script's request is still signed and forwarded.
func TestBrowserRequestsRefused(t *testing.T) {
	e := newEnv(t, "")
	before := e.seenCount()
	for _, tt := range []struct {
		name string
		hdr  []string
	}{
		{"img, no referrer", []string{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image"}},
		{"script", []string{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "script", "Referer", "https://evil.example/"}},
		{"navigation", []string{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document", "Sec-Fetch-User", "?1"}},
		{"same-site page", []string{"Sec-Fetch-Site", "same-site"}},
		{"link from another application", []string{"Sec-Fetch-Site", "none", "Sec-Fetch-Mode", "navigate"}},
		{"same-origin", []string{"Sec-Fetch-Site", "same-origin"}},
		{"only Sec-Fetch-Dest", []string{"Sec-Fetch-Dest", "image"}},
		{"foreign Referer, older browser", []string{"Referer", "https://evil.example/page.html"}},
		{"Referer on the proxy itself", []string{"Referer", e.proxy.URL + "/skills"}},
		{"cookie from the sandbox console", []string{"Cookie", "lpdesk_console=abc"}},
		{"Origin", []string{"Origin", "null"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := e.do(t, "GET", "/skills", "", tt.hdr...)
			if a.status != 403 || a.header.Get("X-Lpdesk-Proxy-Error") != "61" {
				t.Fatalf("%d %v %s, want 403 from the proxy", a.status, a.header, a.body)
			}
			we, ok := wire.ParseError([]byte(a.body))
			if !ok || we.Message != "lpdesk proxy: requests from web browsers are refused" || !strings.Contains(we.Reason, tt.hdr[0]) ||
				strings.ContainsAny(we.Message+we.Reason, "\r\n") || strings.Contains(we.Reason, "evil.example") || strings.Contains(we.Reason, "abc") {
				t.Fatalf("want one line naming %s (not its value): %s", tt.hdr[0], a.body)
			}
		})
	}
	if n := e.seenCount() - before; n != 0 {
		t.Fatalf("%d browser requests reached the platform", n)
	}

	// curl's GET is still signed and forwarded.
	a := e.do(t, "GET", "/skills", "", "User-Agent", "curl/8.5.0", "Accept", "*/*")
	if a.status != 200 || !strings.Contains(a.body, "skills") {
		t.Fatalf("curl-like GET: %d %s", a.status, a.body)
	}
	if got := e.lastSeen(t); !strings.HasPrefix(got.Header.Get("Authorization"), "OAuth ") {
		t.Fatalf("curl-like GET not signed: %v", got.Header)
	}
}
