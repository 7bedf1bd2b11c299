package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// authorizePage follows the browser authorization: it shows the provider's
// page address, waits for the loopback callback's verifier, and takes a
// typed one instead when the provider shows it to the administrator. A new
// page is built for every flow.
type authorizePage struct {
	w *wizard

	intro          *widget.Label
	urlLabel       *widget.Label
	copyBtn        *widget.Button
	openBtn        *widget.Button
	buttons        *fyne.Container
	copiedFeedback *widget.Label
	waiting        *fyne.Container
	activity       *widget.Activity
	verifier       *xwidget.Entry
	continueBtn    *widget.Button
	status         *xwidget.Status
	cancelBtn      *widget.Button
	content        fyne.CanvasObject
}

// startFlow shows the authorize page for auth, opens the browser on it and
// listens for the loopback callback until the flow ends.
func (w *wizard) startFlow(auth Authorization) {
	w.cancelFlow()
	w.auth = auth
	w.exchanged = false
	flowCtx, cancel := context.WithCancel(w.d.ctx)
	w.flowCancel = cancel
	p := newAuthorizePage(w)
	w.authorizePage = p
	w.show(pageAuthorize, p.content)
	// However the flow ends, the waiting animation ends with it.
	context.AfterFunc(flowCtx, func() { w.d.do(p.activity.Stop) })
	p.openBrowser()
	if ch := auth.Callback(); ch != nil {
		go func() {
			for {
				select {
				case r, ok := <-ch:
					if !ok {
						return
					}
					if r.Note != "" {
						w.d.do(func() { p.callbackNote(auth, r.Note) })
						continue
					}
					w.d.do(func() { p.callbackArrived(auth, r) })
					return
				case <-flowCtx.Done():
					return
				}
			}
		}()
	}
	w.d.emit(evAuthorize)
}

// hideWaiting hides the waiting row and stops its animation: a running
// animation repaints the whole window every frame, hidden or not, and
// after onboarding it kept doing so for as long as the window was open.
func (p *authorizePage) hideWaiting() {
	p.waiting.Hide()
	p.activity.Stop()
}

func newAuthorizePage(w *wizard) *authorizePage {
	d := w.d
	p := &authorizePage{w: w}
	p.urlLabel = widget.NewLabel(w.auth.AuthorizeURL())
	p.urlLabel.Selectable = true
	p.urlLabel.Wrapping = fyne.TextWrapBreak
	p.urlLabel.TextStyle = fyne.TextStyle{Monospace: true}
	p.copiedFeedback = widget.NewLabel("")
	p.copiedFeedback.Hide()
	p.copyBtn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		d.app.Clipboard().SetContent(w.auth.AuthorizeURL())
		p.copiedFeedback.SetText("Copied to the clipboard.")
		p.copiedFeedback.Show()
	})
	p.openBtn = widget.NewButtonWithIcon("Open again", theme.ComputerIcon(), p.openBrowser)
	p.intro = para("")
	p.buttons = container.NewHBox()
	p.verifier = xwidget.NewEntry(d.keys(), "verifier shown by the provider")
	p.verifier.OnSubmitted = func(string) { p.continueAuth() }
	p.continueBtn = widget.NewButtonWithIcon("Continue", theme.NavigateNextIcon(), p.continueAuth)
	p.continueBtn.Importance = widget.HighImportance
	p.status = xwidget.NewStatus()
	p.cancelBtn = widget.NewButton("Cancel", p.cancel)

	p.activity = widget.NewActivity()
	p.activity.Start()
	p.waiting = container.NewHBox(p.activity, widget.NewLabel("Waiting for the browser to send the verifier back to lpdesk…"))
	if w.auth.Callback() == nil {
		p.hideWaiting()
	}
	p.content = container.NewVBox(
		heading("Approve lpdesk in your browser"),
		p.intro,
		framed(p.urlLabel, theme.Color(theme.ColorNameInputBackground)),
		p.buttons,
		p.copiedFeedback,
		p.waiting,
		widget.NewSeparator(),
		para("If the provider shows you a verifier instead, type or paste it here:"),
		container.NewBorder(nil, nil, nil, p.continueBtn, p.verifier),
		p.status,
		container.NewHBox(layoutSpacer(), p.cancelBtn),
	)
	return p
}

// callbackNote shows what came on the callback without ending the wait:
// it may have been forged by another local program that saw the request
// token on the browser opener's command line.
func (p *authorizePage) callbackNote(auth Authorization, note string) {
	w := p.w
	if w.auth != auth || w.exchanged || w.page != pageAuthorize || w.busy {
		return
	}
	p.status.Info(note)
	w.d.emit(evCallbackNote)
}

