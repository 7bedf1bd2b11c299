package apiclient_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/sandbox"
)

// env is one in-process sandbox with an installed demo application.
type env struct {
	srv           *httptest.Server
	sb            *sandbox.Server
	token, secret string
	ahead         *atomic.Int64 // how far the sandbox clock runs ahead, ns
}

// handlerBox lets a test start the listener (to learn its URL) before the
// sandbox that needs the URL exists.
type handlerBox struct{ h atomic.Pointer[http.Handler] }

func (b *handlerBox) ServeHTTP(w http.ResponseWriter, r *http.Request) { (*b.h.Load()).ServeHTTP(w, r) }

func newEnv(t *testing.T, mod func(cfg *sandbox.Config, srvURL string), wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	box := &handlerBox{}
	srv := httptest.NewServer(box)
	t.Cleanup(srv.Close)
	e := &env{srv: srv, ahead: new(atomic.Int64)}
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 16
	cfg.Now = func() time.Time { return time.Now().Add(time.Duration(e.ahead.Load())) }
	if mod != nil {
		mod(&cfg, srv.URL)
	}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatalf("sandbox.New: %v", err)
	}
	e.sb = sb
	var h http.Handler = sb
	if wrap != nil {
		h = wrap(h)
	}
	box.h.Store(&h)
	if e.token, e.secret, err = sb.InstallApp(assets.DemoConsumerKey); err != nil {
		t.Fatalf("InstallApp: %v", err)
	}
	return e
}

