package ui

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
)

// onboardSandbox authorizes the window for the sandbox's account through
// the wizard and opens it on the account base.
func onboardSandbox(t *testing.T) (*harness, func(token string) bool) {
	t.Helper()
	sb, server := startSandbox(t)
	h := newHarness(t, NewBackend(BackendConfig{Store: memStore(t)}), Options{})
	w := h.d.wiz
	h.typeIn(w.accountPage.server, server)
	h.typeIn(w.accountPage.account, "12345678")
	h.typeIn(w.accountPage.profile, "it")
	h.tap(w.accountPage.authorizeBtn)
	if w.page != pageAuthorize {
		t.Fatalf("page %q: %s", w.page, w.accountPage.status.ErrorText())
	}
	consoleApprove(t, w.auth.AuthorizeURL())
	h.until("done page", func() bool { return w.page == pageDone || w.authorizePage.status.Failed() })
	if w.page != pageDone {
		t.Fatalf("authorization failed: %s", w.authorizePage.status.ErrorText())
	}
	h.tap(w.donePage.openBtn)
	if h.d.br == nil || h.d.br.current == nil {
		t.Fatal("the account base did not load")
	}
	return h, sb.RevokeToken
}

func TestSignatureSectionAndCopyAsCurl(t *testing.T) {
	h, _ := onboardSandbox(t)
	br := h.d.br
	sg := br.current.Signed
	if sg == nil || !strings.HasPrefix(sg.BaseString, "GET&http%3A%2F%2F127.0.0.1") {
		t.Fatalf("the response carries no signed request: %+v", sg)
	}
	s := br.sig
	if !s.acc.Visible() || s.item.Open {
		t.Fatalf("the signature section is hidden or open on a 200 (visible %v open %v)", s.acc.Visible(), s.item.Open)
	}
	h.mustShow(signatureTitle)
	h.mustNotShow("GET&http%3A%2F%2F") // collapsed
	s.acc.Open(0)
	h.mustShow("GET&http%3A%2F%2F127.0.0.1")
	if s.base.Text != sg.BaseString {
		t.Errorf("base string shown %q, want %q", s.base.Text, sg.BaseString)
	}
	h.mustNotShow("single-use")

	h.tap(s.curlBtn)
	clip := h.d.app.Clipboard().Content()
	if clip != sg.Curl() || !strings.Contains(clip, "curl -X 'GET' '"+sg.URL+"'") {
		t.Fatalf("clipboard after Copy as curl:\n%s", clip)
	}
	h.mustShow("The command works once: its nonce makes the provider refuse it")
	h.mustShow("lpdesk proxy --profile it")
	h.mustShow("curl 'http://127.0.0.1:8181/?v=1'")
	h.tap(findButton(h.w.Canvas().Content(), "Copy the proxy form"))
	if got := h.d.app.Clipboard().Content(); got != "lpdesk proxy --profile it\ncurl 'http://127.0.0.1:8181/?v=1'\n" {
		t.Errorf("proxy form copied as %q", got)
	}
}

func TestSignatureOpensOn401(t *testing.T) {
	h, revoke := onboardSandbox(t)
	br := h.d.br
	if !revoke(h.d.profile.Token) {
		t.Fatal("token unknown to the sandbox")
	}
	h.tap(br.reloadBtn)
	r := br.current
	if r.Status != http.StatusUnauthorized || r.Signed == nil {
		t.Fatalf("after revocation: status %d signed %v", r.Status, r.Signed)
	}
	s := br.sig
	if !s.item.Open || s.item.Title != signatureTitle401 {
		t.Fatalf("a 401 left the signature section closed (open %v, title %q)", s.item.Open, s.item.Title)
	}
	h.mustShow("The provider refused the request (401)")
	h.mustShow("GET&http%3A%2F%2F127.0.0.1")
	if s.base.Text != r.Signed.BaseString {
		t.Errorf("base string shown %q, want %q", s.base.Text, r.Signed.BaseString)
	}
	// The provider's answer is on screen beside it.
	if len(r.Body) == 0 || !br.body.HasText() || !br.status.Failed() {
		t.Errorf("the provider's answer is not shown: %q (status %q)", r.Body, br.status.ErrorText())
	}
}

func TestSignatureClosesAgainAfterThe401(t *testing.T) {
	f := newFake()
	f.addProfile("work", true)
	h := newHarness(t, f, Options{})
	br := h.d.br
	br.navigate("skills", true)
	h.settle()
	s := br.sig
	if s.item.Open || s.split.Offset != 0.5 {
		t.Fatalf("on a 200: open %v offset %v", s.item.Open, s.split.Offset)
	}
	f.revoked = true
	h.tap(br.reloadBtn)
	if !s.item.Open || s.split.Offset != signatureOffset {
		t.Fatalf("on a 401: open %v offset %v", s.item.Open, s.split.Offset)
	}
	h.mustShow("GET&http%3A%2F%2Fsandbox.test")
	f.revoked = false
	h.tap(br.reloadBtn)
	if s.item.Open || s.split.Offset != 0.5 || s.item.Title != signatureTitle {
		t.Fatalf("the next 200: open %v offset %v title %q", s.item.Open, s.split.Offset, s.item.Title)
	}
}

func TestProxyForm(t *testing.T) {
	p := ProfileInfo{Name: "my work", BaseURL: "https://api.example.com/rest"}
	cases := []struct {
		method string
		sg     apiclient.Signed
		want   string
	}{
		{"GET", apiclient.Signed{URL: "https://api.example.com/rest/items?b=2&oauth_nonce=n&a=1&oauth_signature=s"},
			"lpdesk proxy --profile 'my work'\ncurl 'http://127.0.0.1:8181/items?b=2&a=1'"},
		{"DELETE", apiclient.Signed{URL: "https://api.example.com/rest/items/7"},
			"lpdesk proxy --profile 'my work'\ncurl -X DELETE 'http://127.0.0.1:8181/items/7'"},
		{"POST", apiclient.Signed{URL: "https://other.example.com/x", Body: []byte("{}"), Header: http.Header{"Content-Type": {"application/json"}}},
			"lpdesk proxy --profile 'my work'\ncurl -X POST -H 'Content-Type: application/json' --data-binary @BODY_FILE 'http://127.0.0.1:8181/PATH'"},
	}
	for _, c := range cases {
		if got := proxyForm(p, c.method, &c.sg); got != c.want {
			t.Errorf("%s %s:\n got %q\nwant %q", c.method, c.sg.URL, got, c.want)
		}
	}
}
