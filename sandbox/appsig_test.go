package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestAppValidateAndMethods(t *testing.T) {
	pub := publicKey(t).PublicKey
	for _, tc := range []struct {
		app     App
		methods string // "" when validate must fail
		err     string
	}{
		{App{Key: "k", Secret: "s"}, "HMAC-SHA1 or HMAC-SHA256", ""},
		{App{Key: "k", PublicKey: pub}, "RSA-SHA1 or RSA-SHA256", ""},
		{App{Key: "k", Secret: "s", PublicKey: pub}, "HMAC-SHA1 or HMAC-SHA256 or RSA-SHA1 or RSA-SHA256", ""},
		{App{Key: "k", Secret: "s", Method: oauthsig.Plaintext}, "PLAINTEXT", ""},
		{App{Key: "k", PublicKey: pub, Method: oauthsig.RSASHA256}, "RSA-SHA256", ""},
		{App{Key: "", Secret: "s"}, "", "needs a key"},
		{App{Key: "k"}, "", "needs a secret or an RSA public key"},
		{App{Key: "k", Secret: "s", Method: "HMAC-MD5"}, "", `unknown signature method "HMAC-MD5"`},
		{App{Key: "k", Secret: "s", Method: "hmac-sha1"}, "", "unknown signature method"},
		{App{Key: "k", Secret: "s", Method: oauthsig.RSASHA1}, "", "RSA-SHA1 needs the application's RSA public key"},
		{App{Key: "k", PublicKey: pub, Method: oauthsig.HMACSHA256}, "", "HMAC-SHA256 needs a consumer secret"},
		{App{Key: "k", Secret: "s", PublicKey: pub, Method: oauthsig.HMACSHA1}, "", "a public key is for RSA-SHA1 or RSA-SHA256"},
		{App{Key: "k", Secret: "s", Realm: "a\nb"}, "", "control character"},
	} {
		err := tc.app.validate()
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "s\"") {
				t.Errorf("%+v: %v, want %q", tc.app, err, tc.err)
			}
			continue
		}
		if err != nil || tc.app.methodsText() != tc.methods {
			t.Errorf("%+v: %v, methods %q want %q", tc.app, err, tc.app.methodsText(), tc.methods)
		}
	}
	if _, err := New(Config{Apps: []App{{Key: "rsa-no-key", Method: oauthsig.RSASHA1}}}); err == nil {
		t.Error("New accepted an RSA application without a public key")
	}
}

// TestDefaultAppsKeepTheirMethods: an application without a Method still
// takes HMAC-SHA1 and HMAC-SHA256, and nothing else.
func TestDefaultAppsKeepTheirMethods(t *testing.T) {
	e := newEnv(t, nil)
	for _, m := range []string{"HMAC-SHA1", "HMAC-SHA256"} {
		resp, body := e.api(call{path: e.acct() + "?v=1", sigMethod: m})
		wantStatus(t, resp, body, 200)
	}
	resp, body := e.api(call{path: e.acct() + "?v=1", sigMethod: "PLAINTEXT"})
	we := wantError(t, resp, body, 400, wire.CodeUnsupportedSigning, wire.JSON)
	if !strings.Contains(we.Message, "PLAINTEXT is refused over plain http") {
		t.Errorf("PLAINTEXT over http: %+v", we)
	}
	resp, body = e.do(call{path: e.acct() + "?v=1", header: map[string]string{"Authorization": `OAuth oauth_consumer_key="lpdesk-demo-app", ` +
		`oauth_nonce="n", oauth_signature="x", oauth_signature_method="HMAC-SHA512", oauth_timestamp="1", oauth_token="t"`}})
	we = wantError(t, resp, body, 400, wire.CodeUnsupportedSigning, wire.JSON)
	if !strings.Contains(we.Reason, "RSA-SHA256") {
		t.Errorf("unknown method: %+v", we)
	}
}

// TestEcho checks the echo resource with the demo application: no v=1,
// any method, the query in order without the protocol's parameters, form
// bodies shown as pairs, a body hash verified when sent, unsigned calls
// refused.
func TestEcho(t *testing.T) {
	e := newEnv(t, nil)
	get := func(c call) echoReply {
		t.Helper()
		resp, body := e.api(c)
		wantStatus(t, resp, body, 200)
		if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		var rep echoReply
		if err := json.Unmarshal(body, &rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	rep := get(call{path: "/api/echo/a%2Fb/c?z=1&a=x+y&z=0", query: true})
	if rep.Path != "/api/echo/a/b/c" || rep.RawPath != "/api/echo/a%2Fb/c" || fmt.Sprint(rep.Query) != "[[z 1] [a x y] [z 0]]" ||
		rep.Placement != "query" || rep.SignatureMethod != "HMAC-SHA1" || rep.ConsumerKey != e.creds.key {
		t.Errorf("GET: %+v", rep)
	}
	rep = get(call{method: "PATCH", path: "/api/echo/x", body: "b=2&a=1+2", contentType: formType})
	if rep.Method != "PATCH" || fmt.Sprint(rep.Form) != "[[b 2] [a 1 2]]" || rep.Body != "b=2&a=1+2" {
		t.Errorf("PATCH form: %+v", rep)
	}
	body := `<note>hi</note>`
	hash := oauthsig.HMACSHA256.BodyHash([]byte(body))
	rep = get(call{method: "DELETE", path: "/api/echo/x", body: body, contentType: "application/xml", sigMethod: "HMAC-SHA256",
		extra: []oauthsig.Param{{Key: "oauth_body_hash", Value: hash}}})
	if !rep.BodyHashVerified || rep.BodyHash != hash || rep.Body != body || rep.ContentType != "application/xml" {
		t.Errorf("DELETE with body hash: %+v", rep)
	}
	// A body hash is checked even when the application does not require
	// one.
	resp, b := e.api(call{method: "PUT", path: "/api/echo/x", body: body + " ", contentType: "application/xml",
		extra: []oauthsig.Param{{Key: "oauth_body_hash", Value: oauthsig.HMACSHA1.BodyHash([]byte(body))}}})
	wantError(t, resp, b, 401, wire.CodeBadSignature, wire.JSON)

	resp, b = e.do(call{path: "/api/echo/x"})
	wantError(t, resp, b, 401, wire.CodeMissingAuth, wire.JSON)
	resp, b = e.do(call{path: "/api/echo/x?appKey=" + e.creds.key})
	wantError(t, resp, b, 401, wire.CodeMissingAuth, wire.JSON)
	// A request token is not an access token.
	resp, b = e.do(call{method: http.MethodGet, path: "/api/echo/x", signer: &creds{key: e.creds.key, secret: e.creds.secret, token: "nope", tokenSecret: "x"}})
	wantError(t, resp, b, 401, wire.CodeTokenRevoked, wire.JSON)
}

// With the form placement the signature travels in the body, and a
// PLAINTEXT one is the secrets: the echo shows the body without it.
func TestEchoBodyDropsOAuthPairs(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/api/echo/x", nil)
	r.Header.Set("Content-Type", formType)
	got := echoBody(r, []byte("a=1&oauth_signature=cs-secret%26ts-secret&oauth%5Fnonce=n&b=x+y"))
	if got != "a=1&b=x+y" {
		t.Errorf("form body echoed as %q", got)
	}
	r.Header.Set("Content-Type", "application/json")
	if got := echoBody(r, []byte(`{"oauth_signature":"kept"}`)); got != `{"oauth_signature":"kept"}` {
		t.Errorf("JSON body echoed as %q", got)
	}
}
