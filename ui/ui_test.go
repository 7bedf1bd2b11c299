package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// ---- start-up --------------------------------------------------------------

func TestStartWithoutProfileShowsWizard(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	if h.d.view != viewWizard || h.d.wiz.page != pageAccount {
		t.Fatalf("view %q page %q, want the wizard's account page", h.d.view, h.d.wiz.page)
	}
	h.mustShow("Authorize in browser")
	h.mustShow("I have a verification code")
	// Nothing to go back to: Cancel quits.
	if h.d.wiz.accountPage.cancelBtn.Text != "Quit" {
		t.Errorf("cancel button says %q", h.d.wiz.accountPage.cancelBtn.Text)
	}
}

func TestStartOpensDefaultProfileWithSwitcher(t *testing.T) {
	f := newFake()
	f.addProfile("alpha", false)
	f.addProfile("work", true)
	h := newHarness(t, f, Options{})
	if h.d.view != viewBrowser {
		t.Fatalf("view %q, want browser", h.d.view)
	}
	if f.count("Open work") != 1 {
		t.Fatalf("calls %v, want Open work", f.calls)
	}
	if !h.d.br.profiles.Visible() || h.d.br.profiles.Selected != "work" {
		t.Errorf("profile switcher visible=%v selected=%q", h.d.br.profiles.Visible(), h.d.br.profiles.Selected)
	}
	h.mustShow("skills")
	if !strings.Contains(h.w.Title(), "work") {
		t.Errorf("title %q does not name the profile", h.w.Title())
	}
	// Switching profile opens the other one.
	h.d.br.profiles.SetSelected("alpha")
	h.settle()
	if f.count("Open alpha") != 1 || h.d.profile.Name != "alpha" {
		t.Errorf("switching: calls %v, open %q", f.calls, h.d.profile.Name)
	}
}

func TestSingleProfileHidesSwitcher(t *testing.T) {
	f := newFake()
	f.addProfile("only", true)
	h := newHarness(t, f, Options{})
	if h.d.br.profiles.Visible() {
		t.Error("profile switcher shown with one profile")
	}
}

func TestOpenProfileErrorOffersRetryAndSetup(t *testing.T) {
	f := newFake()
	f.addProfile("work", true)
	f.openErr = fmt.Errorf("keyring: no secret for this profile")
	h := newHarness(t, f, Options{})
	br := h.d.br
	if !br.status.Failed() || !br.status.RetryButton().Visible() || !br.banner.Visible() {
		t.Fatal("an unopenable profile shows no error, retry and setup offer")
	}
	f.mu.Lock()
	f.openErr = nil
	f.mu.Unlock()
	h.tap(br.status.RetryButton())
	if !h.d.opened || br.status.Failed() {
		t.Fatal("retry did not open the profile")
	}
}

// ---- wizard ----------------------------------------------------------------

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

// ---- browser ---------------------------------------------------------------

func openBrowser(t *testing.T) (*harness, *fakeBackend) {
	t.Helper()
	f := newFake()
	f.addProfile("work", true)
	h := newHarness(t, f, Options{})
	if h.d.view != viewBrowser {
		t.Fatalf("view %q", h.d.view)
	}
	return h, f
}

