package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
)

func fillAccount(h *harness) {
	h.typeIn(h.d.wiz.accountPage.server, "http://sandbox.test")
	h.typeIn(h.d.wiz.accountPage.account, "123")
	h.typeIn(h.d.wiz.accountPage.profile, "work")
}

func TestWizardLoopbackVerifierArrivesByItself(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, Options{})
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	w := h.d.wiz
	if w.page != pageAuthorize {
		t.Fatalf("page %q after authorize", w.page)
	}
	if len(h.opens) != 1 || h.opens[0] != "http://sandbox.test/oauth/authorize?oauth_token=rt1" {
		t.Errorf("browser opened %v", h.opens)
	}
	if w.authorizePage.urlLabel.Text != f.auths[0].url {
		t.Errorf("authorize URL shown as %q", w.authorizePage.urlLabel.Text)
	}
	h.tap(w.authorizePage.copyBtn)
	if got := h.d.app.Clipboard().Content(); got != f.auths[0].url {
		t.Errorf("clipboard %q", got)
	}
	h.mustShow("Waiting for the browser")

	f.auths[0].ch <- CallbackResult{Verifier: "v-good"}
	h.until("done page", func() bool { return w.page == pageDone })
	h.mustShow("lpdesk is ready")
	h.mustShow("Token secret: OS keyring (service lpdesk, item work)")
	h.mustShow("Profile file: /cfg/profiles.json")
	if !f.auths[0].cancelled {
		t.Error("the flow (loopback listener) was not closed after saving")
	}
	h.tap(w.donePage.openBtn)
	if h.d.view != viewBrowser || h.d.profile.Name != "work" {
		t.Fatalf("after Open the account: view %q profile %q", h.d.view, h.d.profile.Name)
	}
	h.mustShow("skills")
}

func TestWizardBadVerifierCanBeRetried(t *testing.T) {
	f := newFake()
	f.loopback = false
	h := newHarness(t, f, Options{})
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	w := h.d.wiz
	if w.authorizePage.waiting.Visible() {
		t.Error("waiting for a loopback callback in an out-of-band flow")
	}
	h.typeIn(w.authorizePage.verifier, "v-wrong")
	h.tap(w.authorizePage.continueBtn)
	if w.page != pageAuthorize || !w.authorizePage.status.Failed() {
		t.Fatalf("page %q failed=%v after a bad verifier", w.page, w.authorizePage.status.Failed())
	}
	h.mustShow("refused this verifier")
	if w.authorizePage.verifier.Text != "v-wrong" {
		t.Error("the typed verifier was cleared")
	}
	h.typeIn(w.authorizePage.verifier, "v-good")
	w.authorizePage.verifier.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter submits
	h.settle()
	if w.page != pageDone {
		t.Fatalf("page %q after the right verifier", w.page)
	}
	if a := f.auths[0]; a.exchanges != 2 || len(f.auths) != 1 {
		t.Errorf("exchanges %d, flows %d: a retry must reuse the flow", a.exchanges, len(f.auths))
	}
}

func TestWizardErrorsStayInlineWithRetry(t *testing.T) {
	f := newFake()
	f.beginErrs = []error{fmt.Errorf("%w: dial tcp 10.0.0.1:443: connection refused", ErrNetwork)}
	h := newHarness(t, f, Options{})
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	w := h.d.wiz
	if w.page != pageAccount || !w.accountPage.status.Failed() || !w.accountPage.status.RetryButton().Visible() {
		t.Fatal("a failed discovery did not stay on the page with a retry")
	}
	h.mustShow("Could not reach the server")
	if w.accountPage.server.Text != "http://sandbox.test" || w.accountPage.account.Text != "123" {
		t.Error("the form was reset by an error")
	}
	h.tap(w.accountPage.status.RetryButton())
	if w.page != pageAuthorize {
		t.Fatalf("retry: page %q", w.page)
	}
}

func TestWizardMissingFields(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, Options{})
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	h.mustShow("enter the server address")
	if f.count("Begin") != 0 {
		t.Error("Begin called without a server")
	}
}

