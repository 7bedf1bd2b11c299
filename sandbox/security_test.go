package sandbox

import (
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
)

// Regression tests for issue 10, findings 1, 2 and 8: each drives a real
// HTTP server as a hostile page in the admin's browser would.

const formType = "application/x-www-form-urlencoded"

// verificationCode is an install's answer: access token;secret.
var verificationCode = regexp.MustCompile(`[0-9a-f]{32};`)

func with(h map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// unsignedAllowed asks the API whether the account takes appKey-only calls.
func (e *env) unsignedAllowed() bool {
	e.t.Helper()
	resp, body := e.do(call{path: e.acct() + "?v=1&appKey=" + assets.DemoConsumerKey})
	switch resp.StatusCode {
	case http.StatusOK:
		return true
	case http.StatusForbidden:
		return false
	}
	e.t.Fatalf("unsigned probe: %d %s", resp.StatusCode, body)
	return false
}

// Finding 1: HTTP Basic is for scripts. A request with any sign of a
// browser must pass the Origin and session/CSRF checks, whatever
// credentials it carries, and is never offered a Basic challenge.
func TestBasicFromABrowserIsRefused(t *testing.T) {
	e := newEnv(t, nil)
	rt, _, err := e.oauthConfig("oob").RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	approve := formBody("oauth_token", rt, "decision", "approve")
	foreign := "http://evil.example"
	for _, c := range []struct {
		name, path, body string
		header           map[string]string
		names            string // the refusal names it
	}{
		{"settings, foreign Origin", "/console/settings", "unsigned=on", with(basic(), "Origin", foreign), "evil.example"},
		{"settings, opaque Origin", "/console/settings", "unsigned=on", with(basic(), "Origin", "null"), "null"},
		{"install, Sec-Fetch-Site cross-site", "/console/apps/" + assets.DemoConsumerKey + "/install", "", with(basic(), "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate"), "cross-site"},
		{"install, Sec-Fetch-Site same-site (another local port)", "/console/apps/" + assets.DemoConsumerKey + "/install", "", with(basic(), "Sec-Fetch-Site", "same-site"), "same-site"},
		{"revoke, foreign Referer", "/console/tokens/" + e.creds.token + "/revoke", "", with(basic(), "Referer", foreign+"/page"), "evil.example"},
		{"approve, foreign Origin", "/oauth/authorize", approve, with(basic(), "Origin", foreign, "Accept", "text/plain"), "evil.example"},
		{"approve, same Origin but no session or CSRF token", "/oauth/authorize", approve, with(basic(), "Origin", e.ts.URL, "Accept", "text/plain"), "Sign in"},
		{"approve, a cookie but no session", "/oauth/authorize", approve, with(basic(), "Cookie", "other=1", "Accept", "text/plain"), "Sign in"},
		{"settings, Sec-Fetch-Site same-origin but no session", "/console/settings", "unsigned=on", with(basic(), "Sec-Fetch-Site", "same-origin"), "Sign in"},
	} {
		resp, body := e.do(call{method: "POST", path: c.path, body: c.body, contentType: formType, header: c.header})
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), c.names) {
			t.Errorf("%s: %d %s, want 403 naming %q", c.name, resp.StatusCode, body, c.names)
		}
		if strings.Contains(resp.Header.Get("WWW-Authenticate"), "Basic") {
			t.Errorf("%s: a browser was offered a Basic challenge", c.name)
		}
		if strings.Contains(string(body), "oauth_verifier") || verificationCode.Match(body) {
			t.Errorf("%s: the refusal carries a credential: %s", c.name, body)
		}
	}
	if e.unsignedAllowed() {
		t.Error("a cross-site Basic POST changed the settings")
	}
	resp, body := e.api(call{path: e.acct() + "?v=1"})
	wantStatus(t, resp, body, http.StatusOK) // not revoked

	// A session-less browser POST without credentials: no Basic challenge
	// (the browser would prompt, then cache and resend the password).
	for _, h := range []map[string]string{{"Origin": e.ts.URL}, {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}} {
		resp, _ := e.do(call{method: "POST", path: "/console/settings", body: "unsigned=on", contentType: formType, header: h})
		if resp.StatusCode == http.StatusOK || strings.Contains(resp.Header.Get("WWW-Authenticate"), "Basic") {
			t.Errorf("session-less browser POST %v: %d, WWW-Authenticate %q", h, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}

	// A script (no browser signs) still approves, installs and changes
	// settings with Basic alone; the request token was not approved above.
	resp, body = e.do(call{method: "POST", path: "/oauth/authorize", body: approve, contentType: formType, header: with(basic(), "Accept", "text/plain")})
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.HasPrefix(string(body), "oauth_verifier=") {
		t.Fatalf("script approval: %s", body)
	}
	resp, body = e.do(call{method: "POST", path: "/console/settings", body: "unsigned=on", contentType: formType, header: basic()})
	wantStatus(t, resp, body, http.StatusOK)
	if !e.unsignedAllowed() {
		t.Error("a script's Basic POST did not change the settings")
	}
	// and a script without credentials is still told to use Basic.
	resp, body = e.do(call{method: "POST", path: "/console/settings", body: "unsigned=off", contentType: formType})
	wantStatus(t, resp, body, http.StatusUnauthorized)
	if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic") {
		t.Error("a script is not told to use Basic")
	}
}