func TestBrowserLinksHistoryAndAddressBar(t *testing.T) {
	h, f := openBrowser(t)
	br := h.d.br
	if len(br.linkData) != 2 || br.links.Length() != 2 {
		t.Fatalf("links %v", br.linkData)
	}
	br.links.Select(1) // skills
	h.settle()
	if br.currentAddr != "skills" || br.address.Text != "skills" {
		t.Fatalf("after following skills: current %q address %q", br.currentAddr, br.address.Text)
	}
	h.mustShow("Support")
	br.links.Select(0) // skills/1
	h.settle()
	if br.currentAddr != "skills/1" {
		t.Fatalf("current %q", br.currentAddr)
	}
	h.tap(br.backBtn)
	if br.currentAddr != "skills" {
		t.Fatalf("back: %q", br.currentAddr)
	}
	h.tap(br.backBtn)
	if br.currentAddr != "" || !br.backBtn.Disabled() {
		t.Fatalf("back twice: %q", br.currentAddr)
	}
	h.tap(br.fwdBtn)
	if br.currentAddr != "skills" {
		t.Fatalf("forward: %q", br.currentAddr)
	}
	// Typing an address and pressing Enter navigates.
	h.typeIn(br.address, "skills/2?x=1")
	br.address.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle()
	if f.lastFetch.Path != "skills/2?x=1" {
		t.Fatalf("fetched %q", f.lastFetch.Path)
	}
	h.mustShow("Sales")
	h.mustShow("200 OK")
	h.mustShow("ETag: \"1\"")
	h.mustShow("Content-Type: application/json")
	// Going back after a new navigation drops the forward history.
	if !br.fwdBtn.Disabled() {
		t.Error("forward enabled after a new navigation")
	}
}

func TestBrowserFormatSwitch(t *testing.T) {
	h, f := openBrowser(t)
	h.d.br.format.SetSelected("XML")
	h.settle()
	if f.lastFetch.Format != wire.XML {
		t.Fatalf("format %q", f.lastFetch.Format)
	}
	h.mustShow("xml-of")
}

func TestBrowserNotFoundShowsResponse(t *testing.T) {
	h, _ := openBrowser(t)
	br := h.d.br
	h.typeIn(br.address, "nope")
	h.tap(br.goBtn)
	h.mustShow("404 Not Found")
	if !br.status.Failed() {
		t.Error("no error shown for a 404")
	}
	if br.editBtn.Disabled() == false {
		t.Error("Edit enabled on an error response")
	}
}

func TestBrowserNetworkErrorRetry(t *testing.T) {
	h, f := openBrowser(t)
	br := h.d.br
	f.mu.Lock()
	f.netDown = true
	f.mu.Unlock()
	h.typeIn(br.address, "skills")
	h.tap(br.goBtn)
	if !br.status.Failed() || !br.status.RetryButton().Visible() {
		t.Fatal("network error without retry")
	}
	h.mustShow("Could not reach the server")
	f.mu.Lock()
	f.netDown = false
	f.mu.Unlock()
	h.tap(br.status.RetryButton())
	if br.currentAddr != "skills" || br.status.Failed() {
		t.Fatalf("retry: current %q failed %v", br.currentAddr, br.status.Failed())
	}
	// The failed attempt did not leave a history entry.
	if len(br.history) != 2 {
		t.Errorf("history %v", br.history)
	}
}

func TestRevokedAccessOffersOnboarding(t *testing.T) {
	h, f := openBrowser(t)
	br := h.d.br
	f.mu.Lock()
	f.revoked = true
	f.mu.Unlock()
	h.tap(br.reloadBtn)
	if !br.banner.Visible() || !br.revoked {
		t.Fatal("revoked access did not show the banner")
	}
	h.mustShow("was revoked on the server")
	h.tap(br.setupBtn)
	if h.d.view != viewWizard {
		t.Fatalf("view %q", h.d.view)
	}
	w := h.d.wiz
	if w.accountPage.server.Text != "http://sandbox.test" || w.accountPage.account.Text != "123" || w.accountPage.profile.Text != "work" {
		t.Errorf("wizard not prefilled: %q %q %q", w.accountPage.server.Text, w.accountPage.account.Text, w.accountPage.profile.Text)
	}
	// With a profile open, Cancel goes back instead of quitting.
	if w.accountPage.cancelBtn.Text != "Cancel" {
		t.Errorf("cancel says %q", w.accountPage.cancelBtn.Text)
	}
	h.tap(w.accountPage.cancelBtn)
	if h.d.view != viewBrowser {
		t.Errorf("cancel: view %q", h.d.view)
	}
}

