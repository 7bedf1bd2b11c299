package sandbox

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
)

func (e *env) oauthConfig(callback string) *oauth1.Config {
	return &oauth1.Config{
		ConsumerKey:    assets.DemoConsumerKey,
		ConsumerSecret: assets.DemoConsumerSecret,
		CallbackURL:    callback,
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: e.ts.URL + "/oauth/request_token",
			AuthorizeURL:    e.ts.URL + "/oauth/authorize",
			AccessTokenURL:  e.ts.URL + "/oauth/access_token",
		},
		HTTPClient: &http.Client{Timeout: 10 * time.Second},
	}
}

// approve approves token with HTTP Basic and returns the response.
func (e *env) approve(token, decision, accept string) (*http.Response, []byte) {
	h := basic()
	if accept != "" {
		h["Accept"] = accept
	}
	return e.do(call{method: "POST", path: "/oauth/authorize", body: formBody("oauth_token", token, "decision", decision),
		contentType: "application/x-www-form-urlencoded", header: h})
}

func TestThreeLeggedFlowWithDghubble(t *testing.T) {
	e := newEnv(t, nil)
	// A loopback callback, as the desktop app uses.
	cfg := e.oauthConfig("http://127.0.0.1:9/callback?state=xyz")
	rt, rs, err := cfg.RequestToken()
	if err != nil {
		t.Fatalf("RequestToken: %v", err)
	}
	resp, body := e.approve(rt, "approve", "")
	wantStatus(t, resp, body, http.StatusFound)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Host != "127.0.0.1:9" || loc.Path != "/callback" {
		t.Fatalf("Location %q", resp.Header.Get("Location"))
	}
	if loc.Query().Get("state") != "xyz" || loc.Query().Get("oauth_token") != rt {
		t.Fatalf("callback query %q", loc.RawQuery)
	}
	verifier := loc.Query().Get("oauth_verifier")
	if verifier == "" {
		t.Fatal("no verifier")
	}
	at, as, err := cfg.AccessToken(rt, rs, verifier)
	if err != nil {
		t.Fatalf("AccessToken: %v", err)
	}
	// The request token is single-use.
	if _, _, err := cfg.AccessToken(rt, rs, verifier); err == nil {
		t.Fatal("request token exchanged twice")
	}
	// dghubble's own signing transport is accepted for API calls.
	cl := cfg.Client(context.Background(), oauth1.NewToken(at, as))
	r2, err := cl.Get(e.ts.URL + e.acct() + "/skills/1?v=1")
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := io.ReadAll(r2.Body)
	r2.Body.Close()
	if r2.StatusCode != 200 || !strings.Contains(string(b2), `"skill"`) {
		t.Fatalf("signed call with the new token: %d %s", r2.StatusCode, b2)
	}
	// Our own signer with the same token too, in query placement.
	c := creds{key: assets.DemoConsumerKey, secret: assets.DemoConsumerSecret, token: at, tokenSecret: as}
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &c, query: true})
	wantStatus(t, resp, body, 200)

	// Revocation, signed with the token it revokes.
	resp, body = e.do(call{method: "POST", path: "/oauth/revoke", signer: &c})
	wantStatus(t, resp, body, 200)
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &c})
	wantError(t, resp, body, 401, wire.CodeTokenRevoked, wire.JSON)
}

func TestOOBFlowPlainText(t *testing.T) {
	e := newEnv(t, nil)
	cfg := e.oauthConfig("oob")
	rt, rs, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	resp, body := e.approve(rt, "approve", "text/plain")
	wantStatus(t, resp, body, 200)
	v, ok := strings.CutPrefix(string(body), "oauth_verifier=")
	if !ok || v == "" || strings.ContainsAny(v, "\n&") {
		t.Fatalf("body %q", body)
	}
	// A wrong verifier does not burn the request token.
	if _, _, err := cfg.AccessToken(rt, rs, "wrong"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong verifier: %v", err)
	}
	if _, _, err := cfg.AccessToken(rt, rs, v); err != nil {
		t.Fatalf("retry with the right verifier: %v", err)
	}
	// The oob page (HTML) shows the verifier too.
	rt2, _, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	resp, body = e.approve(rt2, "approve", "text/html")
	wantStatus(t, resp, body, 200)
	if !regexp.MustCompile(`class="code">[0-9a-f]{20}<`).Match(body) {
		t.Fatalf("verifier page: %s", body)
	}
}

func TestDenyAndExpiry(t *testing.T) {
	e := newEnv(t, nil)
	cfg := e.oauthConfig("http://127.0.0.1:9/cb")
	rt, rs, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	resp, body := e.approve(rt, "deny", "")
	wantStatus(t, resp, body, http.StatusFound)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("denied") != rt || loc.Query().Get("oauth_verifier") != "" {
		t.Fatalf("deny Location %q", resp.Header.Get("Location"))
	}
	if _, _, err := cfg.AccessToken(rt, rs, "anything"); err == nil {
		t.Fatal("denied token exchanged")
	}
	// oob deny as text.
	cfg = e.oauthConfig("oob")
	rt, _, _ = cfg.RequestToken()
	resp, body = e.approve(rt, "deny", "text/plain")
	if resp.StatusCode != 200 || string(body) != "denied="+rt {
		t.Fatalf("oob deny: %d %q", resp.StatusCode, body)
	}

	// Request tokens expire after 10 minutes.
	rt, rs, _ = cfg.RequestToken()
	resp, body = e.approve(rt, "approve", "text/plain")
	wantStatus(t, resp, body, 200)
	v := strings.TrimPrefix(string(body), "oauth_verifier=")
	e.skew.Store(int64(11 * time.Minute))
	// Sign with the server's (moved) clock so that only expiry is at stake.
	c := creds{key: assets.DemoConsumerKey, secret: assets.DemoConsumerSecret, token: rt, tokenSecret: rs}
	resp, body = e.do(call{method: "POST", path: "/oauth/access_token", signer: &c, timestamp: time.Now().Add(11 * time.Minute),
		extra: []oauthsig.Param{{Key: "oauth_verifier", Value: v}}})
	we := wantError(t, resp, body, 401, wire.CodeTokenRevoked, wire.JSON)
	if !strings.Contains(we.Message, "expired") {
		t.Fatalf("message %q", we.Message)
	}
	// Approving an expired token fails too.
	resp, _ = e.approve(rt, "approve", "text/plain")
	if resp.StatusCode != 404 {
		t.Fatalf("approve expired: %d", resp.StatusCode)
	}
}

