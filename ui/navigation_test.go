package ui

import (
	"fmt"
	"strings"
	"testing"
)

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