func TestKeyboardShortcuts(t *testing.T) {
	h, _ := openBrowser(t)
	br := h.d.br
	br.links.Select(1)
	h.settle()
	// Alt+Left from the canvas goes back, Alt+Right forward.
	h.shortcut(scBack)
	if br.currentAddr != "" {
		t.Fatalf("Alt+Left: %q", br.currentAddr)
	}
	h.shortcut(scForward)
	if br.currentAddr != "skills" {
		t.Fatalf("Alt+Right: %q", br.currentAddr)
	}
	// Ctrl+L focuses the address bar.
	h.shortcut(scAddress)
	if h.w.Canvas().Focused() != br.address {
		t.Fatal("Ctrl+L did not focus the address bar")
	}
	// A focused entry passes window shortcuts on: Ctrl+Enter sends.
	h.typeIn(br.address, "skills/1")
	br.address.TypedShortcut(scSend)
	h.settle()
	if br.currentAddr != "skills/1" {
		t.Fatalf("Ctrl+Enter from the address bar: %q", br.currentAddr)
	}
	br.address.TypedShortcut(scBack)
	h.settle()
	if br.currentAddr != "skills" {
		t.Fatalf("Alt+Left from the address bar: %q", br.currentAddr)
	}
	// Ctrl+F focuses the search box.
	h.shortcut(scFind)
	if h.w.Canvas().Focused() != br.body.SearchBox() {
		t.Fatal("Ctrl+F did not focus the search box")
	}
	// Entries keep their own shortcuts (select all, copy).
	br.address.TypedShortcut(&fyne.ShortcutSelectAll{})
	if br.address.SelectedText() != "skills" {
		t.Errorf("select all in the address bar: %q", br.address.SelectedText())
	}
}

func TestBodySearchTreeAndCtrlF(t *testing.T) {
	h, _ := openBrowser(t)
	br := h.d.br
	br.links.Select(1) // skills
	h.settle()
	v := br.body
	test.Type(v.SearchBox(), "sales")
	h.settle()
	if v.Matches() != 1 {
		t.Fatalf("matches %d", v.Matches())
	}
	h.mustShow("1 of 1")
	v.SetMode(xwidget.TreeMode)
	h.settle()
	if !v.HasTree() {
		t.Fatal("tree not built")
	}
	h.mustShow("skill: […] 2 items")
	// Ctrl+F goes back to the text view.
	h.shortcut(scFind)
	if v.Mode() != xwidget.TextMode || h.w.Canvas().Focused() != v.SearchBox() {
		t.Error("Ctrl+F did not return to the text and its search box")
	}
	h.mustShow(`"name": "Sales"`)
}

// ---- editor ----------------------------------------------------------------

func openEditor(t *testing.T) (*harness, *fakeBackend, *editor) {
	t.Helper()
	h, f := openBrowser(t)
	h.typeIn(h.d.br.address, "skills/1")
	h.tap(h.d.br.goBtn)
	h.tap(h.d.br.editBtn)
	if h.d.view != viewEditor {
		t.Fatalf("view %q", h.d.view)
	}
	return h, f, h.d.ed
}

func TestEditorSaveSendsIfMatch(t *testing.T) {
	h, f, ed := openEditor(t)
	if !strings.Contains(ed.text.Text, `"name": "Support"`) {
		t.Fatalf("editor text not pretty: %q", ed.text.Text)
	}
	ed.text.SetText(strings.Replace(ed.text.Text, "Support", "Support EMEA", 1))
	h.shortcut(scSave)
	if f.lastIfMatch != `"1"` || !strings.Contains(f.lastUpdate, "Support EMEA") {
		t.Fatalf("update If-Match %q body %q", f.lastIfMatch, f.lastUpdate)
	}
	if h.d.view != viewBrowser {
		t.Fatalf("view %q after save", h.d.view)
	}
	h.mustShow("Support EMEA")
}

