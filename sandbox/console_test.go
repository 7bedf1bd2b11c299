package sandbox

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
)

func TestVerificationCodeInstallAndConsoleRevoke(t *testing.T) {
	e := newEnv(t, nil)
	h := basic()
	h["Accept"] = "text/plain"
	resp, body := e.do(call{method: "POST", path: "/console/apps/" + assets.DemoConsumerKey + "/install", header: h})
	wantStatus(t, resp, body, 200)
	token, secret, ok := strings.Cut(string(body), ";")
	if !ok || token == "" || secret == "" || strings.ContainsAny(string(body), "\n ") {
		t.Fatalf("verification code %q", body)
	}
	c := creds{key: assets.DemoConsumerKey, secret: assets.DemoConsumerSecret, token: token, tokenSecret: secret}
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &c})
	wantStatus(t, resp, body, 200)

	// The console lists the token but never its secret.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := browser.PostForm(e.ts.URL+"/console/login", url.Values{"user": {"admin"}, "password": {"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	dash, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(dash), token) {
		t.Fatalf("dashboard does not list the token: %s", dash)
	}
	if strings.Contains(string(dash), secret) || strings.Contains(string(dash), e.creds.tokenSecret) {
		t.Fatal("dashboard shows a token secret")
	}

	// Revoke with Basic.
	resp, body = e.do(call{method: "POST", path: "/console/tokens/" + token + "/revoke", header: basic()})
	wantStatus(t, resp, body, 200)
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &c})
	wantError(t, resp, body, 401, wire.CodeTokenRevoked, wire.JSON)
	resp, body = e.do(call{method: "POST", path: "/console/tokens/" + token + "/revoke", header: basic()})
	wantStatus(t, resp, body, 404)

	// Revoke with the session cookie and the form's CSRF token.
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(dash))
	if csrf == nil {
		t.Fatal("no csrf in dashboard")
	}
	resp, err = browser.PostForm(e.ts.URL+"/console/tokens/"+e.creds.token+"/revoke", url.Values{"csrf": {csrf[1]}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "was revoked") {
		t.Fatalf("cookie revoke: %d %s", resp.StatusCode, page)
	}
	resp, body = e.api(call{path: e.acct() + "?v=1"})
	wantError(t, resp, body, 401, wire.CodeTokenRevoked, wire.JSON)
}

func TestInstallHTMLShowsCodeOnce(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.do(call{method: "POST", path: "/console/apps/" + assets.DemoConsumerKey + "/install", header: basic()})
	wantStatus(t, resp, body, 200)
	m := regexp.MustCompile(`class="code">([0-9a-f]+);([A-Za-z0-9_-]+)<`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no code on page: %s", body)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Error("code page may be cached")
	}
	resp, body = e.do(call{method: "POST", path: "/console/apps/unknown/install", header: basic()})
	wantStatus(t, resp, body, 404)
}

