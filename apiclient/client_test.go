package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func okJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(body))
}

func TestVersionParameter(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { rec.record(r); okJSON(w, `{}`) })
	c := newTestClient(t, srv.URL, nil)
	ctx := context.Background()

	if _, err := c.Get(ctx, "skills", url.Values{"name": {"a"}}); err != nil {
		t.Fatal(err)
	}
	if q := rec.last(t).RawQuery; q != "name=a&v=1" {
		t.Errorf("query = %q, want name=a&v=1", q)
	}
	if _, err := c.Get(ctx, "skills?v=1", nil); err != nil {
		t.Fatal(err)
	}
	if q := rec.last(t).RawQuery; q != "v=1" {
		t.Errorf("v kept: query = %q, want v=1", q)
	}
	if _, err := c.Do(ctx, &Request{Path: "skills", Query: []oauthsig.Param{{Key: "v", Value: "1"}}}); err != nil {
		t.Fatal(err)
	}
	if q := rec.last(t).RawQuery; q != "v=1" {
		t.Errorf("v from Query: query = %q, want v=1", q)
	}

	before := rec.count()
	for _, path := range []string{"skills?v=2", "skills?v=1&v=2"} {
		_, err := c.Get(ctx, path, nil)
		if !errors.Is(err, ErrVersionConflict) {
			t.Errorf("%s: err = %v, want ErrVersionConflict", path, err)
		}
	}
	if _, err := c.Get(ctx, "skills", url.Values{"v": {"2"}}); !errors.Is(err, ErrVersionConflict) {
		t.Errorf("Query v=2: err = %v", err)
	}
	if rec.count() != before {
		t.Error("a conflicting v was sent")
	}
}

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
		for _, sm := range []string{oauthsig.HMACSHA1, oauthsig.HMACSHA256} {
			t.Run(string(pl)+"/"+sm, func(t *testing.T) {
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

func TestFormatSelection(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		if strings.HasSuffix(r.URL.Path, ".xml") || r.Header.Get("Accept") == "application/xml" {
			w.Header().Set("Content-Type", "application/xml")
			w.Write([]byte(`<a><link rel="self" href="http://x/a"/></a>`))
			return
		}
		okJSON(w, `{"a":{"link":{"@rel":"self","@href":"http://x/a"}}}`)
	})
	ctx := context.Background()
	c := newTestClient(t, srv.URL, nil)
	resp, err := c.Get(ctx, "chat/availability", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); s.Header.Get("Accept") != "application/json" || s.Path != "/api/account/12345678/chat/availability" {
		t.Errorf("accept json: %q %q", s.Header.Get("Accept"), s.Path)
	}
	if resp.Format != wire.JSON || len(resp.Links) != 1 || resp.Links[0] != (wire.Link{Rel: "self", Href: "http://x/a"}) {
		t.Errorf("json response: %+v", resp)
	}
	resp, err = c.Do(ctx, &Request{Path: "chat/availability", Format: wire.XML})
	if err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); s.Header.Get("Accept") != "application/xml" || resp.Format != wire.XML || len(resp.Links) != 1 {
		t.Errorf("accept xml: %q %+v", s.Header.Get("Accept"), resp)
	}

	c = newTestClient(t, srv.URL, func(c *Config) { c.FormatBy = ByExtension; c.Format = wire.XML })
	for path, want := range map[string]string{
		"chat/availability":      "/api/account/12345678/chat/availability.xml",
		"chat/availability.xml":  "/api/account/12345678/chat/availability.xml",
		"chat/availability.json": "/api/account/12345678/chat/availability.json",
		"":                       "/api/account/12345678.xml",
		srv.URL + "/other/x?y=1": "/other/x.xml",
	} {
		resp, err := c.Get(ctx, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := rec.last(t)
		if s.Path != want || s.Header.Get("Accept") != "" || s.SigErr != nil {
			t.Errorf("extension %q: path %q accept %q sig %v", path, s.Path, s.Header.Get("Accept"), s.SigErr)
		}
		if !strings.Contains(resp.URL, want) || strings.Contains(resp.URL, "oauth_") {
			t.Errorf("Response.URL %q", resp.URL)
		}
	}
}

func TestPathEncoding(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { rec.record(r); okJSON(w, `{}`) })
	c := newTestClient(t, srv.URL, func(c *Config) { c.Placement = PlaceQuery })
	ctx := context.Background()
	if _, err := c.Get(ctx, "users/a b/Grüße", url.Values{"x": {"1 2"}}); err != nil {
		t.Fatal(err)
	}
	s := rec.last(t)
	if s.Path != "/api/account/12345678/users/a%20b/Gr%C3%BC%C3%9Fe" || s.SigErr != nil {
		t.Errorf("path %q sig %v", s.Path, s.SigErr)
	}
	if !strings.HasPrefix(s.RawQuery, "x=1%202&v=1&oauth_") {
		t.Errorf("query %q", s.RawQuery)
	}
	if _, err := c.Do(ctx, &Request{Path: "x", Query: []oauthsig.Param{{Key: "oauth_token", Value: "t"}}}); err == nil {
		t.Error("user oauth_* parameter accepted")
	}
	n := rec.count()
	if _, err := c.Get(ctx, "http://example.com/api/x", nil); !errors.Is(err, ErrUnsafeURL) || rec.count() != n {
		t.Errorf("signed request to plain http elsewhere: %v", err)
	}
	if _, err := c.Do(ctx, &Request{Path: "http://localhost:1/x", Auth: AuthNone, Method: "GET"}); errors.Is(err, ErrUnsafeURL) {
		t.Errorf("loopback refused: %v", err)
	}
}

