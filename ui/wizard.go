package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// wizard is onboarding: account → authorize in the browser (or a
// verification code) → done. Every call shows progress, every error stays
// on its page with a retry, and Cancel works on every page.
//
// The wizard holds what the pages share — the call in progress and the
// authorization flow — and each page is its own type in its own file
// (wizard_account.go, wizard_authorize.go, wizard_code.go, wizard_done.go).
type wizard struct {
	d       *desk
	content *fyne.Container
	page    wizardPage

	// gen invalidates results of calls the user cancelled.
	gen    int
	cancel context.CancelFunc
	busy   bool

	// The browser authorization in progress, from Authorize to Save.
	auth       Authorization
	flowCancel context.CancelFunc
	exchanged  bool
	req        AuthRequest
	result     Installed

	accountPage *accountPage
	// back shows the page the authorization started from again.
	back func()
	// The later pages are built when the wizard gets to them; nil before.
	authorizePage *authorizePage
	codePage      *codePage
	providerPage  *providerPage
	donePage      *donePage
}

// wizardPage names the page on screen.
type wizardPage int

const (
	pageAccount   wizardPage = iota // server, account and profile name
	pageAuthorize                   // approve in the browser or type the verifier
	pageCode                        // install with a console verification code
	pageDone                        // what was stored, and where
	pageProvider                    // another OAuth 1.0a provider: preset or custom, the application's credentials
)

func (p wizardPage) String() string {
	switch p {
	case pageAccount:
		return "account"
	case pageAuthorize:
		return "authorize"
	case pageCode:
		return "code"
	case pageDone:
		return "done"
	case pageProvider:
		return "provider"
	}
	return "unknown"
}

func newWizard(d *desk, req AuthRequest) *wizard {
	w := &wizard{d: d, req: req, content: container.NewStack()}
	w.accountPage = newAccountPage(w, req)
	w.showAccount()
	return w
}

func (w *wizard) show(page wizardPage, obj fyne.CanvasObject) {
	w.page = page
	w.content.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewPadded(centered(720, obj)))}
	w.content.Refresh()
}

// showAccount goes back to the first page, keeping what was typed.
func (w *wizard) showAccount() {
	w.show(pageAccount, w.accountPage.content())
}

// leave abandons onboarding: back to the account being browsed, or quit.
func (w *wizard) leave() {
	w.cancelFlow()
	if w.d.opened {
		w.d.showBrowser()
		return
	}
	if len(w.d.profiles) > 0 {
		w.d.openDefault()
		return
	}
	w.d.requestClose()
}

// begin starts a cancellable call for the current page.
func (w *wizard) begin() (context.Context, int) {
	w.stop()
	ctx, cancel := context.WithCancel(w.d.ctx)
	w.cancel = cancel
	w.gen++
	w.busy = true
	w.setEnabled(false)
	return ctx, w.gen
}

// end reports whether the call gen is still wanted, and marks it over.
func (w *wizard) end(gen int) bool {
	if gen != w.gen {
		return false
	}
	w.busy = false
	if w.cancel != nil {
		w.cancel()
		w.cancel = nil
	}
	w.setEnabled(true)
	return true
}

// stop abandons the call in progress.
func (w *wizard) stop() {
	if w.cancel != nil {
		w.cancel()
		w.cancel = nil
	}
	w.gen++
	w.busy = false
	w.setEnabled(true)
}

// setEnabled turns the buttons that start a call on or off, on every page
// built so far.
func (w *wizard) setEnabled(on bool) {
	buttons := []*widget.Button{w.accountPage.authorizeBtn, w.accountPage.codeBtn}
	if w.authorizePage != nil {
		buttons = append(buttons, w.authorizePage.continueBtn)
	}
	if w.codePage != nil {
		buttons = append(buttons, w.codePage.installBtn)
	}
	if w.providerPage != nil {
		buttons = append(buttons, w.providerPage.submitBtn)
	}
	for _, b := range buttons {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// cancelFlow ends the authorization (closing its loopback listener).
func (w *wizard) cancelFlow() {
	if w.flowCancel != nil {
		w.flowCancel()
		w.flowCancel = nil
	}
	if w.auth != nil {
		w.auth.Cancel()
		w.auth = nil
	}
}

// fail shows an error on the page's status strip and tells the hooks.
func (w *wizard) fail(st *xwidget.Status, msg string, retry func()) {
	st.Fail(msg, retry)
	w.d.emitDetail(evWizardError, msg)
}
