package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestSigningPlacements(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		s := rec.record(r)
		if !s.Signed || s.SigErr != nil {
			w.WriteHeader(401)
			fmt.Fprint(w, s.SigErr)
			return
		}
		okJSON(w, `{}`)
	})
	params := []oauthsig.Param{{Key: "q", Value: "a b+c"}, {Key: "q", Value: "~!*'()%"}, {Key: "name", Value: "Grüße"}}
	for _, pl := range []Placement{PlaceHeader, PlaceQuery} {
		for _, sm := range []oauthsig.Method{oauthsig.HMACSHA1, oauthsig.HMACSHA256} {
			t.Run(pl.String()+"/"+string(sm), func(t *testing.T) {
				c := newTestClient(t, srv.URL, func(c *Config) { c.Placement = pl; c.SignatureMethod = sm })
				ctx := context.Background()
				reqs := []*Request{
					{Method: "GET", Path: "skills", Query: params},
					{Method: "POST", Path: "skills", Body: []byte(`{"skill":{"name":"x"}}`)},
					{Method: "PUT", Path: "skills/1", Query: params, Body: []byte(`<skill/>`), BodyFormat: wire.XML},
					{Method: "DELETE", Path: "skills/1"},
					{Method: "POST", Path: "form", Query: params, Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
						Body: []byte("a=1&a=2&b=%20x%2By&c=%C3%A9")},
				}
				for _, req := range reqs {
					resp, err := c.Do(ctx, req)
					if err != nil {
						t.Fatalf("%s %s: %v", req.Method, req.Path, err)
					}
					s := rec.last(t)
					if s.Method != "GET" && s.Method != "POST" {
						t.Errorf("wire method %s", s.Method)
					}
					if !s.Signed || s.SigErr != nil {
						t.Errorf("%s %s: signed=%v err=%v", req.Method, req.Path, s.Signed, s.SigErr)
					}
					auth := s.Header.Get("Authorization")
					switch pl {
					case PlaceHeader:
						if !strings.HasPrefix(auth, "OAuth ") || strings.Contains(s.RawQuery, "oauth_") {
							t.Errorf("header placement: auth=%q query=%q", auth, s.RawQuery)
						}
						if !strings.Contains(auth, `oauth_version="1.0"`) || strings.Contains(auth, "realm") || !strings.Contains(auth, `oauth_token="test-token"`) {
							t.Errorf("auth header %q", auth)
						}
					case PlaceQuery:
						if auth != "" || !strings.Contains(s.RawQuery, "oauth_signature=") || !strings.Contains(s.RawQuery, "oauth_version=1.0") {
							t.Errorf("query placement: auth=%q query=%q", auth, s.RawQuery)
						}
						if strings.Contains(resp.URL, "oauth_") {
							t.Errorf("Response.URL keeps oauth params: %s", resp.URL)
						}
					}
				}
			})
		}
	}
}

// TestSignatureCoversWireMethod checks that an overridden PUT is signed as
// POST (what the server sees), by verifying against a signature computed for
// PUT that must fail.
func TestSignatureCoversWireMethod(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { rec.record(r); okJSON(w, `{}`) })
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.Update(context.Background(), "skills/1", []byte(`{}`), wire.JSON, `"3"`); err != nil {
		t.Fatal(err)
	}
	s := rec.last(t)
	if s.Method != "POST" || s.Header.Get("X-HTTP-Method-Override") != "PUT" || s.Header.Get("If-Match") != `"3"` || s.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("update on the wire: %s override=%q if-match=%q ct=%q", s.Method, s.Header.Get("X-HTTP-Method-Override"), s.Header.Get("If-Match"), s.Header.Get("Content-Type"))
	}
	if s.SigErr != nil {
		t.Fatal(s.SigErr)
	}
	// The same request re-verified as if it had been PUT must fail.
	r, _ := http.NewRequest("PUT", "http://"+s.Host+s.Path+"?"+s.RawQuery, nil)
	r.Header = s.Header
	if _, err := verifySignature(r, s.Body, testCreds.ConsumerSecret, testCreds.TokenSecret); err == nil {
		t.Fatal("signature also verifies for PUT: the wire method is not what was signed")
	}

	if _, err := c.Delete(context.Background(), "skills/1", ""); err != nil {
		t.Fatal(err)
	}
	s = rec.last(t)
	if s.Method != "POST" || s.Header.Get("X-HTTP-Method-Override") != "DELETE" || s.Header.Get("If-Match") != "" || s.SigErr != nil {
		t.Fatalf("delete on the wire: %s %v %v", s.Method, s.Header, s.SigErr)
	}
}