func TestRetriesOnStatus(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		switch {
		case r.URL.Path == "/api/account/12345678/flaky" && n <= 2:
			w.WriteHeader([]int{502, 504}[n-1])
		case r.URL.Path == "/api/account/12345678/busy" && n == 1:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(429)
		case r.URL.Path == "/api/account/12345678/busydate" && n == 1:
			w.Header().Set("Retry-After", time.Date(2030, 1, 1, 0, 0, 8, 0, time.UTC).Format(http.TimeFormat))
			w.WriteHeader(429)
		case r.URL.Path == "/api/account/12345678/huge" && n == 1:
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(503)
		case r.URL.Path == "/api/account/12345678/down":
			w.WriteHeader(503)
		default:
			okJSON(w, `{}`)
		}
	})
	ctx := context.Background()
	fixed := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newTestClient(t, srv.URL, func(c *Config) { c.Now = func() time.Time { return fixed }; c.MaxRetryWait = 10 * time.Second })
	waits := sleepRecorder(c)

	check := func(path string, wantHits int32, wantStatus int, wantWaits ...time.Duration) {
		t.Helper()
		hits.Store(0)
		*waits = nil
		resp, err := c.Get(ctx, path, nil)
		if resp == nil || resp.Status != wantStatus {
			t.Fatalf("%s: resp %+v err %v", path, resp, err)
		}
		if got := hits.Load(); got != wantHits {
			t.Errorf("%s: %d requests, want %d", path, got, wantHits)
		}
		if len(*waits) != int(wantHits-1) {
			t.Errorf("%s: waits %v", path, *waits)
		}
		for i, w := range wantWaits {
			if i < len(*waits) && (*waits)[i] != w {
				t.Errorf("%s: wait %d = %v, want %v", path, i, (*waits)[i], w)
			}
		}
	}
	check("flaky", 3, 200)
	for _, w := range *waits {
		if w <= 0 || w > 10*time.Second {
			t.Errorf("backoff %v outside (0, cap]", w)
		}
	}
	check("busy", 2, 200, 7*time.Second)
	check("busydate", 2, 200, 8*time.Second)
	check("huge", 2, 200, 10*time.Second) // capped at MaxRetryWait
	check("down", 4, 503)                 // 1 + MaxRetries, then the last answer

	// Never a POST, nor an overridden PUT.
	for _, m := range []string{"POST", "PUT", "DELETE"} {
		hits.Store(0)
		resp, err := c.Do(ctx, &Request{Method: m, Path: "down", Body: []byte(`{}`)})
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != 503 || resp.Status != 503 || hits.Load() != 1 {
			t.Errorf("%s: hits=%d err=%v", m, hits.Load(), err)
		}
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", func(c *Config) { c.MaxRetryWait = 2 * time.Second })
	for attempt := 0; attempt < 40; attempt++ {
		d := c.backoff(attempt)
		lo := min(c.backoffBase<<min(attempt, 20), 2*time.Second) / 2
		if d < lo || d > 2*time.Second {
			t.Fatalf("attempt %d: %v not in [%v, 2s]", attempt, d, lo)
		}
	}
}

func TestRetryOnConnectionError(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= 2 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // no response at all
			}
			return
		}
		okJSON(w, `{}`)
	})
	c := newTestClient(t, srv.URL, nil)
	resp, err := c.Get(context.Background(), "x", nil)
	if err != nil || resp.Status != 200 || hits.Load() != 3 {
		t.Fatalf("hits=%d err=%v", hits.Load(), err)
	}
	hits.Store(0)
	if _, err := c.Create(context.Background(), "x", []byte(`{}`), wire.JSON); err == nil || hits.Load() != 1 {
		t.Fatalf("POST after a dropped connection: hits=%d err=%v", hits.Load(), err)
	}
}