func TestEditorInvalidJSONShowsLineAndColumn(t *testing.T) {
	h, f, ed := openEditor(t)
	ed.text.SetText("{\n  \"skill\": {\n    \"name\": x\n  }\n}\n")
	h.tap(ed.saveBtn)
	if f.count("Update") != 0 {
		t.Fatal("an invalid body was sent")
	}
	h.mustShow("line 3, column 13")
	if ed.text.CursorRow != 2 || ed.text.CursorColumn != 12 {
		t.Errorf("cursor at %d:%d", ed.text.CursorRow, ed.text.CursorColumn)
	}
	if h.d.view != viewEditor {
		t.Error("left the editor")
	}
}

func TestEditorInvalidXMLShowsLineAndColumn(t *testing.T) {
	h, f := openBrowser(t)
	h.d.br.format.SetSelected("XML")
	h.settle()
	h.typeIn(h.d.br.address, "skills/1")
	h.tap(h.d.br.goBtn)
	h.tap(h.d.br.editBtn)
	ed := h.d.ed
	if ed.format != wire.XML {
		t.Fatalf("format %q", ed.format)
	}
	ed.text.SetText("<skill>\n  <name>A & B</name>\n</skill>\n")
	h.tap(ed.saveBtn)
	if f.count("Update") != 0 {
		t.Fatal("an invalid body was sent")
	}
	h.mustShow("line 2, column")
}

func TestEditorConflictChoices(t *testing.T) {
	h, f, ed := openEditor(t)
	mine := strings.Replace(ed.text.Text, "Support", "Mine", 1)
	ed.text.SetText(mine)
	f.changeBehind("skills/1", `{"skill":{"@id":"1","name":"Theirs"}}`)

	// Keep editing: the dialog closes, the text stays.
	h.tap(ed.saveBtn)
	if ed.conflict == nil || h.dialogs() != 1 {
		t.Fatal("no conflict dialog on 412")
	}
	h.mustShow("Load theirs")
	h.tap(ed.conflictKeep)
	if h.dialogs() != 0 || ed.text.Text != mine || h.d.view != viewEditor {
		t.Fatal("Keep editing lost the text or kept the dialog")
	}

	// Esc closes the dialog too.
	h.tap(ed.saveBtn)
	if h.dialogs() != 1 {
		t.Fatal("no dialog on the second 412")
	}
	ed.text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.dialogs() != 0 || h.d.view != viewEditor {
		t.Fatal("Esc did not close just the dialog")
	}

	// Overwrite: reads the new revision and saves over it.
	h.tap(ed.saveBtn)
	h.tap(ed.conflictOverwrite)
	if f.lastIfMatch != `"2"` || !strings.Contains(f.lastUpdate, "Mine") || h.d.view != viewBrowser {
		t.Fatalf("overwrite: If-Match %q body %q view %q", f.lastIfMatch, f.lastUpdate, h.d.view)
	}

	// Load theirs: the server's version replaces the text.
	h.tap(h.d.br.editBtn)
	ed = h.d.ed
	ed.text.SetText(strings.Replace(ed.text.Text, "Mine", "Mine again", 1))
	f.changeBehind("skills/1", `{"skill":{"@id":"1","name":"Theirs again"}}`)
	h.tap(ed.saveBtn)
	h.tap(ed.conflictLoad)
	if !strings.Contains(ed.text.Text, "Theirs again") || ed.etag != `"4"` || ed.dirty() {
		t.Fatalf("load theirs: text %q etag %q dirty %v", ed.text.Text, ed.etag, ed.dirty())
	}
}

func TestEditorNetworkErrorKeepsText(t *testing.T) {
	h, f, ed := openEditor(t)
	mine := strings.Replace(ed.text.Text, "Support", "Offline edit", 1)
	ed.text.SetText(mine)
	f.mu.Lock()
	f.netDown = true
	f.mu.Unlock()
	h.tap(ed.saveBtn)
	if ed.text.Text != mine || h.d.view != viewEditor || !ed.status.RetryButton().Visible() {
		t.Fatal("a dropped connection lost the text or offered no retry")
	}
	h.mustShow("Your text is kept")
	f.mu.Lock()
	f.netDown = false
	f.mu.Unlock()
	h.tap(ed.status.RetryButton())
	if !strings.Contains(f.lastUpdate, "Offline edit") || h.d.view != viewBrowser {
		t.Fatal("retry did not save")
	}
}