func TestTamperedSignatureRejected(t *testing.T) {
	// Guard against a verifier that accepts anything: a wrong secret fails.
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { rec.record(r); okJSON(w, `{}`) })
	cr := testCreds
	cr.TokenSecret = "wrong"
	c := newTestClient(t, srv.URL, func(c *Config) { c.Credentials = cr })
	if _, err := c.Get(context.Background(), "x", nil); err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); !s.Signed || s.SigErr == nil {
		t.Fatal("a signature made with the wrong token secret verified")
	}
}

func TestAppKeyAndNone(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { rec.record(r); okJSON(w, `{}`) })
	ctx := context.Background()

	c := newTestClient(t, srv.URL, func(c *Config) { c.Auth = AuthAppKey })
	if _, err := c.Get(ctx, "a", nil); err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); s.Header.Get("Authorization") != "LivePerson appKey=test-consumer" || strings.Contains(s.RawQuery, "appKey") {
		t.Errorf("appkey header: %q %q", s.Header.Get("Authorization"), s.RawQuery)
	}
	if _, err := c.Do(ctx, &Request{Path: "a", Placement: PlaceQuery}); err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); s.Header.Get("Authorization") != "" || s.RawQuery != "v=1&appKey=test-consumer" {
		t.Errorf("appkey query: %q %q", s.Header.Get("Authorization"), s.RawQuery)
	}

	c = newTestClient(t, srv.URL, func(c *Config) { c.Auth = AuthNone })
	if _, err := c.Get(ctx, "a", nil); err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); s.Header.Get("Authorization") != "" || s.RawQuery != "v=1" {
		t.Errorf("none: %q %q", s.Header.Get("Authorization"), s.RawQuery)
	}
	// Per-request override back to OAuth.
	if _, err := c.Do(ctx, &Request{Path: "a", Auth: AuthOAuth}); err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); !s.Signed || s.SigErr != nil {
		t.Errorf("override to oauth: signed=%v %v", s.Signed, s.SigErr)
	}
}