func TestPerAttemptTimeoutAndCancel(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	c := newTestClient(t, srv.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond; c.MaxRetries = 1 })
	_, err := c.Get(context.Background(), "slow", nil)
	if err == nil || !strings.Contains(err.Error(), "no answer within") || hits.Load() != 2 {
		t.Fatalf("timeout: hits=%d err=%v", hits.Load(), err)
	}

	// A cancelled context stops at once, without retrying.
	c = newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 3 })
	ctx, cancel := context.WithCancel(context.Background())
	hits.Store(0)
	go func() {
		for hits.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err = c.Get(ctx, "slow", nil)
	if !errors.Is(err, context.Canceled) || hits.Load() != 1 {
		t.Fatalf("cancel: hits=%d err=%v", hits.Load(), err)
	}
	// And a cancelled wait between retries too.
	srv503 := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) })
	c = newTestClient(t, srv503.URL, nil)
	c.sleep = sleepCtx
	c.backoffBase = time.Hour
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := c.Get(ctx, "x", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel during backoff: %v", err)
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

func TestBodyLimit(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := 1000
		if strings.HasSuffix(r.URL.Path, "/big") {
			n = 1001
		}
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", fmt.Sprint(n))
		} else {
			w.(http.Flusher).Flush() // no Content-Length: the limit is hit while reading
		}
		w.Write([]byte(strings.Repeat("a", n)))
	})
	c := newTestClient(t, srv.URL, func(c *Config) { c.MaxBodySize = 1000 })
	ctx := context.Background()
	for _, q := range []url.Values{nil, {"chunked": {"1"}}} {
		resp, err := c.Get(ctx, "fits", q)
		if err != nil || len(resp.Body) != 1000 {
			t.Fatalf("at the limit (%v): %v", q, err)
		}
		resp, err = c.Get(ctx, "big", q)
		if !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("past the limit (%v): %v", q, err)
		}
		if resp == nil || resp.Status != 200 || resp.Body != nil {
			t.Errorf("past the limit: response %+v", resp)
		}
	}
}

func TestClockSkew(t *testing.T) {
	const ahead = time.Hour
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		s := rec.record(r)
		serverNow := time.Now().Add(ahead)
		w.Header().Set("Date", serverNow.UTC().Format(http.TimeFormat))
		var ts string
		if ps, err := oauthsig.ParseHeader(s.Header.Get("Authorization")); err == nil {
			for _, p := range ps {
				if p.Key == "oauth_timestamp" {
					ts = p.Value
				}
			}
		}
		var sec int64
		fmt.Sscan(ts, &sec)
		if d := serverNow.Sub(time.Unix(sec, 0)); s.SigErr != nil || d > 300*time.Second || d < -300*time.Second {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(401)
			w.Write(wire.Error{Message: "Timestamp refused", Reason: "server time is " + serverNow.Format(time.RFC3339), InternalCode: wire.CodeStaleTimestamp}.Marshal(wire.XML))
			return
		}
		okJSON(w, `{}`)
	})
	c := newTestClient(t, srv.URL, nil)
	ctx := context.Background()
	resp, err := c.Create(ctx, "chat/request", []byte(`{}`), wire.JSON) // a POST is retried for skew: it was never processed
	if err != nil || resp.Status != 200 {
		t.Fatalf("first request: %v", err)
	}
	if rec.count() != 2 {
		t.Fatalf("%d requests, want 2 (refused, then corrected)", rec.count())
	}
	if off := c.ClockOffset(); off < ahead-5*time.Second || off > ahead+5*time.Second {
		t.Fatalf("offset %v, want about %v", off, ahead)
	}
	if _, err := c.Get(ctx, "x", nil); err != nil || rec.count() != 3 {
		t.Fatalf("the offset was not kept: %d requests, err %v", rec.count(), err)
	}

	// A server that keeps refusing is retried once, not forever.
	bad := serve(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		w.Header().Set("Date", time.Now().Add(ahead).UTC().Format(http.TimeFormat))
		w.WriteHeader(401)
		w.Write(wire.Error{Message: "stale", InternalCode: wire.CodeStaleTimestamp}.Marshal(wire.JSON))
	})
	c = newTestClient(t, bad.URL, nil)
	n := rec.count()
	_, err = c.Get(ctx, "x", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.InternalCode != wire.CodeStaleTimestamp || rec.count()-n != 2 {
		t.Fatalf("persistent refusal: %d requests, err %v", rec.count()-n, err)
	}
}

