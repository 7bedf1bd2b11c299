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

// smallQuotas lets a test reach every share with a few dozen requests.
var smallQuotas = quotas{noncesPerConsumer: 30, noncesPerRequestToken: 30, noncesPerAccessToken: 30, pendingPerConsumer: 30}

var demoApp = App{Name: assets.DemoAppName, Key: assets.DemoConsumerKey, Secret: assets.DemoConsumerSecret}

// oob asks for a request token with the verifier shown on the page.
var oob = []oauthsig.Param{{Key: "oauth_callback", Value: "oob"}}

// otherApp is a second registered consumer.
var otherApp = App{Name: "Other", Key: "other-app-key", Secret: "other-app-secret"}

func withOtherApp(c *Config) { c.Apps = append(c.Apps, otherApp) }

// install returns credentials for a new access token of app.
func (e *env) install(app App) creds {
	e.t.Helper()
	tok, sec, err := e.srv.InstallApp(app.Key)
	if err != nil {
		e.t.Fatal(err)
	}
	return creds{key: app.Key, secret: app.Secret, token: tok, tokenSecret: sec}
}

// A signed update captured on the wire cannot be replayed once others (or
// its own client) have sent many requests: not verbatim, not with another
// JSON body, and not as a DELETE through X-HTTP-Method-Override — neither
// the body nor that header is covered by the signature, only the nonce
// stops it.
func TestReplayAfterNonceFloodRefused(t *testing.T) {
	floods := []struct {
		name string
		send func(e *env) int
	}{
		// The public demo key's request-token calls, refused for the missing
		// callback but signed correctly: their nonces used to fill the store.
		{"request-token calls with the public demo key", func(e *env) int {
			demo := demoCreds()
			resp, _ := e.do(call{method: "POST", path: "/oauth/request_token", signer: &demo})
			return resp.StatusCode
		}},
		{"calls with the same access token", func(e *env) int {
			resp, _ := e.api(call{path: e.acct() + "?v=1"})
			return resp.StatusCode
		}},
	}
	for _, fl := range floods {
		t.Run(fl.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.srv.setQuotas(smallQuotas)
			resp, body := e.api(call{method: "POST", path: e.acct() + "/skills?v=1",
				body: `{"skill":{"name":"Replay Target"}}`, contentType: "application/json"})
			wantStatus(t, resp, body, http.StatusCreated)
			path := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)

			cr := e.creds
			captured := e.newReq(call{method: "POST", path: path + "?v=1", signer: &cr,
				body: `{"skill":{"name":"Renamed"}}`, contentType: "application/json",
				header: map[string]string{"X-HTTP-Method-Override": "PUT"}})
			auth := captured.Header.Get("Authorization")
			resp, body = e.send(captured)
			wantStatus(t, resp, body, http.StatusOK)

			// Three times the share (and the store's whole capacity before).
			for i := range 3 * smallQuotas.noncesPerAccessToken {
				if st := fl.send(e); st != 200 && st != 400 && st != 429 {
					t.Fatalf("flood request %d: status %d", i, st)
				}
			}

			replay := func(override, body string) (*http.Response, []byte) {
				req, err := http.NewRequest("POST", e.ts.URL+path+"?v=1", strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Authorization", auth)
				req.Header.Set("X-HTTP-Method-Override", override)
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				return e.send(req)
			}
			resp, body = replay("PUT", `{"skill":{"name":"Hijacked"}}`)
			wantError(t, resp, body, 401, wire.CodeNonceReused, wire.JSON)
			resp, body = replay("DELETE", "")
			wantError(t, resp, body, 401, wire.CodeNonceReused, wire.JSON)

			// The record is as the genuine update left it (read with another
			// token: the flooded one may be over its share).
			other := e.install(demoApp)
			resp, body = e.do(call{path: path + "?v=1", signer: &other})
			wantStatus(t, resp, body, http.StatusOK)
			if !strings.Contains(string(body), `"name":"Renamed"`) {
				t.Fatalf("record changed by a replay: %s", body)
			}
		})
	}
}

