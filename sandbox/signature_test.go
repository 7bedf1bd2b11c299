package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
)

func TestHeaderAndQuerySignaturesAccepted(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		name  string
		query bool
		sm    oauthsig.Method
	}{
		{"header HMAC-SHA1", false, oauthsig.HMACSHA1},
		{"query HMAC-SHA1", true, oauthsig.HMACSHA1},
		{"header HMAC-SHA256", false, oauthsig.HMACSHA256},
		{"query HMAC-SHA256", true, oauthsig.HMACSHA256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.api(call{path: e.acct() + "?v=1", query: tc.query, sigMethod: string(tc.sm)})
			wantStatus(t, resp, body, 200)
			if !strings.Contains(string(body), `"account":{"@id":"12345678"`) {
				t.Fatalf("body: %s", body)
			}
		})
	}
}

func TestRepeatedKeysAndSpecialCharactersAccepted(t *testing.T) {
	e := newEnv(t, nil)
	// Repeated keys in both orders, spaces as + and %20, a literal +,
	// reserved and unreserved marks, a percent sign and non-ASCII text.
	q := "?v=1&limit=2&offset=0&limit=2"
	// limit repeated is legal for the signature; the resource reads the first.
	for _, placement := range []bool{false, true} {
		resp, body := e.api(call{path: e.acct() + "/skills" + q, query: placement})
		wantStatus(t, resp, body, 200)
	}
	// The availability resource rejects unknown parameters, so use skill
	// names with every awkward character (unknown skills are simply
	// unavailable).
	raw := "?v=1&skill=Caf%C3%A9+au%20lait&skill=a%2Bb%25c~d%21%2A%27%28%29&skill=%E6%97%A5%E6%9C%AC&skill=!*'()"
	for _, placement := range []bool{false, true} {
		resp, body := e.api(call{path: e.acct() + "/chat/availability" + raw, query: placement})
		wantStatus(t, resp, body, 200)
	}
}

func TestFormBodyIsSigned(t *testing.T) {
	e := newEnv(t, nil)
	path := e.acct() + "/chat/request?v=1"
	// Signed over the form: the signature verifies, then the body type is
	// refused (415) — proof that the form parameters were part of the base.
	resp, body := e.api(call{method: "POST", path: path, body: "skill=Support&a=1&a=2", contentType: "application/x-www-form-urlencoded"})
	wantError(t, resp, body, 415, wire.CodeUnsupportedMedia, wire.JSON)
	// Signed without the form parameters: refused as a bad signature.
	req := e.newReq(call{method: "POST", path: path, signer: &e.creds})
	req.Body = http.NoBody
	req2, _ := http.NewRequest("POST", e.ts.URL+path, strings.NewReader("skill=Support"))
	req2.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req2.Header.Set("Authorization", req.Header.Get("Authorization"))
	resp, body = e.send(req2)
	wantError(t, resp, body, 401, wire.CodeBadSignature, wire.JSON)
}

func TestOverrideSignedWithWireMethod(t *testing.T) {
	e := newEnv(t, nil)
	path := e.acct() + "/skills/1?v=1"
	body := `{"skill":{"name":"Support","description":"changed","maxWaitTime":60}}`
	h := map[string]string{"X-HTTP-Method-Override": "PUT"}
	resp, b := e.api(call{method: "POST", path: path, body: body, contentType: "application/json", header: h, signMethod: "PUT"})
	we := wantError(t, resp, b, 401, wire.CodeBadSignature, wire.JSON)
	if !strings.Contains(we.Reason, "POST&") {
		t.Fatalf("reason does not show the server's base string: %q", we.Reason)
	}
	resp, b = e.api(call{method: "POST", path: path, body: body, contentType: "application/json", header: h})
	wantStatus(t, resp, b, 200)
}

func TestTamperedParameterRefused(t *testing.T) {
	e := newEnv(t, nil)
	for _, f := range []wire.Format{wire.JSON, wire.XML} {
		req := e.newReq(call{path: e.acct() + "/chat/availability?v=1&skill=Support", signer: &e.creds,
			header: map[string]string{"Accept": f.ContentType()}})
		req.URL.RawQuery = strings.Replace(req.URL.RawQuery, "Support", "Sales", 1)
		resp, body := e.send(req)
		we := wantError(t, resp, body, 401, wire.CodeBadSignature, f)
		if !strings.Contains(we.Message, "skill") || !strings.Contains(we.Reason, "GET&http") {
			t.Fatalf("unhelpful: %+v", we)
		}
		if strings.Contains(string(body), e.creds.tokenSecret) || strings.Contains(string(body), e.creds.secret) {
			t.Fatal("error body leaks a secret")
		}
		if resp.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
	}
}

func TestWrongSecretsRefused(t *testing.T) {
	e := newEnv(t, nil)
	bad := e.creds
	bad.secret = "wrong"
	resp, body := e.do(call{path: e.acct() + "?v=1", signer: &bad})
	wantError(t, resp, body, 401, wire.CodeBadSignature, wire.JSON)
	bad = e.creds
	bad.tokenSecret = "wrong"
	resp, body = e.do(call{path: e.acct() + ".xml?v=1", signer: &bad})
	wantError(t, resp, body, 401, wire.CodeBadSignature, wire.XML)
}

func TestReplayedNonceRefused(t *testing.T) {
	e := newEnv(t, nil)
	c := call{path: e.acct() + "?v=1", nonce: "fixed-nonce-1"}
	resp, body := e.api(c)
	wantStatus(t, resp, body, 200)
	resp, body = e.api(c)
	wantError(t, resp, body, 401, wire.CodeNonceReused, wire.JSON)
	c.header = map[string]string{"Accept": "application/xml"}
	resp, body = e.api(c)
	wantError(t, resp, body, 401, wire.CodeNonceReused, wire.XML)
}