func TestAPIErrors(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/json"):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			w.Write([]byte(`{"error":{"time":"t","message":"Token revoked","reason":"the admin revoked it","internalCode":"33"}}`))
		case strings.HasSuffix(r.URL.Path, "/xml"):
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(401)
			w.Write(wire.Error{Message: "Bad signature", Reason: "base string was GET&http%3A%2F%2Fx\nline two", InternalCode: wire.CodeBadSignature}.Marshal(wire.XML))
		case strings.HasSuffix(r.URL.Path, "/html"):
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(404)
			w.Write([]byte("<html>nope</html>"))
		}
	})
	logs := &logBuffer{}
	c := newTestClient(t, srv.URL, func(c *Config) { c.Logger = logs.logger(); c.Placement = PlaceQuery })
	ctx := context.Background()

	resp, err := c.Get(ctx, "json", nil)
	var ae *APIError
	if !errors.As(err, &ae) || resp == nil || resp.Status != 401 || string(resp.Body) != string(ae.Body) {
		t.Fatalf("json: %v %+v", err, resp)
	}
	if !ae.AccessRevoked() || !errors.Is(err, ErrAccessRevoked) || ae.BadSignature() || ae.Message != "Token revoked" || ae.Reason != "the admin revoked it" {
		t.Errorf("json error %+v", ae)
	}

	_, err = c.Get(ctx, "xml", nil)
	if !errors.As(err, &ae) || ae.AccessRevoked() || errors.Is(err, ErrAccessRevoked) || !ae.BadSignature() || ae.InternalCode != wire.CodeBadSignature {
		t.Fatalf("xml: %v", err)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "base string was GET&http%3A%2F%2Fx line two") || !strings.Contains(msg, "401") {
		t.Errorf("error line %q", msg)
	}

	resp, err = c.Get(ctx, "html", nil)
	if !errors.As(err, &ae) || ae.Status != 404 || ae.Message != "Not Found (text/html, 17 bytes)" || resp.Format != "" {
		t.Fatalf("html: %v %+v", err, ae)
	}

	for _, secret := range []string{testCreds.ConsumerSecret, testCreds.TokenSecret, "oauth_signature", "oauth_nonce"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log holds %q:\n%s", secret, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "status=401") {
		t.Errorf("nothing logged:\n%s", logs.String())
	}
}

func TestNoSecretsInTransportErrors(t *testing.T) {
	// A server that drops the connection: the *url.Error names the URL,
	// which must not carry the query signature.
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	})
	c := newTestClient(t, srv.URL, func(c *Config) { c.Placement = PlaceQuery; c.MaxRetries = -1 })
	_, err := c.Get(context.Background(), "x", nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{"oauth_signature", testCreds.TokenSecret, testCreds.ConsumerSecret} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q holds %q", err, s)
		}
	}
}

func TestKeepAliveAndConcurrency(t *testing.T) {
	var mu sync.Mutex
	conns := map[string]bool{}
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conns[r.RemoteAddr] = true
		mu.Unlock()
		if s := rec.record(r); s.SigErr != nil {
			w.WriteHeader(401)
			return
		}
		okJSON(w, `{"a":1}`)
	})
	c := newTestClient(t, srv.URL, nil)
	for i := 0; i < 5; i++ {
		if _, err := c.Get(context.Background(), "x", nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(conns) != 1 {
		t.Errorf("%d connections for 5 sequential requests; keep-alive broken", len(conns))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(context.Background(), "x", url.Values{"i": {fmt.Sprint(i)}}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestNewValidation(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no base":      {Credentials: testCreds},
		"relative":     {BaseURL: "/api/account/1", Credentials: testCreds},
		"bad auth":     {BaseURL: "http://127.0.0.1", Auth: "basic"},
		"bad place":    {BaseURL: "http://127.0.0.1", Placement: "body"},
		"bad format":   {BaseURL: "http://127.0.0.1", Format: "XML"},
		"bad by":       {BaseURL: "http://127.0.0.1", FormatBy: "suffix"},
		"bad sig":      {BaseURL: "http://127.0.0.1", SignatureMethod: "PLAINTEXT"},
		"ftp base URL": {BaseURL: "ftp://127.0.0.1/x"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c, err := New(Config{BaseURL: "http://127.0.0.1/api/account/1/", Auth: AuthOAuth})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "http://127.0.0.1/api/account/1" {
		t.Errorf("BaseURL %q", c.BaseURL())
	}
	if _, err := c.Get(context.Background(), "x", nil); err == nil || !strings.Contains(err.Error(), "consumer key") {
		t.Errorf("oauth without credentials: %v", err)
	}
	if _, err := c.Do(context.Background(), &Request{Method: "PATCH", Path: "x", Auth: AuthNone}); err == nil {
		t.Error("PATCH accepted")
	}
}