func (e *env) client(t *testing.T, mod func(*apiclient.Config)) *apiclient.Client {
	t.Helper()
	cfg := apiclient.Config{
		BaseURL:   e.srv.URL + e.sb.AccountPath(),
		AccountID: "12345678",
		Credentials: apiclient.Credentials{ConsumerKey: assets.DemoConsumerKey, ConsumerSecret: assets.DemoConsumerSecret,
			Token: e.token, TokenSecret: e.secret},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := apiclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// skillDoc builds a skill body in f; text is escaped for XML.
func skillDoc(f wire.Format, name, desc string) []byte {
	if f == wire.XML {
		return []byte("<skill>" + apiclient.XMLElement("name", name) + apiclient.XMLElement("description", desc) +
			"<maxWaitTime>30</maxWaitTime></skill>")
	}
	b, _ := json.Marshal(map[string]any{"skill": map[string]any{"name": name, "description": desc, "maxWaitTime": "30"}})
	return b
}

// skillFields reads name and description from a skill in either format.
func skillFields(t *testing.T, r *apiclient.Response) (name, desc string) {
	t.Helper()
	switch r.Format {
	case wire.XML:
		var x struct {
			Name        string `xml:"name"`
			Description string `xml:"description"`
		}
		if err := xml.Unmarshal(r.Body, &x); err != nil {
			t.Fatalf("skill XML: %v\n%s", err, r.Body)
		}
		return x.Name, x.Description
	case wire.JSON:
		var j struct {
			Skill struct {
				Name        string `json:"name"`
				Description string `json:"description"`
			} `json:"skill"`
		}
		if err := json.Unmarshal(r.Body, &j); err != nil {
			t.Fatalf("skill JSON: %v\n%s", err, r.Body)
		}
		return j.Skill.Name, j.Skill.Description
	}
	t.Fatalf("response format %q (Content-Type %q)", r.Format, r.ContentType)
	return "", ""
}

func wantAPIError(t *testing.T, what string, resp *apiclient.Response, err error, status, code int, f wire.Format) *apiclient.APIError {
	t.Helper()
	var ae *apiclient.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%s: err = %v, want *APIError", what, err)
	}
	if ae.Status != status || ae.InternalCode != code || ae.Message == "" {
		t.Fatalf("%s: got %d/%d %q, want %d/%d", what, ae.Status, ae.InternalCode, ae.Message, status, code)
	}
	if resp == nil || resp.Status != status || resp.Format != f || len(resp.Body) == 0 {
		t.Fatalf("%s: response %+v, want status %d in %s", what, resp, status, f)
	}
	return ae
}

func hasRel(links []wire.Link, rel string) bool {
	for _, l := range links {
		if l.Rel == rel && l.Href != "" {
			return true
		}
	}
	return false
}

// TestSandboxCRUD runs read, create, update (If-Match, 412) and delete on
// skills in both formats, both format selections and both placements, and
// checks each error body is parsed in the format it came in.
func TestSandboxCRUD(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	for _, f := range []wire.Format{wire.JSON, wire.XML} {
		for _, by := range []apiclient.FormatBy{apiclient.ByAccept, apiclient.ByExtension} {
			for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
				name := fmt.Sprintf("%s-%s-%s", f, by, pl)
				t.Run(name, func(t *testing.T) {
					c := e.client(t, func(c *apiclient.Config) { c.Format = f; c.FormatBy = by; c.Placement = pl })

					base, err := c.Get(ctx, "", nil)
					if err != nil {
						t.Fatalf("base: %v", err)
					}
					if base.Format != f || !hasRel(base.Links(), "skills") || !hasRel(base.Links(), "self") {
						t.Fatalf("base: format %s links %v", base.Format, base.Links())
					}
					list, err := c.Get(ctx, "skills", url.Values{"limit": {"2"}})
					if err != nil {
						t.Fatalf("list: %v", err)
					}
					if !hasRel(list.Links(), "next") {
						t.Errorf("list links %v", list.Links())
					}
					// The next link is an absolute URL with its own query.
					var next string
					for _, l := range list.Links() {
						if l.Rel == "next" {
							next = l.Href
						}
					}
					if _, err := c.Get(ctx, next, nil); err != nil {
						t.Fatalf("follow next %s: %v", next, err)
					}

					desc := "a & b < c > d \"q\" Grüße"
					created, err := c.Create(ctx, "skills", skillDoc(f, "Skill "+name, desc), f)
					if err != nil {
						t.Fatalf("create: %v", err)
					}
					loc := created.Header.Get("Location")
					if created.Status != http.StatusCreated || loc == "" || created.ETag != `"1"` {
						t.Fatalf("create: %d Location %q ETag %q", created.Status, loc, created.ETag)
					}
					got, err := c.Get(ctx, loc, nil)
					if err != nil {
						t.Fatalf("get %s: %v", loc, err)
					}
					if n, d := skillFields(t, got); n != "Skill "+name || d != desc || got.ETag != `"1"` {
						t.Fatalf("read back %q %q etag %s", n, d, got.ETag)
					}
					// Create in the other body format too: Content-Type follows the body.
					other := wire.XML
					if f == wire.XML {
						other = wire.JSON
					}
					r2, err := c.Create(ctx, "skills", skillDoc(other, "Other "+name, "x"), other)
					if err != nil || r2.Status != http.StatusCreated || r2.Format != f {
						t.Fatalf("create with a %s body: %v", other, err)
					}

					upd, err := c.Update(ctx, loc, skillDoc(f, "Skill "+name, "changed"), f, got.ETag)
					if err != nil {
						t.Fatalf("update: %v", err)
					}
					if upd.ETag != `"2"` {
						t.Fatalf("update: ETag %q, want \"2\"", upd.ETag)
					}
					resp, err := c.Update(ctx, loc, skillDoc(f, "Skill "+name, "stale"), f, `"1"`)
					ae := wantAPIError(t, "stale update", resp, err, http.StatusPreconditionFailed, wire.CodePreconditionFailed, f)
					if ae.Reason == "" || !strings.Contains(err.Error(), "412") {
						t.Errorf("412 error %q", err)
					}
					resp, err = c.Delete(ctx, loc, `"1"`)
					wantAPIError(t, "stale delete", resp, err, http.StatusPreconditionFailed, wire.CodePreconditionFailed, f)
					if _, err := c.Delete(ctx, loc, upd.ETag); err != nil {
						t.Fatalf("delete: %v", err)
					}
					resp, err = c.Get(ctx, loc, nil)
					wantAPIError(t, "after delete", resp, err, http.StatusNotFound, wire.CodeNotFound, f)

					resp, err = c.Create(ctx, "skills", []byte(`{"skill":`), wire.JSON)
					wantAPIError(t, "malformed body", resp, err, http.StatusBadRequest, wire.CodeMalformedBody, f)
					resp, err = c.Get(ctx, "skills", url.Values{"Limit": {"2"}})
					wantAPIError(t, "wrong-case parameter", resp, err, http.StatusBadRequest, wire.CodeValidation, f)
					// v already present is kept once (the sandbox refuses two).
					if _, err := c.Get(ctx, "skills?v=1&limit=1", nil); err != nil {
						t.Fatalf("explicit v=1: %v", err)
					}
				})
			}
		}
	}
}

