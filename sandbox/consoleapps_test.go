package sandbox

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
)

// TestConsoleRegistersAppsThatPersist registers an RSA application (PEM
// public key, RSA-SHA256, realm, body hash) with the console client, runs
// python3-oauthlib's flow with it, restarts the sandbox on the same data
// file and finds the application still registered and verifying.
func TestConsoleRegistersAppsThatPersist(t *testing.T) {
	signer := startOAuthlibSigner(t)
	file := filepath.Join(t.TempDir(), "sandbox.json")
	cfg := DemoConfig()
	cfg.SeedRecords, cfg.DataFile = 10, file
	e := newSigEnvWith(t, false, signer, cfg)
	ctx := context.Background()
	pub := readPEM(t, "../apiclient/oauthsig/testdata/rsa-public.pem")
	jira := consoleclient.App{Name: "Jira DC", Key: "jira-link", Method: "rsa-sha256", PublicKeyPEM: pub, Realm: "jira", BodyHash: true}
	if err := e.admin.RegisterApp(ctx, jira); err != nil {
		t.Fatalf("register: %v", err)
	}
	var se *consoleclient.StatusError
	if err := e.admin.RegisterApp(ctx, jira); !errors.As(err, &se) || se.Status != 409 || !strings.Contains(se.Body, "already registered") {
		t.Fatalf("second registration of the key: %v", err)
	}
	for _, bad := range []struct {
		app  consoleclient.App
		says string
	}{
		{consoleclient.App{Key: "x", Method: "RSA-SHA1", PublicKeyPEM: "not a pem"}, "RSA public key could not be read"},
		{consoleclient.App{Key: "x", Method: "RSA-SHA1", PublicKeyPEM: readPEM(t, "../apiclient/oauthsig/testdata/rsa-pkcs1.pem")}, "not a public key"},
		{consoleclient.App{Key: "x", Method: "RSA-SHA1"}, "RSA-SHA1 needs the application's RSA public key"},
		{consoleclient.App{Key: "x", Method: "HMAC-SHA512", Secret: "hidden-secret-1"}, "unsupported oauth_signature_method"},
		{consoleclient.App{Key: "x", Method: "HMAC-SHA256"}, "HMAC-SHA256 needs a consumer secret"},
		{consoleclient.App{Key: "a/b", Secret: "hidden-secret-1"}, "may not contain /"},
		{consoleclient.App{Key: "", Secret: "hidden-secret-1"}, "needs a key"},
	} {
		err := e.admin.RegisterApp(ctx, bad.app)
		if !errors.As(err, &se) || se.Status != 400 || !strings.Contains(se.Body, bad.says) || strings.Contains(se.Body, "hidden-secret-1") {
			t.Errorf("register %+v: %v, want 400 saying %q", bad.app.Key, err, bad.says)
		}
	}

	c := client{key: "jira-link", rsaKey: readPEM(t, "../apiclient/oauthsig/testdata/rsa-pkcs8.pem"), method: oauthsig.RSASHA256, realm: "jira"}
	token, _ := e.flow(t, c)
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(raw), `"key":"jira-link"`) || !strings.Contains(string(raw), "BEGIN PUBLIC KEY") {
		t.Fatalf("data file lacks the application: %v", err)
	}

	// Restarted on the same file, with nothing about the app configured.
	e2 := newSigEnvWith(t, false, signer, cfg)
	r := c.req("POST", e2.base+"/api/echo/issue")
	body := `{"fields": {"summary": "persisted"}}`
	r.Token, r.Body, r.Headers, r.BodyHash = token, &body, map[string]string{"Content-Type": "application/json"}, "method"
	if rep := e2.echo(t, r); rep.ConsumerKey != "jira-link" || !rep.BodyHashVerified || rep.SignatureMethod != "RSA-SHA256" {
		t.Fatalf("after restart: %+v", rep)
	}
	c.method = oauthsig.RSASHA1 // the registered method still binds
	r = c.req("GET", e2.base+"/api/echo/issue")
	r.Token = token
	if status, body := e2.do(t, r); status != 400 || !strings.Contains(string(body), "registered for RSA-SHA256") {
		t.Fatalf("RSA-SHA1 after restart: %d %s", status, body)
	}
}

// TestConsoleRegisterFormAsABrowser uses the applications page's form as a
// browser does (session cookie, CSRF token, same origin) and is refused
// from another origin.
func TestConsoleRegisterFormAsABrowser(t *testing.T) {
	e := newEnv(t, nil)
	nav := map[string]string{"Origin": e.ts.URL, "Referer": e.ts.URL + "/console", "Sec-Fetch-Site": "same-origin",
		"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
	resp, body := e.do(call{method: "POST", path: "/console/login", body: formBody("user", "admin", "password", "demo"), contentType: formType, header: nav})
	wantStatus(t, resp, body, http.StatusSeeOther)
	cookie := resp.Cookies()[0].Name + "=" + resp.Cookies()[0].Value
	resp, body = e.do(call{path: "/console", header: map[string]string{"Cookie": cookie}})
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{`action="/console/apps"`, `name="publicKey"`, `name="realm"`, `name="bodyHash"`, "<option>RSA-SHA256</option>"} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("the applications page has no %s", want)
		}
	}
	csrf := string(regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)[1])
	form := formBody("csrf", csrf, "name", "NetSuite", "key", "ns-app", "method", "HMAC-SHA256", "secret", "ns-secret",
		"realm", "1234567_SB1", "bodyHash", "on")

	foreign := with(nav, "Cookie", cookie, "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	resp, body = e.do(call{method: "POST", path: "/console/apps", body: form, contentType: formType, header: foreign})
	wantStatus(t, resp, body, http.StatusForbidden)
	if _, ok := e.srv.app("ns-app"); ok {
		t.Fatal("a foreign page registered an application")
	}
	resp, body = e.do(call{method: "POST", path: "/console/apps", body: formBody("name", "x", "key", "nocsrf", "secret", "s"), contentType: formType,
		header: with(nav, "Cookie", cookie)})
	wantStatus(t, resp, body, http.StatusForbidden)

	resp, body = e.do(call{method: "POST", path: "/console/apps", body: form, contentType: formType, header: with(nav, "Cookie", cookie)})
	wantStatus(t, resp, body, http.StatusSeeOther)
	a, ok := e.srv.app("ns-app")
	if !ok || a.Method != oauthsig.HMACSHA256 || a.Secret != "ns-secret" || a.Realm != "1234567_SB1" || !a.BodyHash || a.Name != "NetSuite" {
		t.Fatalf("registered %+v", a)
	}
	resp, body = e.do(call{path: "/console", header: map[string]string{"Cookie": cookie}})
	if !strings.Contains(string(body), `NetSuite <span class="muted">key <code>ns-app</code> · signs with HMAC-SHA256; realm &#34;1234567_SB1&#34;; body hash required`) ||
		strings.Contains(string(body), "ns-secret") {
		t.Fatalf("dashboard after registration: %s", body)
	}
}