func TestEditorRevokedKeepsTextAndOffersSetup(t *testing.T) {
	h, f, ed := openEditor(t)
	ed.text.SetText(strings.Replace(ed.text.Text, "Support", "X", 1))
	f.mu.Lock()
	f.revoked = true
	f.mu.Unlock()
	h.tap(ed.saveBtn)
	if h.d.view != viewEditor || !strings.Contains(ed.text.Text, "X") {
		t.Fatal("revocation lost the text")
	}
	h.mustShow("revoked")
	if !h.d.br.banner.Visible() {
		t.Error("browser banner not set for revoked access")
	}
}

func TestEditorUnsavedClosePrompts(t *testing.T) {
	h, _, ed := openEditor(t)
	// Unchanged: Esc just closes.
	ed.text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.d.view != viewBrowser {
		t.Fatalf("Esc on a clean editor: view %q", h.d.view)
	}
	h.tap(h.d.br.editBtn)
	ed = h.d.ed
	test.Type(ed.text, "x")
	if !ed.dirty() {
		t.Fatal("typing did not make the editor dirty")
	}
	ed.close()
	if h.dialogs() != 1 || h.d.view != viewEditor {
		t.Fatal("closing with unsaved edits did not ask")
	}
	h.mustShow("have not been saved")
	h.d.escape()
	if h.dialogs() != 0 || h.d.view != viewEditor {
		t.Fatal("Esc did not keep editing")
	}
	// Closing the window asks too.
	h.d.requestClose()
	if h.dialogs() != 1 || h.d.closed {
		t.Fatal("closing the window with unsaved edits did not ask")
	}
	h.d.escape()
	ed.close()
	h.mustShow("Discard changes")
	// Tap the dialog's destructive button.
	var discard *widget.Button
	for _, o := range h.w.Canvas().Overlays().List() {
		discard = findButton(o, "Discard changes")
	}
	if discard == nil {
		t.Fatal("no Discard button")
	}
	h.tap(discard)
	if h.d.view != viewBrowser {
		t.Fatalf("after discard: view %q", h.d.view)
	}
}

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

func TestEditorCreateOnCollection(t *testing.T) {
	h, f := openBrowser(t)
	br := h.d.br
	br.links.Select(1) // skills
	h.settle()
	h.tap(br.newBtn)
	ed := h.d.ed
	if ed.mode != editCreate || !strings.Contains(ed.text.Text, `"skill"`) {
		t.Fatalf("new: mode %v text %q", ed.mode, ed.text.Text)
	}
	ed.text.SetText(`{"skill":{"name":"Billing"}}`)
	h.tap(ed.saveBtn)
	if f.count("Create skills") != 1 {
		t.Fatalf("calls %v", f.calls)
	}
	if h.d.view != viewBrowser || br.currentAddr != "skills/3" {
		t.Fatalf("after create: view %q current %q", h.d.view, br.currentAddr)
	}
	h.mustShow("Billing")
}

func TestDeleteAsksFirst(t *testing.T) {
	h, f := openBrowser(t)
	br := h.d.br
	h.typeIn(br.address, "skills/2")
	h.tap(br.goBtn)
	h.tap(br.deleteBtn)
	if f.count("Delete") != 0 || h.dialogs() != 1 {
		t.Fatal("Delete did not ask first")
	}
	h.mustShow("Delete skills/2 on the server?")
	h.d.escape()
	if f.count("Delete") != 0 {
		t.Fatal("dismissing the question deleted")
	}
	h.tap(br.deleteBtn)
	var yes *widget.Button
	for _, o := range h.w.Canvas().Overlays().List() {
		yes = findButton(o, "Delete")
	}
	h.tap(yes)
	if f.count("Delete skills/2") != 1 || br.currentAddr != "skills" {
		t.Fatalf("calls %v current %q", f.calls, br.currentAddr)
	}
}

