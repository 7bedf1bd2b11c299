package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

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

func TestBodySearchTreeAndCtrlF(t *testing.T) {
	h, _ := openBrowser(t)
	br := h.d.br
	br.links.Select(1) // skills
	h.settle()
	br.st.switcher.SetSelected("Text") // the raw text, one click from the table
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