// Finding 2: a Host that is not one of the sandbox's names (DNS rebinding)
// is refused with 421 on every route, before anything happens.
func TestForeignHostIsMisdirected(t *testing.T) {
	e := newEnv(t, nil)
	_, port, _ := net.SplitHostPort(e.ts.Listener.Addr().String())
	evil := "evil.example:" + port
	login := formBody("user", "admin", "password", "demo")
	for _, c := range []struct {
		method, path, body string
		header             map[string]string
		api                bool // the platform's error body
	}{
		{"GET", e.acct() + "?v=1&appKey=" + assets.DemoConsumerKey, "", nil, true},
		{"GET", e.acct() + "/skills.xml?v=1", "", nil, true},
		{"POST", "/oauth/request_token", "", nil, true},
		{"GET", "/oauth/authorize?oauth_token=x", "", nil, true},
		{"GET", "/console/", "", nil, false},
		{"GET", "/console", "", nil, false},
		{"GET", "/", "", nil, false},
		{"POST", "/console/login", login, map[string]string{"Origin": "http://" + evil}, false},
		{"POST", "/console/apps/" + assets.DemoConsumerKey + "/install", "", with(basic(), "Origin", "http://"+evil, "Accept", "text/plain"), false},
		{"POST", "/console/apps/" + assets.DemoConsumerKey + "/install", "", with(basic(), "Accept", "text/plain"), false},
	} {
		req := e.newReq(call{method: c.method, path: c.path, body: c.body, contentType: formType, header: c.header})
		req.Host = evil
		resp, body := e.send(req)
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("%s %s with Host %s: %d %s, want 421", c.method, c.path, evil, resp.StatusCode, body)
			continue
		}
		if len(resp.Cookies()) > 0 || strings.Contains(string(body), "csrf") || verificationCode.Match(body) {
			t.Errorf("%s %s: the refusal leaks: cookies %v, body %s", c.method, c.path, resp.Cookies(), body)
		}
		if c.api {
			we, ok := wire.ParseError(body)
			if !ok || !strings.Contains(we.Message, "evil.example") {
				t.Errorf("%s %s: no platform error body naming the host: %s", c.method, c.path, body)
			}
		} else if !strings.Contains(string(body), "evil.example") || !strings.Contains(string(body), "--allow-host") {
			t.Errorf("%s %s: the refusal does not say why: %s", c.method, c.path, body)
		}
	}
	if e.unsignedAllowed() {
		t.Fatal("state changed")
	}

	// The sandbox's own names keep working.
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port, "127.0.0.2:" + port} {
		req := e.newReq(call{path: "/console"})
		req.Host = host
		resp, body := e.send(req)
		wantStatus(t, resp, body, http.StatusOK)
	}
	resp, body := e.api(call{path: e.acct() + "?v=1"})
	wantStatus(t, resp, body, http.StatusOK)
}