// wantQuota checks a 429 with Retry-After (1 to 601 s) and the platform's
// error body in format f, and returns the wait.
func wantQuota(t *testing.T, resp *http.Response, body []byte, f wire.Format) time.Duration {
	t.Helper()
	wantError(t, resp, body, http.StatusTooManyRequests, wire.CodeQuotaExceeded, f)
	ra, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || ra < 1 || ra > 601 {
		t.Fatalf("Retry-After %q, want whole seconds in 1…601", resp.Header.Get("Retry-After"))
	}
	return time.Duration(ra) * time.Second
}

// floodUntil429 sends c until the answer is 429 (at most limit+5 times)
// and returns that answer.
func (e *env) floodUntil429(c call, limit int) (*http.Response, []byte) {
	e.t.Helper()
	for i := 0; i < limit+5; i++ {
		resp, body := e.do(c)
		if resp.StatusCode == http.StatusTooManyRequests {
			return resp, body
		}
	}
	e.t.Fatalf("%s %s: no 429 after %d requests over a share of %d", c.method, c.path, limit+5, limit)
	return nil, nil
}

func TestNonceQuotaRefusesOnlyTheFloodingClient(t *testing.T) {
	e := newEnv(t, withOtherApp)
	e.srv.setQuotas(smallQuotas)
	t1 := e.creds
	t2 := e.install(demoApp)
	b := e.install(otherApp)
	demo := demoCreds()

	// Token T1 of the demo app floods.
	resp, body := e.floodUntil429(call{path: e.acct() + "?v=1", signer: &t1}, smallQuotas.noncesPerAccessToken)
	wait := wantQuota(t, resp, body, wire.JSON)
	we, _ := wire.ParseError(body)
	if !strings.Contains(we.Message, "access token") {
		t.Fatalf("message does not say whose share is used: %q", we.Message)
	}
	resp, body = e.do(call{path: e.acct() + ".xml?v=1", signer: &t1})
	wantQuota(t, resp, body, wire.XML)

	// Everyone else goes on: another token of the same app, another app,
	// and the app's own calls without a token.
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &t2})
	wantStatus(t, resp, body, http.StatusOK)
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &b})
	wantStatus(t, resp, body, http.StatusOK)
	resp, body = e.do(call{method: "POST", path: "/oauth/request_token", signer: &demo,
		extra: oob})
	wantStatus(t, resp, body, http.StatusOK)

	// Forged requests take no share: far more bad signatures than T2's
	// share, and T2 still works.
	forged := t2
	forged.tokenSecret = "wrong"
	for range 2 * smallQuotas.noncesPerAccessToken {
		resp, body = e.do(call{path: e.acct() + "?v=1", signer: &forged})
		wantError(t, resp, body, 401, wire.CodeBadSignature, wire.JSON)
	}
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &t2})
	wantStatus(t, resp, body, http.StatusOK)

	// The demo key floods its tokenless share (request tokens refused for a
	// missing callback still spend a nonce): another app can still log in,
	// and the demo app's access tokens still work.
	resp, body = e.floodUntil429(call{method: "POST", path: "/oauth/request_token", signer: &demo}, smallQuotas.noncesPerConsumer)
	wantQuota(t, resp, body, wire.JSON)
	other := creds{key: otherApp.Key, secret: otherApp.Secret}
	resp, body = e.do(call{method: "POST", path: "/oauth/request_token", signer: &other,
		extra: oob})
	wantStatus(t, resp, body, http.StatusOK)
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &t2})
	wantStatus(t, resp, body, http.StatusOK)

	// Retry-After is honest: once the server's clock has moved on by it,
	// T1 is served again.
	e.skew.Store(int64(wait))
	resp, body = e.do(call{path: e.acct() + "?v=1", signer: &t1, timestamp: time.Now().Add(wait)})
	wantStatus(t, resp, body, http.StatusOK)
}