func TestStaleTimestampNamesServerTime(t *testing.T) {
	e := newEnv(t, nil)
	// The server's clock runs 10 minutes ahead of the client.
	e.skew.Store(int64(10 * time.Minute))
	resp, body := e.api(call{path: e.acct() + "?v=1"})
	we := wantError(t, resp, body, 401, wire.CodeStaleTimestamp, wire.JSON)
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		t.Fatalf("Date header: %v", err)
	}
	if d := time.Until(date); d < 9*time.Minute || d > 11*time.Minute {
		t.Fatalf("Date header %v does not follow the server clock (skew %v)", date, d)
	}
	unix := strconv.FormatInt(date.Unix(), 10)[:8] // same 100 s window
	if !strings.Contains(we.Message, "unix "+unix) || !strings.Contains(we.Message, date.UTC().Format("2006-01-02T15:")) {
		t.Fatalf("message does not name the server time %v: %q", date, we.Message)
	}
	// A client that corrects by the Date header succeeds.
	resp, body = e.api(call{path: e.acct() + "?v=1", timestamp: date})
	wantStatus(t, resp, body, 200)
	// XML error body.
	resp, body = e.api(call{path: e.acct() + "?v=1", header: map[string]string{"Accept": "application/xml"}})
	wantError(t, resp, body, 401, wire.CodeStaleTimestamp, wire.XML)
}

func TestUnknownConsumerAndRevokedToken(t *testing.T) {
	e := newEnv(t, nil)
	bad := e.creds
	bad.key = "nobody"
	resp, body := e.do(call{path: e.acct() + "?v=1", signer: &bad})
	wantError(t, resp, body, 401, wire.CodeUnknownConsumer, wire.JSON)
	if !e.srv.RevokeToken(e.creds.token) {
		t.Fatal("RevokeToken: token not found")
	}
	resp, body = e.api(call{path: e.acct() + "?v=1"})
	wantError(t, resp, body, 401, wire.CodeTokenRevoked, wire.JSON)
	noTok := demoCreds()
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &noTok})
	wantError(t, resp, body, 401, wire.CodeMissingAuth, wire.JSON)
}

func TestMalformedOAuthParameters(t *testing.T) {
	e := newEnv(t, nil)
	// Both placements at once.
	req := e.newReq(call{path: e.acct() + "?v=1", signer: &e.creds})
	req.URL.RawQuery += "&oauth_nonce=x"
	resp, body := e.send(req)
	wantError(t, resp, body, 400, wire.CodeBadOAuthParams, wire.JSON)
	// A duplicated oauth parameter in the query.
	req = e.newReq(call{path: e.acct() + "?v=1", signer: &e.creds, query: true})
	req.URL.RawQuery += "&oauth_nonce=again"
	resp, body = e.send(req)
	wantError(t, resp, body, 400, wire.CodeBadOAuthParams, wire.JSON)
	// Unsupported signature method (the test signer cannot sign PLAINTEXT,
	// so the header is built by hand).
	req, _ = http.NewRequest("GET", e.ts.URL+e.acct()+"?v=1", nil)
	p := func(k, v string) oauthsig.Param { return oauthsig.Param{Key: k, Value: v} }
	req.Header.Set("Authorization", oauthsig.Header([]oauthsig.Param{p("oauth_consumer_key", assets.DemoConsumerKey),
		p("oauth_token", e.creds.token), p("oauth_signature_method", "PLAINTEXT"), p("oauth_timestamp", oauthsig.Timestamp(time.Now())),
		p("oauth_nonce", "n1"), p("oauth_signature", "x&y")}))
	resp, body = e.send(req)
	wantError(t, resp, body, 400, wire.CodeUnsupportedSigning, wire.JSON)
}

func TestUnsignedCalls(t *testing.T) {
	e := newEnv(t, nil)
	path := e.acct() + "?v=1"
	hdr := map[string]string{"Authorization": "LivePerson appKey=" + assets.DemoConsumerKey}
	resp, body := e.do(call{path: path, header: hdr})
	wantError(t, resp, body, 403, wire.CodeUnsignedRefused, wire.JSON)
	resp, body = e.do(call{path: path + "&appKey=" + assets.DemoConsumerKey, header: map[string]string{"Accept": "application/xml"}})
	wantError(t, resp, body, 403, wire.CodeUnsignedRefused, wire.XML)
	resp, body = e.do(call{path: path})
	wantError(t, resp, body, 401, wire.CodeMissingAuth, wire.JSON)

	e.srv.SetAllowUnsigned(true)
	resp, body = e.do(call{path: path, header: hdr})
	wantStatus(t, resp, body, 200)
	resp, body = e.do(call{path: path + "&appKey=" + assets.DemoConsumerKey})
	wantStatus(t, resp, body, 200)
	resp, body = e.do(call{path: path + "&appKey=unknown"})
	wantError(t, resp, body, 401, wire.CodeUnknownConsumer, wire.JSON)
}

func TestDateHeaderFollowsClock(t *testing.T) {
	e := newEnv(t, nil)
	e.skew.Store(int64(-3 * time.Hour))
	for _, p := range []string{"/console", "/oauth/request_token", e.acct()} {
		resp, _ := e.do(call{path: p})
		d, err := http.ParseTime(resp.Header.Get("Date"))
		if err != nil {
			t.Fatalf("%s: Date %q: %v", p, resp.Header.Get("Date"), err)
		}
		if off := time.Until(d); off > -2*time.Hour {
			t.Fatalf("%s: Date %v is not 3 h behind", p, d)
		}
	}
}