// ---- settings --------------------------------------------------------------

func TestSettingsShowsProfileWithoutSecret(t *testing.T) {
	h, f := openBrowser(t)
	h.tap(h.d.br.settings)
	if h.d.view != viewSettings {
		t.Fatalf("view %q", h.d.view)
	}
	h.mustShow("tok1…wxyz")
	h.mustNotShow("tok1234567890wxyz")
	h.mustNotShow(fakeSecret)
	h.mustShow("OS keyring (service lpdesk, item work)")
	s := h.d.set
	s.placement.SetSelected("Query parameters")
	h.settle()
	if f.lastSet.Placement != "query" || h.d.profile.Placement != "query" {
		t.Fatalf("placement not saved: %+v", f.lastSet)
	}
	s.format.SetSelected("XML")
	h.settle()
	if f.lastSet.Format != wire.XML {
		t.Fatalf("format not saved: %+v", f.lastSet)
	}
	s.theme.SetSelected("Dark")
	if h.d.themeChoice() != themeDark {
		t.Errorf("theme %q", h.d.themeChoice())
	}
	// Esc goes back to the browser.
	h.d.escape()
	if h.d.view != viewBrowser {
		t.Errorf("Esc: view %q", h.d.view)
	}
}

func TestSignOutReturnsToWizard(t *testing.T) {
	h, f := openBrowser(t)
	h.tap(h.d.br.settings)
	h.tap(h.d.set.signOut)
	h.mustShow("grant stays valid on the server")
	if f.count("SignOut") != 0 {
		t.Fatal("signed out without asking")
	}
	var yes *widget.Button
	for _, o := range h.w.Canvas().Overlays().List() {
		yes = findButton(o, "Sign out")
	}
	h.tap(yes)
	if f.count("SignOut") != 1 || h.d.view != viewWizard {
		t.Fatalf("calls %v view %q", f.calls, h.d.view)
	}
	if h.d.wiz.accountPage.server.Text != "http://sandbox.test" {
		t.Errorf("wizard not prefilled after sign-out: %q", h.d.wiz.accountPage.server.Text)
	}
}

func TestRevokeConfirmsThenOpensNextProfile(t *testing.T) {
	f := newFake()
	f.addProfile("work", true)
	f.addProfile("other", false)
	f.revokeResult = RevokeResult{ServerRevoked: false, Detail: "Revoke the grant in the admin console too."}
	h := newHarness(t, f, Options{})
	h.tap(h.d.br.settings)
	h.tap(h.d.set.revoke)
	h.mustShow("ask http://sandbox.test to revoke")
	h.mustShow("stops working on the server")
	var yes *widget.Button
	for _, o := range h.w.Canvas().Overlays().List() {
		yes = findButton(o, "Revoke access")
	}
	h.tap(yes)
	if f.count("Revoke") != 1 {
		t.Fatalf("calls %v", f.calls)
	}
	h.mustShow("admin console too")
	if h.d.view != viewBrowser || h.d.profile.Name != "other" {
		t.Fatalf("after revoke: view %q profile %q", h.d.view, h.d.profile.Name)
	}
}

func TestQuitClosesWhenClean(t *testing.T) {
	h, _ := openBrowser(t)
	h.shortcut(scQuit)
	if !h.d.closed {
		t.Fatal("Ctrl+Q did not close a clean window")
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

func TestHasDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if HasDisplay() {
		t.Fatal("a display without DISPLAY or WAYLAND_DISPLAY")
	}
	if err := Run(Options{}, newFake()); err == nil || !strings.Contains(err.Error(), "no graphical display") {
		t.Fatalf("Run without a display: %v", err)
	}
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	if !HasDisplay() {
		t.Fatal("WAYLAND_DISPLAY not seen")
	}
}
