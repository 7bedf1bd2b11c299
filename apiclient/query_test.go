package apiclient

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

func TestReencode(t *testing.T) {
	for _, raw := range []string{"", "abc", "a+b", "%20", "%7e", "%7E", "%2a", "%2A", "%C3%A9", "ü", "a b", "%", "%2", "%zz", "x%4", "~-._", "%25"} {
		got, ok := reencode(raw)
		dec, err := url.QueryUnescape(raw)
		if (err == nil) != ok {
			t.Errorf("%q: ok %v, QueryUnescape error %v", raw, ok, err)
			continue
		}
		if ok && got != oauthsig.PercentEncode(dec) {
			t.Errorf("%q: %q, want %q", raw, got, oauthsig.PercentEncode(dec))
		}
	}
}

func FuzzReencode(f *testing.F) {
	for _, s := range []string{"a+b", "%7e", "%C3%A9", "%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := reencode(raw)
		dec, err := url.QueryUnescape(raw)
		if (err == nil) != ok || (ok && got != oauthsig.PercentEncode(dec)) {
			t.Fatalf("%q: %q %v; QueryUnescape %q %v", raw, got, ok, dec, err)
		}
	})
}

// A redirect gets the request's version rule: v=1 added where the target
// has no v (TestRedirects), and a target asking for another version is not
// followed.
func TestRedirectVersionConflict(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		if r.URL.Path == "/api/account/12345678/old" {
			http.Redirect(w, r, "/api/account/12345678/new?v=2", http.StatusFound)
			return
		}
		okJSON(w, `{}`)
	})
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.Get(context.Background(), "old", nil); !errors.Is(err, ErrVersionConflict) {
		t.Fatalf("redirect to v=2: %v", err)
	}
	if rec.count() != 1 {
		t.Errorf("%d requests; the v=2 target must not be requested", rec.count())
	}
}

func TestReadQuery(t *testing.T) {
	q, err := readQuery("a=%7e+b&v=1", AuthOAuth)
	if err != nil || q.raw != "a=%7e+b&v=1" || len(q.params) != 2 || q.params[0] != (encParam{"a", "~%20b"}) {
		t.Errorf("readQuery = %+v, %v", q, err)
	}
	if q, err := readQuery("", AuthOAuth); err != nil || q.raw != "v=1" || len(q.params) != 1 {
		t.Errorf("empty query: %+v, %v", q, err)
	}
	for raw, auth := range map[string]Auth{"oauth_token=x": AuthOAuth, "oauth%5Fnonce=1": AuthOAuth, "a=%zz": AuthNone, "v=%32": AuthNone} {
		if _, err := readQuery(raw, auth); err == nil {
			t.Errorf("readQuery(%q, %v) accepted", raw, auth)
		}
	}
	if q, err := readQuery("oauth_token=x", AuthAppKey); err != nil || q.raw != "oauth_token=x&v=1" {
		t.Errorf("oauth_* with appkey: %+v, %v", q, err)
	}
}
