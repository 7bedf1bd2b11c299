package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Another local program, knowing the request token, sends a junk verifier
// and a denial to the loopback callback: the wizard shows what came, keeps
// waiting on the authorize page, and the real approval still installs.
func TestIntegrationForgedCallbacksKeepWaiting(t *testing.T) {
	_, server := startSandbox(t)
	st := memStore(t)
	h := newHarness(t, NewBackend(BackendConfig{Store: st}), Options{})
	w := h.d.wiz
	h.typeIn(w.server, server)
	h.typeIn(w.account, "12345678")
	h.tap(w.authorizeBtn)
	if w.page != "authorize" {
		t.Fatalf("page %q: %s", w.page, w.accountStatus.err.Text)
	}
	cb := w.auth.(*coreAuth).f.CallbackURL()
	rt := url.QueryEscape(tokenOfURL(t, w.auth.AuthorizeURL()))
	forge := func(q string) {
		resp, err := http.Get(cb + "?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	forge("oauth_token=" + rt + "&oauth_verifier=junk")
	h.until("refusal note", func() bool { return strings.Contains(w.authorizeStat.msg.Text, "refused") })
	h.mustShow("still waiting")
	forge("denied=" + rt)
	h.until("denial note", func() bool { return strings.Contains(w.authorizeStat.msg.Text, "denial") })
	h.mustShow("cancel the login")
	if w.page != "authorize" || w.authorizeStat.failed() || !w.waiting.Visible() {
		t.Fatalf("the wizard stopped waiting: page %q error %q", w.page, w.authorizeStat.err.Text)
	}

	if _, err := approve(context.Background(), w.auth.AuthorizeURL(), DemoInfo{AdminUser: "admin", AdminPassword: "demo"}); err != nil {
		t.Fatal(err)
	}
	h.until("done page", func() bool { return w.page == "done" || w.authorizeStat.failed() })
	if w.page != "done" {
		t.Fatalf("authorization failed: %s", w.authorizeStat.err.Text)
	}
}

func tokenOfURL(t *testing.T, authURL string) string {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("oauth_token")
}
