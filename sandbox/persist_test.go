package sandbox

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
)

func TestPersistenceAcrossRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox.json")
	e := newEnv(t, func(c *Config) { c.DataFile = file; c.SeedRecords = 40 })
	resp, body := e.api(call{method: "POST", path: e.acct() + "/skills?v=1", body: `{"skill":{"name":"Persisted Skill"}}`, contentType: "application/json"})
	wantStatus(t, resp, body, http.StatusCreated)
	skillPath := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)
	e.srv.SetAllowUnsigned(true)
	tok2, _, err := e.srv.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.RevokeToken(tok2)
	if err := e.srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	// Windows has no permission bits (Go reports 0666): there the file is
	// as private as the directory's ACL makes it.
	if st.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
		t.Fatalf("data file mode %v, want 0600 (it holds token secrets)", st.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*.tmp")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}

	// A second server on the same file: the token, the record and the
	// setting survived; the revoked token stayed revoked; nothing reseeded.
	srv2, err := New(Config{DataFile: file, SeedRecords: 40})
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	ts2 := httptest.NewServer(srv2)
	defer ts2.Close()
	e.ts = ts2
	e.srv = srv2
	resp, body = e.api(call{path: skillPath + "?v=1"})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), "Persisted Skill") {
		t.Fatalf("record lost: %s", body)
	}
	resp, body = e.api(call{path: e.acct() + "/skills?v=1"})
	if !strings.Contains(string(body), `"@count":"16"`) {
		t.Fatalf("reseeded or lost: %s", body[:200])
	}
	resp, body = e.do(call{path: e.acct() + "?v=1&appKey=" + assets.DemoConsumerKey})
	wantStatus(t, resp, body, 200)
	c := e.creds
	c.token = tok2
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &c})
	wantError(t, resp, body, 401, wire.CodeTokenRevoked, wire.JSON)
	// New ids continue after the old ones.
	resp, body = e.api(call{method: "POST", path: e.acct() + "/skills?v=1", body: `{"skill":{"name":"After Restart"}}`, contentType: "application/json"})
	wantStatus(t, resp, body, http.StatusCreated)
	if resp.Header.Get("Location") == e.ts.URL+skillPath {
		t.Fatal("id reused after restart")
	}
}

func TestCorruptDataFileRefused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(file, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{DataFile: file}); err == nil {
		t.Fatal("corrupt data file accepted (and would be overwritten)")
	}
	raw, _ := os.ReadFile(file)
	if string(raw) != "{not json" {
		t.Fatal("corrupt data file was overwritten")
	}
}

func TestDiscoveryRedirect(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.BasePath = "/le/v1/account/12345678"
		c.DiscoveryRedirect = true
	})
	resp, body := e.do(call{path: "/api/account/12345678?v=1&oauth_nonce=x"})
	wantStatus(t, resp, body, http.StatusFound)
	want := e.ts.URL + "/le/v1/account/12345678?v=1"
	if resp.Header.Get("Location") != want {
		t.Fatalf("Location %q, want %q", resp.Header.Get("Location"), want)
	}
	// Extension kept.
	resp, body = e.do(call{path: "/api/account/12345678.xml?v=1"})
	wantStatus(t, resp, body, http.StatusFound)
	if resp.Header.Get("Location") != e.ts.URL+"/le/v1/account/12345678.xml?v=1" || !strings.HasPrefix(string(body), "<?xml") {
		t.Fatalf("xml discovery: %q %s", resp.Header.Get("Location"), body)
	}
	// Discovery still requires v=1.
	resp, body = e.do(call{path: "/api/account/12345678"})
	wantError(t, resp, body, 400, wire.CodeMissingVersion, wire.JSON)
	// The account's own base answers, signed.
	resp, body = e.api(call{path: "/le/v1/account/12345678?v=1"})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), e.ts.URL+"/le/v1/account/12345678/skills") {
		t.Fatalf("links not under the base path: %s", body)
	}
}

func TestDiscoveryToAnotherListener(t *testing.T) {
	// One sandbox behind two listeners: the "global" one redirects
	// discovery to the account's own server.
	e := newEnv(t, nil)
	own := e.ts
	srv2, err := New(Config{DiscoveryTarget: own.URL + "/api/account/12345678"})
	if err != nil {
		t.Fatal(err)
	}
	global := httptest.NewServer(srv2)
	defer global.Close()
	e.ts = global
	resp, body := e.do(call{path: "/api/account/12345678?v=1"})
	wantStatus(t, resp, body, http.StatusFound)
	if resp.Header.Get("Location") != own.URL+"/api/account/12345678?v=1" {
		t.Fatalf("Location %q", resp.Header.Get("Location"))
	}
	// The target itself serves, even when configured the same way.
	self := httptest.NewUnstartedServer(nil)
	srv3, err := New(Config{DiscoveryTarget: "http://" + self.Listener.Addr().String() + "/api/account/12345678"})
	if err != nil {
		t.Fatal(err)
	}
	self.Config.Handler = srv3
	self.Start()
	defer self.Close()
	tok, sec, _ := srv3.InstallApp(assets.DemoConsumerKey)
	e.ts, e.creds.token, e.creds.tokenSecret = self, tok, sec
	resp, body = e.api(call{path: "/api/account/12345678?v=1"})
	wantStatus(t, resp, body, 200)
}

func TestOtherAccountID(t *testing.T) {
	cfg := DemoConfig()
	cfg.AccountID = "777"
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if srv.AccountPath() != "/api/account/777" {
		t.Fatalf("AccountPath %q", srv.AccountPath())
	}
	if _, err := New(Config{AccountID: "a/b"}); err == nil {
		t.Fatal("account id with a slash accepted")
	}
	if _, err := New(Config{Apps: []App{{Key: "k"}}}); err == nil {
		t.Fatal("app without a secret accepted")
	}
}
