package proxy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/internal/testutil"
	"github.com/lpdesk/lpdesk/logging"
	"github.com/lpdesk/lpdesk/sandbox"
)

// seen is one request as the platform received it.
type seen struct {
	Method, RawQuery, Path string
	Header                 http.Header
}

type env struct {
	sb       *sandbox.Server
	platform *httptest.Server
	proxy    *httptest.Server
	client   *apiclient.Client
	logs     *testutil.SyncBuffer
	secrets  []string // consumer secret, token secret

	mu   sync.Mutex
	seen []seen
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// newEnv starts a sandbox with an application whose secret is random, a
// client signed for it (debug logging to the same buffer as the proxy's)
// and the proxy in front.
func newEnv(t *testing.T, token string) *env {
	t.Helper()
	e := &env{logs: &testutil.SyncBuffer{}}
	key, csecret := "proxy-test-app", "cs-"+randomHex(t, 16)
	cfg := sandbox.DemoConfig()
	cfg.Apps = []sandbox.App{{Name: "Proxy test", Key: key, Secret: csecret}}
	cfg.SeedRecords = 16
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.sb = sb
	e.platform = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.seen = append(e.seen, seen{r.Method, r.URL.RawQuery, r.URL.Path, r.Header.Clone()})
		e.mu.Unlock()
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(e.platform.Close)
	tok, tsecret, err := sb.InstallApp(key)
	if err != nil {
		t.Fatal(err)
	}
	e.secrets = []string{csecret, tsecret}
	logger := logging.New(e.logs, slog.LevelDebug)
	e.client, err = apiclient.New(apiclient.Config{
		BaseURL:     e.platform.URL + sb.AccountPath(),
		AccountID:   "12345678",
		Credentials: apiclient.Credentials{ConsumerKey: key, ConsumerSecret: csecret, Token: tok, TokenSecret: tsecret},
		Logger:      logger,
		MaxRetries:  -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Config{Client: e.client, Token: token, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	e.proxy = httptest.NewServer(p)
	t.Cleanup(e.proxy.Close)
	t.Cleanup(func() { e.checkLogs(t) })
	return e
}

// checkLogs: whatever a test did, the log holds no secret.
func (e *env) checkLogs(t *testing.T) {
	logs := e.logs.String()
	for _, s := range e.secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the log contains a secret:\n%s", logs)
		}
	}
}

func (e *env) lastSeen(t *testing.T) seen {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.seen) == 0 {
		t.Fatal("the platform received nothing")
	}
	return e.seen[len(e.seen)-1]
}

func (e *env) seenCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.seen)
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(t *testing.T, method, path string, body string, hdr ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.proxy.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func TestGetRepeatedKeysSigned(t *testing.T) {
	e := newEnv(t, "")
	const q = "skill=Support&skill=Sales%20Team&maxWaitTime=20&v=1"
	a := e.do(t, "GET", "/chat/availability?"+q, "")
	if a.status != 200 || !strings.Contains(a.body, "availability") {
		t.Fatalf("GET via proxy: %d %s", a.status, a.body)
	}
	got := e.lastSeen(t)
	if got.RawQuery != q {
		t.Fatalf("platform got query %q, want %q byte for byte", got.RawQuery, q)
	}
	if got.Path != "/api/account/12345678/chat/availability" {
		t.Fatalf("platform got path %q", got.Path)
	}
	if !strings.HasPrefix(got.Header.Get("Authorization"), "OAuth ") {
		t.Fatalf("request not signed: %q", got.Header.Get("Authorization"))
	}

	// The full account path works the same, and v=1 is added when missing.
	a = e.do(t, "GET", "/api/account/12345678/skills/1", "", "Accept", "application/xml")
	if a.status != 200 || !strings.HasPrefix(a.body, "<") || a.header.Get("ETag") == "" {
		t.Fatalf("full path, XML: %d %v %s", a.status, a.header, a.body)
	}
	if got := e.lastSeen(t); got.Path != "/api/account/12345678/skills/1" || got.RawQuery != "v=1" {
		t.Fatalf("platform got %s?%s", got.Path, got.RawQuery)
	}

	// The base resource, by / and with an extension on the full path.
	if a = e.do(t, "GET", "/", ""); a.status != 200 || !strings.Contains(a.body, "skills") {
		t.Fatalf("GET /: %d %s", a.status, a.body)
	}
	if a = e.do(t, "GET", "/api/account/12345678.xml", ""); a.status != 200 || !strings.Contains(a.body, "<account") {
		t.Fatalf("GET base.xml: %d %s", a.status, a.body)
	}

	// A platform error comes back as the platform sent it.
	a = e.do(t, "GET", "/skills/999999", "")
	if a.status != 404 || a.header.Get("X-Lpdesk-Proxy-Error") != "" {
		t.Fatalf("404 from the platform: %d %v %s", a.status, a.header, a.body)
	}
	if we, ok := wire.ParseError([]byte(a.body)); !ok || we.InternalCode != wire.CodeNotFound {
		t.Fatalf("error body not passed through: %s", a.body)
	}
}

func TestCreateUpdateDelete(t *testing.T) {
	e := newEnv(t, "")
	a := e.do(t, "POST", "/skills?v=1", `{"skill":{"name":"Proxy Skill","description":"made via proxy","maxWaitTime":30}}`,
		"Content-Type", "application/json")
	if a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	loc := a.header.Get("Location")
	if !strings.HasPrefix(loc, e.proxy.URL+"/skills/") {
		t.Fatalf("Location %q not rewritten to the proxy (%s)", loc, e.proxy.URL)
	}
	if strings.Contains(loc, e.platform.URL) {
		t.Fatalf("Location still names the platform: %q", loc)
	}
	path := strings.TrimPrefix(loc, e.proxy.URL)
	path, _, _ = strings.Cut(path, "?")

	// Follow the Location as a script would.
	a = e.do(t, "GET", path, "")
	if a.status != 200 || !strings.Contains(a.body, "Proxy Skill") {
		t.Fatalf("GET Location: %d %s", a.status, a.body)
	}
	etag := a.header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag passed back")
	}

	// PUT arrives, POST + override leaves, If-Match honoured.
	upd := `{"skill":{"name":"Proxy Skill","description":"changed","maxWaitTime":40}}`
	a = e.do(t, "PUT", path, upd, "Content-Type", "application/json", "If-Match", etag)
	if a.status != 200 {
		t.Fatalf("update: %d %s", a.status, a.body)
	}
	got := e.lastSeen(t)
	if got.Method != "POST" || got.Header.Get("X-HTTP-Method-Override") != "PUT" || got.Header.Get("If-Match") != etag {
		t.Fatalf("platform got %s override %q If-Match %q", got.Method, got.Header.Get("X-HTTP-Method-Override"), got.Header.Get("If-Match"))
	}
	// The same stale revision again: 412 from the platform.
	a = e.do(t, "PUT", path, upd, "Content-Type", "application/json", "If-Match", etag)
	if a.status != 412 {
		t.Fatalf("stale If-Match: %d %s", a.status, a.body)
	}
	if we, ok := wire.ParseError([]byte(a.body)); !ok || we.InternalCode != wire.CodePreconditionFailed {
		t.Fatalf("412 body: %s", a.body)
	}

	// A script that does the override itself is forwarded as is.
	a = e.do(t, "GET", path, "")
	a = e.do(t, "POST", path, `{"skill":{"name":"Proxy Skill","description":"again","maxWaitTime":41}}`,
		"Content-Type", "application/json", "X-HTTP-Method-Override", "PUT", "If-Match", a.header.Get("ETag"))
	if a.status != 200 {
		t.Fatalf("POST + override: %d %s", a.status, a.body)
	}

	// DELETE arrives, POST + override DELETE leaves.
	a = e.do(t, "DELETE", path, "")
	if a.status != 200 && a.status != 204 {
		t.Fatalf("delete: %d %s", a.status, a.body)
	}
	if got := e.lastSeen(t); got.Method != "POST" || got.Header.Get("X-HTTP-Method-Override") != "DELETE" {
		t.Fatalf("platform got %s override %q", got.Method, got.Header.Get("X-HTTP-Method-Override"))
	}
	if a = e.do(t, "GET", path, ""); a.status != 404 {
		t.Fatalf("after delete: %d", a.status)
	}

	logs := e.logs.String()
	for _, want := range []string{`method=POST path=/skills query="v=1" status=201`, "method=PUT", "status=412", "method=DELETE"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestRefusals(t *testing.T) {
	e := newEnv(t, "")
	before := e.seenCount()
	tests := []struct {
		name, method, path, body string
		hdr                      []string
		status                   int
	}{
		{"oauth param", "GET", "/skills?oauth_token=x&v=1", "", nil, 400},
		{"other version", "GET", "/skills?v=2", "", nil, 400},
		{"dot-dot", "GET", "/skills/../../../oauth/revoke", "", nil, 400},
		{"encoded dot-dot", "GET", "/skills/%2e%2e/%2e%2e/x", "", nil, 400},
		{"patch", "PATCH", "/skills/1", "{}", nil, 405},
		{"conflicting override", "PUT", "/skills/1", "{}", []string{"X-HTTP-Method-Override", "DELETE"}, 400},
		{"bad form", "POST", "/skills", "%zz", []string{"Content-Type", "application/x-www-form-urlencoded"}, 400},
		{"browser origin", "GET", "/skills", "", []string{"Origin", "https://evil.example"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.do(t, tt.method, tt.path, tt.body, tt.hdr...)
			if a.status != tt.status || a.header.Get("X-Lpdesk-Proxy-Error") == "" {
				t.Fatalf("%s %s: %d %v %s, want %d from the proxy", tt.method, tt.path, a.status, a.header, a.body, tt.status)
			}
			we, ok := wire.ParseError([]byte(a.body))
			if !ok || !strings.HasPrefix(we.Message, "lpdesk proxy: ") {
				t.Fatalf("error body: %s", a.body)
			}
		})
	}
	if n := e.seenCount(); n != before {
		t.Fatalf("refused requests reached the platform (%d)", n-before)
	}

	// DNS rebinding: a loopback proxy without a token answers only
	// loopback Host names.
	req, _ := http.NewRequest("GET", e.proxy.URL+"/skills", nil)
	req.Host = "attacker.example:8181"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("foreign Host: %d", resp.StatusCode)
	}
}

func TestBodyLimits(t *testing.T) {
	e := newEnv(t, "")
	p, err := New(Config{Client: e.client, MaxRequestBody: 10})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "http://127.0.0.1/skills", strings.NewReader(`{"skill":{"name":"too long"}}`))
	req.Header.Set("Content-Type", "application/json")
	p.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Fatalf("oversize request body: %d %s", rec.Code, rec.Body)
	}

	// An answer over the client's limit is a clear 502.
	small, err := apiclient.New(apiclient.Config{BaseURL: e.client.BaseURL(), MaxBodySize: 64,
		Credentials: apiclient.Credentials{ConsumerKey: "k", ConsumerSecret: "s"}})
	if err != nil {
		t.Fatal(err)
	}
	p, _ = New(Config{Client: small})
	rec = httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1/skills", nil))
	if rec.Code != 502 || !strings.Contains(rec.Body.String(), "too large") {
		t.Fatalf("oversize answer: %d %s", rec.Code, rec.Body)
	}
}

