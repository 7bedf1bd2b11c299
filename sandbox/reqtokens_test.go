package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// requestTokenCall asks for a request token as cr, signed at the server's
// (possibly moved) clock.
func (e *env) requestTokenCall(cr creds) (*http.Response, []byte) {
	e.t.Helper()
	return e.do(call{method: "POST", path: "/oauth/request_token", signer: &cr, extra: oob,
		timestamp: time.Now().Add(time.Duration(e.skew.Load()))})
}

// expiryWork is how many request tokens expiry has looked at so far, and
// how many request tokens the sandbox holds.
func (e *env) expiryWork() (examined, held int) {
	e.srv.mu.Lock()
	defer e.srv.mu.Unlock()
	return e.srv.st.pending.examined, len(e.srv.st.RequestTokens)
}

// A consumer's pending request tokens are capped, and expiring them costs
// only the ones that expired, however many are pending.
func TestRequestTokensCappedAndExpiredInTimeOrder(t *testing.T) {
	e := newEnv(t, withOtherApp)
	q := defaultQuotas
	q.pendingPerConsumer = 25
	e.srv.setQuotas(q)
	demo, other := demoCreds(), creds{key: otherApp.Key, secret: otherApp.Secret}

	var tokens []string
	for i := range q.pendingPerConsumer {
		resp, body := e.requestTokenCall(demo)
		wantStatus(t, resp, body, http.StatusOK)
		v, err := url.ParseQuery(string(body))
		if err != nil || v.Get("oauth_token") == "" {
			t.Fatalf("request token %d: %s", i, body)
		}
		tokens = append(tokens, v.Get("oauth_token"))
	}
	resp, body := e.requestTokenCall(demo)
	if wait := wantQuota(t, resp, body, wire.JSON); wait > requestTokenTTL+time.Second {
		t.Fatalf("Retry-After %v is longer than a request token lives", wait)
	}
	resp, body = e.requestTokenCall(other)
	wantStatus(t, resp, body, http.StatusOK)
	if examined, held := e.expiryWork(); examined != 0 || held != q.pendingPerConsumer+1 {
		t.Fatalf("before anything expired: expiry examined %d tokens, %d held; want 0 and %d",
			examined, held, q.pendingPerConsumer+1)
	}

	// A denied token frees its slot at once.
	resp, body = e.approve(tokens[3], "deny", "text/plain")
	wantStatus(t, resp, body, http.StatusOK)
	resp, body = e.requestTokenCall(demo)
	wantStatus(t, resp, body, http.StatusOK)
	resp, body = e.requestTokenCall(demo)
	wantQuota(t, resp, body, wire.JSON)

	// Past the lifetime, the next call expires exactly the 26 pending
	// tokens (25 of the demo app, 1 of the other), and calls after it look
	// at none.
	e.skew.Store(int64(requestTokenTTL + time.Second))
	resp, body = e.requestTokenCall(demo)
	wantStatus(t, resp, body, http.StatusOK)
	examined, held := e.expiryWork()
	if examined != q.pendingPerConsumer+1 || held != 1 {
		t.Fatalf("after expiry: examined %d tokens, %d held; want %d and 1", examined, held, q.pendingPerConsumer+1)
	}
	for range 10 {
		resp, body = e.requestTokenCall(other)
		wantStatus(t, resp, body, http.StatusOK)
	}
	if examined, held := e.expiryWork(); examined != q.pendingPerConsumer+1 || held != 11 {
		t.Fatalf("with nothing expiring: examined %d tokens, %d held; want %d and 11", examined, held, q.pendingPerConsumer+1)
	}
}

func TestPendingTokensIndex(t *testing.T) {
	st := newState()
	base := time.Unix(1_000_000, 0)
	// Created out of order, as a clock set back produces.
	for i, off := range []int{30, 10, 50, 20, 40} {
		st.addRequestToken(&requestToken{Token: fmt.Sprint("t", i), ConsumerKey: "a",
			Created: base.Add(time.Duration(off) * time.Second)})
	}
	st.addRequestToken(&requestToken{Token: "b0", ConsumerKey: "b", Created: base})
	st.deleteRequestToken("t3") // +20 s
	if n, left := st.pendingCount("a", base); n != 4 || left != requestTokenTTL+10*time.Second {
		t.Fatalf("pending a: %d, oldest expires in %v; want 4 and %v", n, left, requestTokenTTL+10*time.Second)
	}
	// At +10 min +35 s, the tokens of +10 s and +30 s (and b's) have expired.
	if !st.expireRequestTokens(base.Add(requestTokenTTL + 35*time.Second)) {
		t.Fatal("nothing expired")
	}
	for tok, want := range map[string]bool{"t0": false, "t1": false, "t2": true, "t4": true, "b0": false} {
		if _, ok := st.RequestTokens[tok]; ok != want {
			t.Fatalf("%s present %v, want %v", tok, ok, want)
		}
	}
	if st.pending.examined != 3 {
		t.Fatalf("expiry examined %d tokens, want the 3 that expired", st.pending.examined)
	}
	if _, ok := st.pending.byConsumer["b"]; ok {
		t.Fatal("empty consumer queue kept")
	}
}

// Request tokens survive a restart (as before) and are indexed when
// loaded, so they expire and count against the cap.
func TestPendingTokensReloaded(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox.json")
	e := newEnv(t, func(c *Config) { c.DataFile = file; c.SeedRecords = 8 })
	for range 3 {
		resp, body := e.requestTokenCall(demoCreds())
		wantStatus(t, resp, body, http.StatusOK)
	}
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	st, ok, err := loadState(file)
	if err != nil || !ok {
		t.Fatalf("load: %v %v", ok, err)
	}
	now := time.Now()
	if n, _ := st.pendingCount(demoApp.Key, now); n != 3 {
		t.Fatalf("%d pending after reload, want 3", n)
	}
	st.expireRequestTokens(now.Add(requestTokenTTL + time.Second))
	if len(st.RequestTokens) != 0 || st.pending.examined != 3 {
		t.Fatalf("after expiry: %d held, %d examined; want 0 and 3", len(st.RequestTokens), st.pending.examined)
	}
}