func TestSandboxSignatureAndTokenErrors(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	for _, f := range []wire.Format{wire.JSON, wire.XML} {
		for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
			bad := e.client(t, func(c *apiclient.Config) {
				c.Format, c.Placement = f, pl
				c.Credentials.TokenSecret = "not-the-secret"
			})
			resp, err := bad.Get(ctx, "skills", url.Values{"limit": {"1"}})
			ae := wantAPIError(t, "bad signature", resp, err, http.StatusUnauthorized, wire.CodeBadSignature, f)
			if !ae.BadSignature() || ae.AccessRevoked() || errors.Is(err, apiclient.ErrAccessRevoked) {
				t.Errorf("%s/%s: bad signature classified wrongly: %v", f, pl, err)
			}
			// The server's base string reaches the user; the secrets do not.
			if !strings.Contains(err.Error(), "GET&http") || strings.Contains(err.Error(), "not-the-secret") || strings.Contains(err.Error(), assets.DemoConsumerSecret) {
				t.Errorf("%s/%s: error line %q", f, pl, err)
			}
		}
	}

	// Revoke through the console's HTTP action, as an admin would.
	c := e.client(t, nil)
	if _, err := c.Get(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/console/tokens/"+url.PathEscape(e.token)+"/revoke", strings.NewReader(""))
	req.SetBasicAuth("admin", "demo")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	for _, f := range []wire.Format{wire.JSON, wire.XML} {
		for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
			c := e.client(t, func(c *apiclient.Config) { c.Format, c.Placement = f, pl })
			resp, err := c.Get(ctx, "", nil)
			ae := wantAPIError(t, "revoked", resp, err, http.StatusUnauthorized, wire.CodeTokenRevoked, f)
			if !ae.AccessRevoked() || !errors.Is(err, apiclient.ErrAccessRevoked) || ae.BadSignature() {
				t.Errorf("%s/%s: revoked token not recognised: %v", f, pl, err)
			}
		}
	}
}

func TestSandboxAppKey(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
		c := e.client(t, func(c *apiclient.Config) { c.Auth = apiclient.AuthAppKey; c.Placement = pl; c.Format = wire.XML })
		e.sb.SetAllowUnsigned(false)
		resp, err := c.Get(ctx, "chat/availability", url.Values{"skill": {"Support"}})
		wantAPIError(t, "unsigned refused", resp, err, http.StatusForbidden, wire.CodeUnsignedRefused, wire.XML)
		e.sb.SetAllowUnsigned(true)
		if _, err := c.Get(ctx, "chat/availability", nil); err != nil {
			t.Fatalf("%s: unsigned allowed: %v", pl, err)
		}
	}
	c := e.client(t, func(c *apiclient.Config) { c.Auth = apiclient.AuthNone })
	resp, err := c.Get(ctx, "", nil)
	wantAPIError(t, "no credentials", resp, err, http.StatusUnauthorized, wire.CodeMissingAuth, wire.JSON)
}

func TestSandboxClockSkew(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.ahead.Store(int64(time.Hour))
	ctx := context.Background()
	for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
		c := e.client(t, func(c *apiclient.Config) { c.Placement = pl })
		// A POST too: a refused timestamp means nothing was done.
		if _, err := c.Create(ctx, "skills", skillDoc(wire.JSON, "Skew "+pl.String(), "d"), wire.JSON); err != nil {
			t.Fatalf("%s: create with a clock an hour behind: %v", pl, err)
		}
		if off := c.ClockOffset(); off < 59*time.Minute || off > 61*time.Minute {
			t.Fatalf("%s: offset %v", pl, off)
		}
		if _, err := c.Get(ctx, "", nil); err != nil {
			t.Fatalf("%s: second request: %v", pl, err)
		}
	}
	// Without the correction the sandbox refuses: the test is real.
	c := e.client(t, func(c *apiclient.Config) { c.Now = func() time.Time { return time.Now().Add(-time.Hour) } })
	if _, err := c.Get(ctx, "", nil); err != nil {
		t.Fatalf("correction from a clock two hours behind: %v", err)
	}
}

// A same-origin discovery redirect (the sandbox's -discovery-redirect: the
// account base under another path on the same server) is followed signed.
func TestSandboxSameOriginDiscoveryRedirect(t *testing.T) {
	e := newEnv(t, func(cfg *sandbox.Config, _ string) {
		cfg.BasePath = "/le/v1/account/12345678"
		cfg.DiscoveryRedirect = true
	}, nil)
	ctx := context.Background()
	for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
		c := e.client(t, func(c *apiclient.Config) { c.Placement, c.BaseURL = pl, e.srv.URL+"/api/account/12345678" })
		resp, err := c.Get(ctx, "", nil)
		if err != nil {
			t.Fatalf("%s: %v", pl, err)
		}
		if !strings.HasPrefix(resp.URL, e.srv.URL+"/le/v1/account/12345678?") || !hasRel(resp.Links(), "skills") {
			t.Errorf("%s: final URL %q links %v", pl, resp.URL, resp.Links())
		}
	}
}