func TestPlatformDown(t *testing.T) {
	e := newEnv(t, "")
	e.platform.Close()
	a := e.do(t, "GET", "/skills", "", "Accept", "application/xml")
	if a.status != 502 || !strings.HasPrefix(a.body, "<?xml") {
		t.Fatalf("platform down: %d %s", a.status, a.body)
	}
}

func TestBearerToken(t *testing.T) {
	token := "tok-" + randomHex(t, 16)
	e := newEnv(t, token)
	e.secrets = append(e.secrets, token)

	if a := e.do(t, "GET", "/skills/1", ""); a.status != 401 || a.header.Get("WWW-Authenticate") == "" {
		t.Fatalf("no token: %d %v", a.status, a.header)
	}
	if a := e.do(t, "GET", "/skills/1", "", "Authorization", "Bearer "+token+"x"); a.status != 401 {
		t.Fatalf("wrong token: %d", a.status)
	}
	if a := e.do(t, "GET", "/skills/1", "", "Authorization", "Basic "+token); a.status != 401 {
		t.Fatalf("wrong scheme: %d", a.status)
	}
	if n := e.seenCount(); n != 0 {
		t.Fatalf("unauthorized requests reached the platform: %d", n)
	}
	a := e.do(t, "GET", "/skills/1", "", "Authorization", "Bearer "+token)
	if a.status != 200 {
		t.Fatalf("right token: %d %s", a.status, a.body)
	}
	a = e.do(t, "POST", "/skills", `{"skill":{"name":"Bearer Skill","maxWaitTime":5}}`, "Authorization", "bearer "+token, "Content-Type", "application/json")
	if a.status != 201 {
		t.Fatalf("create with token: %d %s", a.status, a.body)
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range e.seen {
		if !strings.HasPrefix(s.Header.Get("Authorization"), "OAuth ") {
			t.Errorf("platform got Authorization %q, want the proxy's OAuth signature", s.Header.Get("Authorization"))
		}
		for k, vs := range s.Header {
			for _, v := range vs {
				if strings.Contains(v, token) {
					t.Errorf("the bearer token reached the platform in %s", k)
				}
			}
		}
		if strings.Contains(s.RawQuery, token) {
			t.Error("the bearer token reached the platform in the query")
		}
	}
}

func TestCheckListen(t *testing.T) {
	strong := strings.Repeat("a1", 10)
	tests := []struct {
		addr, token string
		err         error
	}{
		{"127.0.0.1:8181", "", nil},
		{"localhost:8181", "", nil},
		{"[::1]:8181", "", nil},
		{"127.0.0.2:0", "", nil},
		{"0.0.0.0:8181", "", ErrTokenRequired},
		{":8181", "", ErrTokenRequired},
		{"192.168.1.5:8181", "", ErrTokenRequired},
		{"example.com:8181", "", ErrTokenRequired},
		{"0.0.0.0:8181", strong, nil},
		{"0.0.0.0:8181", "short", ErrWeakToken},
		{"127.0.0.1:8181", "has space in it, long enough", ErrWeakToken},
	}
	for _, tt := range tests {
		if err := CheckListen(tt.addr, tt.token); !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("CheckListen(%q, %q) = %v, want %v", tt.addr, tt.token, err, tt.err)
		}
	}
}

