package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
)

// creds are the credentials a test signs with.
type creds struct {
	key, secret, token, tokenSecret string
}

func demoCreds() creds { return creds{key: assets.DemoConsumerKey, secret: assets.DemoConsumerSecret} }

// call is one test request.
type call struct {
	method      string // wire method; default GET
	path        string // path and raw query, relative to the server root
	body        string
	contentType string
	header      map[string]string
	signer      *creds // nil: unsigned
	query       bool   // sign into oauth_* query parameters instead of the header
	sigMethod   string // default HMAC-SHA1
	timestamp   time.Time
	nonce       string
	extra       []oauthsig.Param // more protocol parameters (callback, verifier)
	signMethod  string           // method to sign with when it must differ from the wire method
}

// env is a sandbox behind a real HTTP listener with a movable clock.
type env struct {
	t     *testing.T
	srv   *Server
	ts    *httptest.Server
	skew  *atomic.Int64 // server clock offset, ns
	cl    *http.Client
	creds creds // demo app, installed
}

func newEnv(t *testing.T, mutate func(*Config)) *env {
	t.Helper()
	skew := &atomic.Int64{}
	cfg := DemoConfig()
	cfg.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(func() { _ = srv.Close() })
	e := &env{t: t, srv: srv, ts: ts, skew: skew,
		cl: &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	tok, sec, err := srv.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatalf("InstallApp: %v", err)
	}
	e.creds = demoCreds()
	e.creds.token, e.creds.tokenSecret = tok, sec
	return e
}

// acct is the account base path.
func (e *env) acct() string { return e.srv.AccountPath() }

// sign adds OAuth 1.0a parameters to req, over its query and form body.
func sign(t testing.TB, req *http.Request, c call, form string) {
	t.Helper()
	cr := c.signer
	sm := c.sigMethod
	if sm == "" {
		sm = string(oauthsig.HMACSHA1)
	}
	ts := c.timestamp
	if ts.IsZero() {
		ts = time.Now()
	}
	nonce := c.nonce
	if nonce == "" {
		nonce = oauthsig.Nonce()
	}
	proto := []oauthsig.Param{
		{Key: "oauth_consumer_key", Value: cr.key},
		{Key: "oauth_nonce", Value: nonce},
		{Key: "oauth_signature_method", Value: sm},
		{Key: "oauth_timestamp", Value: oauthsig.Timestamp(ts)},
		{Key: "oauth_version", Value: "1.0"},
	}
	if cr.token != "" {
		proto = append(proto, oauthsig.Param{Key: "oauth_token", Value: cr.token})
	}
	proto = append(proto, c.extra...)
	var formParams []oauthsig.Param
	if form != "" {
		var err error
		if formParams, err = oauthsig.ParseForm(form); err != nil {
			t.Fatal(err)
		}
	}
	method := req.Method
	if c.signMethod != "" {
		method = c.signMethod
	}
	if c.query {
		var parts []string
		for _, p := range proto {
			parts = append(parts, oauthsig.PercentEncode(p.Key)+"="+oauthsig.PercentEncode(p.Value))
		}
		if req.URL.RawQuery != "" {
			req.URL.RawQuery += "&"
		}
		req.URL.RawQuery += strings.Join(parts, "&")
		base, err := oauthsig.BaseString(method, req.URL, formParams, nil)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := oauthsig.Sign(oauthsig.Method(sm), cr.secret, cr.tokenSecret, base)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery += "&oauth_signature=" + oauthsig.PercentEncode(sig)
		return
	}
	base, err := oauthsig.BaseString(method, req.URL, formParams, proto)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := oauthsig.Sign(oauthsig.Method(sm), cr.secret, cr.tokenSecret, base)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", oauthsig.Header(append(proto, oauthsig.Param{Key: "oauth_signature", Value: sig})))
}

// newReq builds (and signs) the request for c.
func (e *env) newReq(c call) *http.Request {
	e.t.Helper()
	if c.method == "" {
		c.method = http.MethodGet
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, e.ts.URL+c.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if c.signer != nil {
		form := ""
		if strings.HasPrefix(c.contentType, "application/x-www-form-urlencoded") {
			form = c.body
		}
		sign(e.t, req, c, form)
	}
	return req
}

func (e *env) send(req *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := e.cl.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, b
}

func (e *env) do(c call) (*http.Response, []byte) {
	e.t.Helper()
	return e.send(e.newReq(c))
}

// api is a signed call with the installed demo token.
func (e *env) api(c call) (*http.Response, []byte) {
	e.t.Helper()
	if c.signer == nil {
		cr := e.creds
		c.signer = &cr
	}
	return e.do(c)
}

// wantStatus fails unless resp has status.
func wantStatus(t testing.TB, resp *http.Response, body []byte, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, body)
	}
}

// wantError checks status, the internal code and that the error body is in
// format f (by Content-Type and by its first byte).
func wantError(t testing.TB, resp *http.Response, body []byte, status, code int, f wire.Format) wire.Error {
	t.Helper()
	wantStatus(t, resp, body, status)
	if got, ok := wire.FormatOf(resp.Header.Get("Content-Type")); !ok || got != f {
		t.Fatalf("error Content-Type %q, want %s", resp.Header.Get("Content-Type"), f)
	}
	first := strings.TrimSpace(string(body))
	if (f == wire.XML) != strings.HasPrefix(first, "<") {
		t.Fatalf("error body is not %s: %s", f, body)
	}
	we, ok := wire.ParseError(body)
	if !ok {
		t.Fatalf("no error body: %s", body)
	}
	if we.InternalCode != code {
		t.Fatalf("internalCode %d, want %d; body: %s", we.InternalCode, code, body)
	}
	if we.Message == "" || we.Time == "" {
		t.Fatalf("error lacks message or time: %s", body)
	}
	return we
}

// basic is an HTTP Basic header for the demo admin.
func basic() map[string]string {
	req, _ := http.NewRequest("GET", "/", nil)
	req.SetBasicAuth("admin", "demo")
	return map[string]string{"Authorization": req.Header.Get("Authorization")}
}

func formBody(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}