// consentLine says who approves what: an administrator, for the platform's
// account; the user, for another provider.
func (p *authorizePage) consentLine() string {
	if p.w.back != nil {
		return "Sign in and approve the access your application asks for"
	}
	where := "the account"
	if base := p.w.auth.AccountBase(); base != "" {
		where = base
	}
	return "Sign in as an administrator and approve lpdesk for " + where
}

// openBrowser opens the authorization page in the browser and says
// whether it did: when it could not, the page says so and the Copy button
// comes first.
func (p *authorizePage) openBrowser() {
	w := p.w
	p.intro.SetText("Opening the provider's authorization page in your browser…")
	p.arrangeButtons(false)
	auth := w.auth
	w.d.openURL(auth.AuthorizeURL(), func(err error) {
		if w.auth != auth || w.authorizePage != p {
			return
		}
		if err != nil {
			p.intro.SetText("lpdesk could not open a web browser (" + err.Error() + "). Copy the address below and open it in a browser " +
				"— on this computer or another — then " + strings.ToLower(p.consentLine()[:1]) + p.consentLine()[1:] + ".")
			p.arrangeButtons(true)
			w.d.win.Canvas().Focus(p.copyBtn)
			return
		}
		p.intro.SetText("lpdesk opened the provider's authorization page in your browser. " + p.consentLine() +
			". If no browser window appeared, or you approve on another computer, copy the address:")
		p.arrangeButtons(false)
	})
}

// arrangeButtons puts Copy first, as the way on, when the browser could
// not be opened; otherwise opening again comes first.
func (p *authorizePage) arrangeButtons(failed bool) {
	if failed {
		p.copyBtn.Importance = widget.HighImportance
		p.openBtn.SetText("Try again")
		p.buttons.Objects = []fyne.CanvasObject{p.copyBtn, p.openBtn}
	} else {
		p.copyBtn.Importance = widget.MediumImportance
		p.openBtn.SetText("Open again")
		p.buttons.Objects = []fyne.CanvasObject{p.openBtn, p.copyBtn}
	}
	p.copyBtn.Refresh()
	p.buttons.Refresh()
}

func (p *authorizePage) callbackArrived(auth Authorization, r CallbackResult) {
	w := p.w
	if w.auth != auth || w.exchanged || w.page != pageAuthorize {
		return
	}
	p.hideWaiting()
	if r.Err != nil || r.Verifier == "" {
		msg := "The browser came back without a verifier"
		if r.Err != nil {
			msg = describe(r.Err)
		}
		w.fail(p.status, msg+" — Cancel and authorize again.", nil)
		return
	}
	p.verifier.SetText(r.Verifier)
	if w.busy {
		return
	}
	p.exchange()
}

func (p *authorizePage) continueAuth() {
	w := p.w
	if w.busy {
		return
	}
	if w.exchanged {
		p.save()
		return
	}
	p.exchange()
}

func (p *authorizePage) exchange() {
	w := p.w
	v := strings.TrimSpace(p.verifier.Text)
	if v == "" {
		w.fail(p.status, "Enter the verifier the provider showed, or approve in the browser and wait.", nil)
		return
	}
	auth := w.auth
	ctx, gen := w.begin()
	p.status.Busy("Exchanging the verifier for an access token and checking it works…")
	w.d.bg(func(context.Context) func() {
		err := auth.Exchange(ctx, v)
		return func() {
			if !w.end(gen) {
				return
			}
			switch {
			case errors.Is(err, ErrBadVerifier):
				w.fail(p.status, "The provider refused this verifier. Check it (copy it again from the browser) and press Continue.", nil)
				w.d.win.Canvas().Focus(p.verifier)
			case err != nil:
				w.fail(p.status, describe(err), p.exchange)
			default:
				w.exchanged = true
				p.hideWaiting()
				p.save()
			}
		}
	})
}

// save stores the profile; after a keyring error it can be retried alone,
// since the request token is already spent.
func (p *authorizePage) save() {
	w := p.w
	auth := w.auth
	ctx, gen := w.begin()
	p.status.Busy("Saving the profile and putting the token secret in the keyring…")
	w.d.bg(func(context.Context) func() {
		in, err := auth.Save(ctx)
		return func() {
			if !w.end(gen) {
				return
			}
			if err != nil {
				p.continueBtn.SetText("Retry saving")
				w.fail(p.status, "lpdesk is authorized, but saving failed: "+describe(err), p.save)
				return
			}
			w.cancelFlow()
			w.finish(in)
		}
	})
}

// cancel ends the flow and goes back to the account page.
func (p *authorizePage) cancel() {
	w := p.w
	w.stop()
	w.cancelFlow()
	if w.back != nil {
		w.back()
		w.providerPage.status.Info("Authorization cancelled.")
		return
	}
	w.showAccount()
	w.accountPage.status.Info("Authorization cancelled.")
}