func TestServeGracefulShutdown(t *testing.T) {
	e := newEnv(t, "")
	p, err := New(Config{Client: e.client, Logger: logging.New(e.logs, slog.LevelInfo)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/skills/1")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("served: %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/skills/1"); err == nil {
		t.Fatal("still serving after shutdown")
	}
}

func TestRevokedTokenWarns(t *testing.T) {
	e := newEnv(t, "")
	// The token is the one InstallApp made; find it from a signed request.
	if a := e.do(t, "GET", "/skills/1", ""); a.status != 200 {
		t.Fatalf("before revocation: %d", a.status)
	}
	params, err := oauthsig.ParseHeader(e.lastSeen(t).Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	var tok string
	for _, p := range params {
		if p.Key == "oauth_token" {
			tok = p.Value
		}
	}
	if !e.sb.RevokeToken(tok) {
		t.Fatal("token not found")
	}
	a := e.do(t, "GET", "/skills/1", "")
	if a.status != 401 || a.header.Get("X-Lpdesk-Proxy-Error") != "" {
		t.Fatalf("after revocation: %d %v", a.status, a.header)
	}
	if we, ok := wire.ParseError([]byte(a.body)); !ok || we.InternalCode != wire.CodeTokenRevoked {
		t.Fatalf("platform's answer not passed on: %s", a.body)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "level=WARN msg=proxy method=GET path=/skills/1 status=401") || !strings.Contains(logs, "lpdesk auth login") {
		t.Fatalf("no warning about the revoked token:\n%s", logs)
	}
}
