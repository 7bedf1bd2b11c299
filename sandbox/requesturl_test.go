package sandbox

import (
	"crypto/tls"
	"net/http/httptest"
	"net/url"
	"testing"
)

// requestURL skips url.Parse for plain hosts: it must build exactly what
// the parse gives, for those and for the hosts that still go through it.
func TestRequestURLMatchesParse(t *testing.T) {
	for _, host := range []string{"127.0.0.1:8080", "localhost", "Example.COM:443", "a-b.c", "host:", "[::1]:80",
		"user@evil:1", "h%41st", "x:y", ":80", "a:8:9"} {
		for _, tls_ := range []bool{false, true} {
			r := httptest.NewRequest("GET", "/api/account/1/skills?v=1", nil)
			r.Host = host
			if tls_ {
				r.TLS = &tls.ConnectionState{}
			}
			want, _ := url.Parse(requestBase(r))
			if want == nil {
				want = &url.URL{Scheme: "http", Host: r.Host}
			}
			want.Path, want.RawPath, want.RawQuery = r.URL.Path, r.URL.RawPath, r.URL.RawQuery
			if got := requestURL(r); got.String() != want.String() || got.Host != want.Host || got.Scheme != want.Scheme {
				t.Errorf("host %q (tls %v): got %#v, want %#v", host, tls_, got, want)
			}
		}
	}
}
