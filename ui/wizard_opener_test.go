package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/widget"
)

func TestWizardSaysWhenTheBrowserOpened(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	p := h.d.wiz.authorizePage
	h.mustShow("lpdesk opened the provider's authorization page in your browser")
	if p.buttons.Objects[0] != p.openBtn || p.copyBtn.Importance == widget.HighImportance {
		t.Error("with the browser open, Copy is put first")
	}
}

func TestWizardSaysWhenNoBrowserCouldBeOpened(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.openErr = errors.New("xdg-open is not installed")
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	w := h.d.wiz
	p := w.authorizePage
	if w.page != pageAuthorize || len(h.opens) != 1 {
		t.Fatalf("page %q opens %v", w.page, h.opens)
	}
	h.mustShow("lpdesk could not open a web browser (xdg-open is not installed). Copy the address")
	h.mustNotShow("lpdesk opened")
	if p.buttons.Objects[0] != p.copyBtn || p.copyBtn.Importance != widget.HighImportance {
		t.Fatal("Copy is not the first, primary button")
	}
	if h.w.Canvas().Focused() != p.copyBtn {
		t.Error("Copy does not have the keyboard")
	}
	h.tap(p.copyBtn)
	if got := h.d.app.Clipboard().Content(); got != w.auth.AuthorizeURL() {
		t.Errorf("clipboard %q", got)
	}
	// Trying again, with a browser this time.
	h.openErr = nil
	h.tap(p.openBtn)
	if len(h.opens) != 2 || p.buttons.Objects[0] != p.openBtn {
		t.Fatalf("try again: opens %v", h.opens)
	}
	h.mustShow("lpdesk opened the provider's authorization page")
	// The loopback callback still completes the flow.
	h.mustShow("Waiting for the browser")
}