func TestRedirects(t *testing.T) {
	var recB recorder
	b := serve(t, func(w http.ResponseWriter, r *http.Request) { recB.record(r); okJSON(w, `{}`) })
	bURL, _ := url.Parse(b.URL)
	// Same server, reached as "localhost": another host for header rules.
	bLocal := "http://localhost:" + bURL.Port()

	var recA recorder
	a := serve(t, func(w http.ResponseWriter, r *http.Request) {
		rec := recA.record(r)
		switch {
		case strings.HasSuffix(r.URL.Path, "/tohost"):
			http.Redirect(w, r, bLocal+"/moved?x=1", http.StatusFound)
		case strings.HasSuffix(r.URL.Path, "/tosame"):
			// Echo the signed query back, as a naive server would.
			http.Redirect(w, r, "/api/account/12345678/target?"+rec.RawQuery, http.StatusTemporaryRedirect)
		case strings.HasSuffix(r.URL.Path, "/target"):
			okJSON(w, `{}`)
		case strings.HasSuffix(r.URL.Path, "/insecure"):
			http.Redirect(w, r, "http://example.com/x", http.StatusFound)
		case strings.HasSuffix(r.URL.Path, "/ftp"):
			http.Redirect(w, r, "ftp://127.0.0.1/x", http.StatusFound)
		case strings.Contains(r.URL.Path, "/loop"):
			http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
		case strings.HasSuffix(r.URL.Path, "/postredirect"):
			http.Redirect(w, r, "/api/account/12345678/target", http.StatusSeeOther)
		}
	})
	ctx := context.Background()

	for _, pl := range []Placement{PlaceHeader, PlaceQuery} {
		c := newTestClient(t, a.URL, func(c *Config) { c.Placement = pl })
		// A signed request does not follow a redirect to another origin
		// (TestCrossOriginRedirectRefused has the full matrix).
		n := recB.count()
		var co *CrossOriginRedirectError
		if _, err := c.Get(ctx, "tohost", nil); !errors.As(err, &co) || recB.count() != n {
			t.Errorf("%s: signed redirect to another host: %v (%d requests there)", pl, err, recB.count()-n)
		}

		// A same-host redirect that echoes oauth_* back is re-signed cleanly.
		if _, err := c.Get(ctx, "tosame", nil); err != nil {
			t.Fatalf("%s: tosame: %v", pl, err)
		}
		s := recA.last(t)
		if !strings.HasSuffix(s.Path, "/target") || s.SigErr != nil || strings.Count(s.RawQuery, "oauth_signature=") > 1 {
			t.Errorf("%s: same-host redirect: %q %q %v", pl, s.Path, s.RawQuery, s.SigErr)
		}
	}

	c := newTestClient(t, a.URL, nil)
	for _, p := range []string{"insecure", "ftp"} {
		n := recA.count()
		_, err := c.Get(ctx, p, nil)
		if !errors.Is(err, ErrUnsafeRedirect) {
			t.Errorf("%s: err = %v", p, err)
		}
		if recA.count() != n+1 {
			t.Errorf("%s: refused redirect was retried or followed", p)
		}
	}
	n := recA.count()
	_, err := c.Get(ctx, "loop", nil)
	if !errors.Is(err, ErrTooManyRedirects) || recA.count()-n != MaxRedirects+1 {
		t.Errorf("loop: %d requests, err %v", recA.count()-n, err)
	}

	// An unsigned GET follows a redirect to another host, with v=1 added,
	// but a caller's own Authorization never crosses.
	cn := newTestClient(t, a.URL, func(c *Config) { c.Auth = AuthNone })
	resp, err := cn.Do(ctx, &Request{Path: "tohost", Header: http.Header{"Authorization": {"Bearer private"}}})
	if err != nil {
		t.Fatal(err)
	}
	if s := recB.last(t); s.Host != "localhost:"+bURL.Port() || s.Signed || !strings.HasPrefix(s.RawQuery, "x=1&v=1") {
		t.Errorf("unsigned redirect target got host %q signed %v query %q (v=1 must be added)", s.Host, s.Signed, s.RawQuery)
	}
	if resp.URL != bLocal+"/moved?x=1&v=1" {
		t.Errorf("Response.URL %q", resp.URL)
	}
	if got := recA.last(t).Header.Get("Authorization"); got != "Bearer private" {
		t.Errorf("first hop lost the header: %q", got)
	}
	if got := recB.last(t).Header.Get("Authorization"); got != "" {
		t.Errorf("Authorization forwarded across hosts: %q", got)
	}

	// A 303 after a PUT turns into a plain GET: no override left on it.
	if _, err := c.Update(ctx, "postredirect", []byte(`{}`), wire.JSON, `"1"`); err != nil {
		t.Fatal(err)
	}
	s := recA.last(t)
	if s.Method != "GET" || s.Header.Get("X-HTTP-Method-Override") != "" || s.Header.Get("If-Match") != "" || s.SigErr != nil {
		t.Errorf("after 303: %s %v %v", s.Method, s.Header, s.SigErr)
	}
}