func TestRequestTokenValidation(t *testing.T) {
	e := newEnv(t, nil)
	app := demoCreds()
	// No callback.
	resp, body := e.do(call{method: "POST", path: "/oauth/request_token", signer: &app})
	wantError(t, resp, body, 400, wire.CodeBadOAuthParams, wire.JSON)
	// A relative callback.
	resp, body = e.do(call{method: "POST", path: "/oauth/request_token", signer: &app,
		extra: []oauthsig.Param{{Key: "oauth_callback", Value: "/relative"}}})
	wantError(t, resp, body, 400, wire.CodeBadOAuthParams, wire.JSON)
	// Query placement works for the protocol endpoints as well.
	resp, body = e.do(call{method: "POST", path: "/oauth/request_token", signer: &app, query: true,
		extra: []oauthsig.Param{{Key: "oauth_callback", Value: "oob"}}})
	wantStatus(t, resp, body, 200)
	v, err := url.ParseQuery(string(body))
	if err != nil || v.Get("oauth_callback_confirmed") != "true" || v.Get("oauth_token") == "" || v.Get("oauth_token_secret") == "" {
		t.Fatalf("body %q", body)
	}
	// GET is refused.
	resp, body = e.do(call{path: "/oauth/request_token"})
	wantError(t, resp, body, 405, wire.CodeMethodNotAllowed, wire.JSON)
	// Access token before approval.
	c := creds{key: app.key, secret: app.secret, token: v.Get("oauth_token"), tokenSecret: v.Get("oauth_token_secret")}
	resp, body = e.do(call{method: "POST", path: "/oauth/access_token", signer: &c, extra: []oauthsig.Param{{Key: "oauth_verifier", Value: "x"}}})
	wantError(t, resp, body, 401, wire.CodeBadOAuthParams, wire.JSON)
}

// TestAuthorizePageInBrowser walks the HTML path: sign-in form, session
// cookie, the approval page naming the app, CSRF enforcement.
func TestAuthorizePageInBrowser(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Apps = []App{{Name: "Acme Reports", Key: "acme", Secret: "acme-secret"}} })
	cfg := e.oauthConfig("oob")
	cfg.ConsumerKey, cfg.ConsumerSecret = "acme", "acme-secret"
	rt, _, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	authURL, _ := cfg.AuthorizationURL(rt)
	get := func() string {
		resp, err := browser.Get(authURL.String())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Error("authorize page can be framed")
		}
		return string(b)
	}
	page := get()
	if !strings.Contains(page, `action="/console/login"`) || !strings.Contains(page, `name="password"`) {
		t.Fatalf("no sign-in form: %s", page)
	}
	next := regexp.MustCompile(`name="next" value="([^"]+)"`).FindStringSubmatch(page)
	if next == nil {
		t.Fatal("no next field")
	}
	resp, err := browser.PostForm(e.ts.URL+"/console/login", url.Values{"user": {"admin"}, "password": {"demo"},
		"next": {strings.ReplaceAll(next[1], "&amp;", "&")}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page = string(b)
	if !strings.Contains(page, "Acme Reports") || !strings.Contains(page, `value="approve"`) || !strings.Contains(page, `value="deny"`) {
		t.Fatalf("approval page after sign-in: %s", page)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no csrf field")
	}
	// Without the CSRF token the cookie alone is not enough.
	resp, err = browser.PostForm(e.ts.URL+"/oauth/authorize", url.Values{"oauth_token": {rt}, "decision": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("approve without csrf: %d", resp.StatusCode)
	}
	resp, err = browser.PostForm(e.ts.URL+"/oauth/authorize", url.Values{"oauth_token": {rt}, "decision": {"approve"}, "csrf": {csrf[1]}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Access approved") {
		t.Fatalf("approve with csrf: %d %s", resp.StatusCode, b)
	}
}

// A bad signature on the access-token call shows the server's base string,
// but never the verifier it contains.
func TestBadSignatureHidesVerifier(t *testing.T) {
	e := newEnv(t, nil)
	cfg := e.oauthConfig("oob")
	rt, _, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	resp, body := e.approve(rt, "approve", "text/plain")
	wantStatus(t, resp, body, 200)
	v := strings.TrimPrefix(string(body), "oauth_verifier=")
	c := creds{key: assets.DemoConsumerKey, secret: assets.DemoConsumerSecret, token: rt, tokenSecret: "wrong-secret"}
	resp, body = e.do(call{method: "POST", path: "/oauth/access_token", signer: &c,
		extra: []oauthsig.Param{{Key: "oauth_verifier", Value: v}}})
	we := wantError(t, resp, body, 401, wire.CodeBadSignature, wire.JSON)
	if !strings.Contains(we.Reason, "base string") || strings.Contains(string(body), v) {
		t.Fatalf("reason must show the base string without the verifier: %s", body)
	}
}
