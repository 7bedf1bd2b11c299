package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// codePage installs with the verification code the admin console shows,
// for administrators who install lpdesk there instead of approving it in
// the browser. A new page is built each time it is shown.
type codePage struct {
	w *wizard

	code       *xwidget.Entry
	installBtn *widget.Button
	status     *xwidget.Status
}

// showCode opens the verification-code page for the account typed on the
// first page.
func (w *wizard) showCode() {
	if w.busy {
		return
	}
	p := &codePage{w: w}
	w.codePage = p
	p.code = xwidget.NewPasswordEntry(w.d.keys(), "token;secret")
	p.code.OnSubmitted = func(string) { p.install() }
	p.installBtn = widget.NewButtonWithIcon("Install", theme.ConfirmIcon(), p.install)
	p.installBtn.Importance = widget.HighImportance
	p.status = xwidget.NewStatus()
	back := widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() {
		w.stop()
		w.showAccount()
	})
	cancel := widget.NewButton("Cancel", func() {
		if w.busy {
			w.stop()
			p.status.Info("Cancelled.")
			return
		}
		w.leave()
	})
	acct := w.accountPage
	w.show(pageCode, container.NewVBox(
		heading("Install with a verification code"),
		para("In the account's admin console, open Account Set Up → Applications, install lpdesk and copy the "+
			"verification code it shows (two parts joined by a semicolon). Paste it here; it is kept in the keyring, never in a file."),
		widget.NewForm(
			widget.NewFormItem("Server", widget.NewLabel(acct.server.Text)),
			widget.NewFormItem("Account", widget.NewLabel(acct.account.Text)),
			widget.NewFormItem("Verification code", p.code),
		),
		container.NewHBox(p.installBtn, back, layoutSpacer(), cancel),
		p.status,
	))
	w.d.win.Canvas().Focus(p.code)
	w.d.emit(evCode)
}

// install checks the code against the server and saves the profile.
func (p *codePage) install() {
	w := p.w
	if w.busy {
		return
	}
	req, err := w.accountPage.request()
	if err != nil {
		w.fail(p.status, err.Error()+" (go Back)", nil)
		return
	}
	code := strings.TrimSpace(p.code.Text)
	if code == "" {
		w.fail(p.status, "Paste the verification code.", nil)
		return
	}
	ctx, gen := w.begin()
	p.status.Busy("Checking the code against " + req.Server + " and saving the profile…")
	w.d.bg(func(context.Context) func() {
		in, err := w.d.be.InstallCode(ctx, req, code)
		return func() {
			if !w.end(gen) {
				return
			}
			if err != nil {
				w.fail(p.status, describe(err), p.install)
				return
			}
			w.finish(in)
		}
	})
}
