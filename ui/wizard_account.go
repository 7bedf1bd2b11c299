package ui

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// accountPage asks for the server, the account and a profile name, and
// starts either the browser authorization or the verification-code page.
// It is built once per wizard, so what was typed survives going back.
type accountPage struct {
	w *wizard

	server, account, profile *xwidget.Entry
	authorizeBtn, codeBtn    *widget.Button
	providerBtn              *widget.Button
	cancelBtn                *widget.Button
	status                   *xwidget.Status
}

func newAccountPage(w *wizard, req AuthRequest) *accountPage {
	d := w.d
	p := &accountPage{w: w}
	p.server = xwidget.NewEntry(d.keys(), "https://api.example.com")
	p.account = xwidget.NewEntry(d.keys(), "12345678")
	p.profile = xwidget.NewEntry(d.keys(), "default")
	p.status = xwidget.NewStatus()
	p.authorizeBtn = widget.NewButtonWithIcon("Authorize in browser", theme.LoginIcon(), p.authorize)
	p.authorizeBtn.Importance = widget.HighImportance
	p.codeBtn = widget.NewButton("I have a verification code", w.showCode)
	p.providerBtn = widget.NewButtonWithIcon("Another OAuth 1.0a provider…", theme.NavigateNextIcon(), w.showProvider)
	p.providerBtn.Importance = widget.LowImportance
	p.cancelBtn = widget.NewButton("Cancel", p.cancel)
	p.server.OnSubmitted = func(string) { p.authorize() }
	p.account.OnSubmitted = func(string) { p.authorize() }
	p.profile.OnSubmitted = func(string) { p.authorize() }
	p.server.SetText(req.Server)
	p.account.SetText(req.AccountID)
	p.profile.SetText(req.Profile)
	return p
}

func (p *accountPage) content() fyne.CanvasObject {
	items := []fyne.CanvasObject{
		heading("Set up lpdesk"),
		para("Connect lpdesk to an account. An administrator of the account approves lpdesk once; " +
			"the access key is then kept in this computer's keyring, and the people using this desktop can " +
			"browse and edit the account's resources."),
	}
	if demo := p.w.d.opts.Demo; demo != nil {
		items = append(items, p.demoCard(demo))
	}
	form := widget.NewForm(
		widget.NewFormItem("Server", p.server),
		widget.NewFormItem("Account", p.account),
		widget.NewFormItem("Profile name", p.profile),
	)
	form.Items[0].HintText = "The platform's address; lpdesk finds the account's own server."
	form.Items[2].HintText = "Optional: a name for this account on this computer."
	p.updateCancelLabel()
	items = append(items, form,
		container.NewHBox(p.authorizeBtn, p.codeBtn, layoutSpacer(), p.cancelBtn),
		p.status,
		widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, p.providerBtn,
			para("Not this platform? lpdesk also works with X, Jira, NetSuite, Magento, Trello and any other OAuth 1.0a API.")))
	return container.NewVBox(items...)
}

func (p *accountPage) demoCard(demo *DemoInfo) fyne.CanvasObject {
	console := widget.NewHyperlink(demo.ConsoleURL, nil)
	if u, err := url.Parse(demo.ConsoleURL); err == nil {
		console.URL = u
	}
	copyConsole := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
		p.w.d.app.Clipboard().SetContent(demo.ConsoleURL)
	})
	grid := widget.NewForm(
		widget.NewFormItem("Admin console", container.NewBorder(nil, nil, nil, copyConsole, console)),
		widget.NewFormItem("User", widget.NewLabel(demo.AdminUser)),
		widget.NewFormItem("Password", widget.NewLabel(demo.AdminPassword)),
	)
	body := container.NewVBox(
		widget.NewLabelWithStyle("Demo sandbox", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		para("lpdesk started a local sandbox. When the browser asks, sign in to its console with these credentials and approve lpdesk:"),
		grid,
	)
	if demo.KeyringNote != "" {
		note := para("Note: " + demo.KeyringNote + ".")
		note.Importance = widget.WarningImportance
		body.Add(note)
	}
	return framed(body, theme.Color(theme.ColorNameInputBackground))
}

// updateCancelLabel: with nothing to go back to, Cancel quits.
func (p *accountPage) updateCancelLabel() {
	if p.w.d.opened || len(p.w.d.profiles) > 0 {
		p.cancelBtn.SetText("Cancel")
	} else {
		p.cancelBtn.SetText("Quit")
	}
}

func (p *accountPage) cancel() {
	if p.w.busy {
		p.w.stop()
		p.status.Info("Cancelled.")
		return
	}
	p.w.leave()
}

// request reads the form.
func (p *accountPage) request() (AuthRequest, error) {
	server := strings.TrimSpace(p.server.Text)
	acct := strings.TrimSpace(p.account.Text)
	switch {
	case server == "":
		return AuthRequest{}, errors.New("enter the server address")
	case acct == "":
		return AuthRequest{}, errors.New("enter the account number")
	}
	return AuthRequest{Server: server, AccountID: acct, Profile: strings.TrimSpace(p.profile.Text)}, nil
}

// authorize asks the backend for a request token and, with it, moves on
// to the authorize page.
func (p *accountPage) authorize() {
	w := p.w
	req, err := p.request()
	if err != nil {
		w.fail(p.status, err.Error(), nil)
		return
	}
	if w.busy {
		return
	}
	w.req = req
	w.back = nil
	ctx, gen := w.begin()
	p.status.Busy("Finding account " + req.AccountID + " and asking " + req.Server + " for a request token…")
	w.d.bg(func(context.Context) func() {
		auth, err := w.d.be.Begin(ctx, req)
		return func() {
			if !w.end(gen) {
				if auth != nil {
					auth.Cancel()
				}
				return
			}
			if err != nil {
				w.fail(p.status, describe(err), p.authorize)
				return
			}
			p.status.Clear()
			w.startFlow(auth)
		}
	})
}