func TestWizardSaveFailureRetriesOnlySave(t *testing.T) {
	f := newFake()
	f.saveErrs = []error{fmt.Errorf("keyring unavailable: no Secret Service on the session bus; start gnome-keyring")}
	h := newHarness(t, f, Options{})
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	w := h.d.wiz
	f.auths[0].ch <- CallbackResult{Verifier: "v-good"}
	h.until("save error", func() bool { return w.authorizePage.status.Failed() })
	h.mustShow("saving failed")
	h.mustShow("start gnome-keyring")
	h.tap(w.authorizePage.status.RetryButton())
	if w.page != pageDone {
		t.Fatalf("page %q after retrying the save", w.page)
	}
	if a := f.auths[0]; a.exchanges != 1 || a.saves != 2 {
		t.Errorf("exchanges %d saves %d; only the save should be retried", a.exchanges, a.saves)
	}
}

func TestWizardCancelClosesFlowKeepsForm(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, Options{})
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	w := h.d.wiz
	h.tap(w.authorizePage.cancelBtn)
	if w.page != pageAccount || !f.auths[0].cancelled {
		t.Fatalf("cancel: page %q, flow cancelled %v", w.page, f.auths[0].cancelled)
	}
	if w.accountPage.server.Text != "http://sandbox.test" || w.accountPage.profile.Text != "work" {
		t.Error("cancel lost the form")
	}
	// A verifier arriving late for the cancelled flow is ignored.
	f.auths[0].ch <- CallbackResult{Verifier: "v-good"}
	h.settle()
	if f.auths[0].exchanges != 0 {
		t.Error("a cancelled flow exchanged its verifier")
	}
}

func TestWizardVerificationCode(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, Options{})
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.codeBtn)
	w := h.d.wiz
	if w.page != pageCode {
		t.Fatalf("page %q", w.page)
	}
	h.typeIn(w.codePage.code, "garbage")
	h.tap(w.codePage.installBtn)
	if !w.codePage.status.Failed() || w.page != pageCode || w.codePage.code.Text != "garbage" {
		t.Fatal("a refused code did not stay on the page with the text kept")
	}
	h.mustShow("verification code was refused")
	h.mustNotShow(fakeSecret)
	h.typeIn(w.codePage.code, "  "+f.goodCode+"\n")
	h.tap(w.codePage.installBtn)
	if w.page != pageDone {
		t.Fatalf("page %q after a good code", w.page)
	}
	h.mustNotShow(fakeSecret)
}

func TestWizardDemoShowsConsoleAndCredentials(t *testing.T) {
	demo := &DemoInfo{ConsoleURL: "http://127.0.0.1:4567/console", AdminUser: "admin", AdminPassword: "demo",
		ServerURL: "http://127.0.0.1:4567", AccountID: "12345678"}
	h := newHarness(t, newFake(), Options{Demo: demo})
	h.mustShow("http://127.0.0.1:4567/console")
	h.mustShow("admin")
	h.mustShow("demo")
	if h.d.wiz.accountPage.server.Text != demo.ServerURL || h.d.wiz.accountPage.account.Text != "12345678" {
		t.Errorf("demo not prefilled: %q %q", h.d.wiz.accountPage.server.Text, h.d.wiz.accountPage.account.Text)
	}
}

func TestWizardDeniedInBrowser(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, Options{})
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	w := h.d.wiz
	f.auths[0].ch <- CallbackResult{Err: fmt.Errorf("authorization was denied on the provider's page")}
	h.until("denial shown", func() bool { return w.authorizePage.status.Failed() })
	h.mustShow("denied")
	if w.page != pageAuthorize || f.auths[0].exchanges != 0 {
		t.Fatalf("page %q exchanges %d", w.page, f.auths[0].exchanges)
	}
	// The admin may still type a verifier from another approval.
	h.typeIn(w.authorizePage.verifier, "v-good")
	h.tap(w.authorizePage.continueBtn)
	if w.page != pageDone {
		t.Fatalf("page %q", w.page)
	}
}