func TestConsoleAuthentication(t *testing.T) {
	e := newEnv(t, nil)
	// Wrong Basic credentials.
	req, _ := http.NewRequest("POST", e.ts.URL+"/console/settings", strings.NewReader("unsigned=on"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("admin", "wrong")
	resp, body := e.send(req)
	wantStatus(t, resp, body, 401)
	if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic") {
		t.Error("no Basic challenge")
	}
	// No credentials at all.
	resp, body = e.do(call{method: "POST", path: "/console/settings", body: "unsigned=on", contentType: "application/x-www-form-urlencoded"})
	wantStatus(t, resp, body, 401)
	if e.srv.allowUnsigned() {
		t.Fatal("setting changed without authentication")
	}
	// Wrong password at the sign-in form.
	resp, body = e.do(call{method: "POST", path: "/console/login", body: formBody("user", "admin", "password", "nope"),
		contentType: "application/x-www-form-urlencoded"})
	wantStatus(t, resp, body, 401)
	if len(resp.Cookies()) != 0 {
		t.Fatal("cookie set on failed sign-in")
	}
	// Sign in: the cookie is HttpOnly and SameSite=Lax.
	resp, body = e.do(call{method: "POST", path: "/console/login", body: formBody("user", "admin", "password", "demo", "next", "//evil.example/"),
		contentType: "application/x-www-form-urlencoded"})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if resp.Header.Get("Location") != "/console" {
		t.Fatalf("open redirect: %q", resp.Header.Get("Location"))
	}
	cs := resp.Cookies()
	if len(cs) != 1 || !cs[0].HttpOnly || cs[0].SameSite != http.SameSiteLaxMode {
		t.Fatalf("cookie %+v", cs)
	}
	cookie := cs[0].Name + "=" + cs[0].Value
	// The cookie without the CSRF token is refused; a foreign Origin too.
	resp, body = e.do(call{method: "POST", path: "/console/settings", body: "unsigned=on", contentType: "application/x-www-form-urlencoded",
		header: map[string]string{"Cookie": cookie}})
	wantStatus(t, resp, body, 403)
	resp, body = e.do(call{path: "/console", header: map[string]string{"Cookie": cookie}})
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if csrf == nil {
		t.Fatalf("dashboard: %s", body)
	}
	resp, body = e.do(call{method: "POST", path: "/console/settings", body: formBody("unsigned", "on", "csrf", string(csrf[1])),
		contentType: "application/x-www-form-urlencoded", header: map[string]string{"Cookie": cookie, "Origin": "http://evil.example"}})
	wantStatus(t, resp, body, 403)
	if e.srv.allowUnsigned() {
		t.Fatal("cross-origin form changed a setting")
	}
	resp, body = e.do(call{method: "POST", path: "/console/settings", body: formBody("unsigned", "on", "csrf", string(csrf[1])),
		contentType: "application/x-www-form-urlencoded", header: map[string]string{"Cookie": cookie, "Origin": e.ts.URL}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if !e.srv.allowUnsigned() {
		t.Fatal("setting not applied")
	}
}

func TestConsoleSettingsUnsigned(t *testing.T) {
	e := newEnv(t, nil)
	path := e.acct() + "?v=1&appKey=" + assets.DemoConsumerKey
	set := func(v string) {
		t.Helper()
		resp, body := e.do(call{method: "POST", path: "/console/settings", body: "unsigned=" + v,
			contentType: "application/x-www-form-urlencoded", header: basic()})
		wantStatus(t, resp, body, 200)
	}
	set("on")
	resp, body := e.do(call{path: path})
	wantStatus(t, resp, body, 200)
	set("off")
	resp, body = e.do(call{path: path})
	wantError(t, resp, body, 403, wire.CodeUnsignedRefused, wire.JSON)
	resp, body = e.do(call{method: "POST", path: "/console/settings", body: "unsigned=maybe",
		contentType: "application/x-www-form-urlencoded", header: basic()})
	wantStatus(t, resp, body, 400)
}

func TestBannerNamesNoSecrets(t *testing.T) {
	srv, err := New(Config{Apps: []App{{Name: "Acme", Key: "acme-key", Secret: "acme-very-secret"}}, AdminPassword: "s3cret-pw"})
	if err != nil {
		t.Fatal(err)
	}
	b := srv.Banner("http://127.0.0.1:8088")
	for _, want := range []string{"http://127.0.0.1:8088", "12345678", "/console", "admin", "acme-key", assets.DemoConsumerKey,
		"http://127.0.0.1:8088/api/account/12345678?v=1"} {
		if !strings.Contains(b, want) {
			t.Errorf("banner lacks %q:\n%s", want, b)
		}
	}
	for _, secret := range []string{"acme-very-secret", "s3cret-pw"} {
		if strings.Contains(b, secret) {
			t.Errorf("banner shows secret %q", secret)
		}
	}
	demo, _ := New(DemoConfig())
	if !strings.Contains(demo.Banner("http://x"), "password demo") {
		t.Errorf("demo banner lacks the demo credentials:\n%s", demo.Banner("http://x"))
	}
}