// Finding 8: the sign-in form checks where it was sent from (login CSRF),
// and next only redirects to a plain same-origin path.
func TestLoginChecksOriginAndNext(t *testing.T) {
	e := newEnv(t, nil)
	creds := []string{"user", "admin", "password", "demo"}
	for _, h := range []map[string]string{
		{"Origin": "http://evil.example"},
		{"Origin": "null"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Referer": "http://evil.example/"},
	} {
		resp, body := e.do(call{method: "POST", path: "/console/login", body: formBody(creds...), contentType: formType, header: h})
		if resp.StatusCode != http.StatusForbidden || len(resp.Cookies()) != 0 {
			t.Errorf("login with %v: %d, cookies %v, want 403 and no session: %s", h, resp.StatusCode, resp.Cookies(), body)
		}
	}
	resp, body := e.do(call{method: "POST", path: "/console/login", body: formBody(creds...), contentType: formType,
		header: map[string]string{"Origin": e.ts.URL, "Sec-Fetch-Site": "same-origin"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if len(resp.Cookies()) != 1 {
		t.Fatalf("same-origin login set no session: %v", resp.Cookies())
	}

	for next, want := range map[string]string{
		"/\t/evil.example/":                     "/console", // next=/%09/evil.example/ on the wire
		"/%09/evil.example/":                    "/console",
		"/\n/evil.example/":                     "/console",
		"//evil.example/":                       "/console",
		"/\\evil.example/":                      "/console",
		"/%2F/evil.example/":                    "/console",
		"/%5Cevil.example/":                     "/console",
		"https://evil.example/":                 "/console",
		"/oauth/authorize?oauth_token=0123abcd": "/oauth/authorize?oauth_token=0123abcd",
		"/console":                              "/console",
	} {
		resp, body := e.do(call{method: "POST", path: "/console/login", body: formBody(append(creds, "next", next)...), contentType: formType,
			header: map[string]string{"Origin": e.ts.URL}})
		wantStatus(t, resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != want {
			t.Errorf("next %q: Location %q, want %q", next, loc, want)
		}
		if u, err := url.Parse(resp.Header.Get("Location")); err != nil || u.Host != "" {
			t.Errorf("next %q leaves the origin: %q", next, resp.Header.Get("Location"))
		}
	}
}

// TestConsoleFormsAsABrowserSendsThem: the console's own forms, sent with
// the headers a current browser adds, pass the gate, also when the browser
// hides the Origin as "null" under a no-referrer policy.
func TestConsoleFormsAsABrowserSendsThem(t *testing.T) {
	e := newEnv(t, nil)
	nav := map[string]string{"Origin": e.ts.URL, "Referer": e.ts.URL + "/console", "Sec-Fetch-Site": "same-origin",
		"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-User": "?1"}
	resp, body := e.do(call{method: "POST", path: "/console/login", body: formBody("user", "admin", "password", "demo"), contentType: formType, header: nav})
	wantStatus(t, resp, body, http.StatusSeeOther)
	cookie := resp.Cookies()[0].Name + "=" + resp.Cookies()[0].Value
	resp, body = e.do(call{path: "/console", header: map[string]string{"Cookie": cookie}})
	wantStatus(t, resp, body, http.StatusOK)
	if p := resp.Header.Get("Referrer-Policy"); p != "same-origin" {
		t.Errorf("Referrer-Policy %q: under no-referrer browsers send Origin: null with the console's forms", p)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if csrf == nil {
		t.Fatalf("dashboard: %s", body)
	}
	hidden := with(nav, "Cookie", cookie, "Origin", "null", "Referer", "")
	delete(hidden, "Referer")
	resp, body = e.do(call{method: "POST", path: "/console/settings", body: formBody("unsigned", "on", "csrf", string(csrf[1])), contentType: formType, header: hidden})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if !e.unsignedAllowed() {
		t.Fatal("the console's own form did not apply")
	}
}