func TestSandboxDiscoveryAndRedirects(t *testing.T) {
	var e *env
	e = newEnv(t, func(cfg *sandbox.Config, srvURL string) {
		// The same listener reached as "localhost" plays the account's own
		// server; as 127.0.0.1 it is the global API host.
		u, _ := url.Parse(srvURL)
		cfg.DiscoveryTarget = "http://localhost:" + u.Port() + "/api/account/12345678"
	}, nil)
	ctx := context.Background()
	u, _ := url.Parse(e.srv.URL)
	want := "http://localhost:" + u.Port() + "/api/account/12345678"

	got, err := apiclient.Discover(ctx, nil, e.srv.URL, "12345678")
	if err != nil || got.Account != want {
		t.Fatalf("Discover = %q, %v; want %q", got, err, want)
	}
	if got, err := apiclient.Discover(ctx, e.srv.Client(), strings.TrimPrefix(e.srv.URL, "http://")+"/", "12345678"); err == nil {
		t.Errorf("scheme-less host must mean https: got %q", got)
	}

	// A signed client pointed at the global host does not follow the
	// redirect to the account's server, another origin: its credentials
	// are not re-signed for a host it was not given. Discover (unsigned)
	// finds the server, and a client rooted there works, in both
	// placements and formats.
	var co *apiclient.CrossOriginRedirectError
	if _, err := e.client(t, nil).Get(ctx, "", nil); !errors.As(err, &co) || co.Status != http.StatusFound || !strings.HasPrefix(co.Target, want) {
		t.Errorf("signed client at the global host: %v", err)
	}
	for _, f := range []wire.Format{wire.JSON, wire.XML} {
		for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
			c := e.client(t, func(c *apiclient.Config) {
				c.Placement, c.Format, c.BaseURL, c.Services = pl, f, got.Account, got.Services
			})
			resp, err := c.Get(ctx, "", nil)
			if err != nil {
				t.Fatalf("%s/%s: %v", f, pl, err)
			}
			if !strings.HasPrefix(resp.URL, want) || strings.Contains(resp.URL, "oauth_") || resp.Format != f || !hasRel(resp.Links(), "skills") {
				t.Errorf("%s/%s: final URL %q format %s links %v", f, pl, resp.URL, resp.Format, resp.Links())
			}
		}
	}
}

// TestSandboxRetry puts a flaky proxy in front of the sandbox: the first GET
// is processed by the sandbox (its nonce recorded) but answered 503. The
// retry must carry a fresh signature and nonce or the sandbox refuses it.
func TestSandboxRetry(t *testing.T) {
	var fail atomic.Int32
	e := newEnv(t, nil, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if fail.Add(-1) >= 0 {
				h.ServeHTTP(httptest.NewRecorder(), r)
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	ctx := context.Background()
	for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
		c := e.client(t, func(c *apiclient.Config) { c.Placement = pl })
		fail.Store(2)
		if _, err := c.Get(ctx, "skills", nil); err != nil {
			t.Fatalf("%s: GET after two 503s: %v", pl, err)
		}
		fail.Store(1)
		resp, err := c.Create(ctx, "skills", skillDoc(wire.JSON, "Retry "+pl.String(), "d"), wire.JSON)
		var ae *apiclient.APIError
		if !errors.As(err, &ae) || ae.Status != 503 || resp.Status != 503 {
			t.Fatalf("%s: POST was retried or misreported: %v", pl, err)
		}
	}
}

func TestSandboxBodyLimit(t *testing.T) {
	e := newEnv(t, nil, nil)
	c := e.client(t, func(c *apiclient.Config) { c.MaxBodySize = 512 })
	_, err := c.Get(context.Background(), "skills", nil)
	if !errors.Is(err, apiclient.ErrBodyTooLarge) {
		t.Fatalf("err = %v, want ErrBodyTooLarge", err)
	}
	if _, err := c.Get(context.Background(), "chat/availability", nil); err != nil {
		t.Fatalf("small body: %v", err)
	}
}
