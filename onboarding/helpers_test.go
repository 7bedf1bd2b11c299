package onboarding

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/store"
)

type testSandbox struct {
	*sandbox.Server
	URL    string
	offset atomic.Int64 // server clock offset, ns
}

// startSandbox runs an in-process sandbox; wrap may put a handler in front
// of it (e.g. to drop /oauth/revoke).
func startSandbox(t *testing.T, wrap func(http.Handler) http.Handler) *testSandbox {
	t.Helper()
	ts := &testSandbox{}
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 8
	cfg.Now = func() time.Time { return time.Now().Add(time.Duration(ts.offset.Load())) }
	s, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = s
	var h http.Handler = s
	if wrap != nil {
		h = wrap(s)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ts.URL = srv.URL
	return ts
}

// newStore is a store in a temp dir with go-keyring's mock behind the real
// wrapper.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	keyring.MockInit()
	st, err := store.Open(t.TempDir(), store.SystemKeyring(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func tokenOf(t *testing.T, authorizeURL string) string {
	t.Helper()
	u, err := url.Parse(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("oauth_token")
}

// decide posts the admin's decision as the console's HTTP Basic client
// would. With follow, redirects are followed (as a browser reaches the
// loopback callback) and the final body is returned; otherwise the text
// answer (oauth_verifier=V for oob) is.
func decide(t *testing.T, server, token, decision string, follow bool) (int, string) {
	t.Helper()
	form := url.Values{"oauth_token": {token}, "decision": {decision}}
	req, _ := http.NewRequest(http.MethodPost, server+"/oauth/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/plain")
	req.SetBasicAuth("admin", "demo")
	c := &http.Client{Timeout: 10 * time.Second}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("authorize %s: %v", decision, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// approveRedirect approves a loopback request token as the console's HTTP
// Basic client would, without following the provider's redirect, and
// returns the callback URL the browser would be sent to.
func approveRedirect(t *testing.T, server, token string) string {
	t.Helper()
	form := url.Values{"oauth_token": {token}, "decision": {"approve"}}
	req, _ := http.NewRequest(http.MethodPost, server+"/oauth/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("admin", "demo")
	noFollow := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || loc == "" {
		t.Fatalf("approve: %d %q", resp.StatusCode, loc)
	}
	return loc
}

// get fetches u as a browser tab would and returns the status and page.
func get(t *testing.T, u string) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// approveOOB approves an oob request token and returns the verifier.
func approveOOB(t *testing.T, server, token string) string {
	t.Helper()
	status, body := decide(t, server, token, "approve", false)
	v, ok := strings.CutPrefix(strings.TrimSpace(body), "oauth_verifier=")
	if status != 200 || !ok || v == "" {
		t.Fatalf("approve: %d %q", status, body)
	}
	return v
}

func opts(st *store.Store, server string) Options {
	return Options{Store: st, Server: server, AccountID: "12345678", Profile: "work", HTTPTimeout: 5 * time.Second}
}

// assertNotInDir fails when a file under dir contains any of the secrets.
func assertNotInDir(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, s := range secrets {
			if s != "" && bytes.Contains(b, []byte(s)) {
				t.Errorf("secret found in %s", path)
			}
		}
		return nil
	})
}
