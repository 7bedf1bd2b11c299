package ui

import (
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
	h.typeIn(w.accountPage.server, server)
	h.typeIn(w.accountPage.account, "12345678")
	h.tap(w.accountPage.authorizeBtn)
	if w.page != pageAuthorize {
		t.Fatalf("page %q: %s", w.page, w.accountPage.status.ErrorText())
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
	h.until("refusal note", func() bool { return strings.Contains(w.authorizePage.status.Message(), "refused") })
	h.mustShow("still waiting")
	forge("denied=" + rt)
	h.until("denial note", func() bool { return strings.Contains(w.authorizePage.status.Message(), "denial") })
	h.mustShow("cancel the login")
	if w.page != pageAuthorize || w.authorizePage.status.Failed() || !w.authorizePage.waiting.Visible() {
		t.Fatalf("the wizard stopped waiting: page %q error %q", w.page, w.authorizePage.status.ErrorText())
	}

	consoleApprove(t, w.auth.AuthorizeURL())
	h.until("done page", func() bool { return w.page == pageDone || w.authorizePage.status.Failed() })
	if w.page != pageDone {
		t.Fatalf("authorization failed: %s", w.authorizePage.status.ErrorText())
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
