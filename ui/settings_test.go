package ui

import (
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

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
	if f.lastSet.Placement != apiclient.PlaceQuery || h.d.profile.Placement != apiclient.PlaceQuery {
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
