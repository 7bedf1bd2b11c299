package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// wizard is onboarding: account → authorize in the browser (or a
// verification code) → done. Every call shows progress, every error stays
// on its page with a retry, and Cancel works on every page.
type wizard struct {
	d       *desk
	content *fyne.Container
	page    string // "account", "authorize", "code", "done"

	// gen invalidates results of calls the user cancelled.
	gen    int
	cancel context.CancelFunc
	busy   bool

	auth       Authorization
	flowCancel context.CancelFunc
	exchanged  bool
	req        AuthRequest
	result     Installed

	// account page
	server, account, profile *entry
	authorizeBtn, codeBtn    *widget.Button
	accountCancel            *widget.Button
	accountStatus            *status

	// authorize page
	urlLabel       *widget.Label
	copyBtn        *widget.Button
	openBtn        *widget.Button
	waiting        *fyne.Container
	verifier       *entry
	continueBtn    *widget.Button
	authorizeStat  *status
	authorizeBack  *widget.Button
	copiedFeedback *widget.Label

	// code page
	code       *entry
	installBtn *widget.Button
	codeStatus *status

	// done page
	doneText *widget.Label
	stored   *widget.Label
	openAcct *widget.Button
}

func newWizard(d *desk, req AuthRequest) *wizard {
	w := &wizard{d: d, req: req, content: container.NewStack()}
	w.buildAccount()
	w.server.SetText(req.Server)
	w.account.SetText(req.AccountID)
	w.profile.SetText(req.Profile)
	w.show("account", w.accountPage())
	return w
}

func (w *wizard) show(page string, obj fyne.CanvasObject) {
	w.page = page
	w.content.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewPadded(centered(720, obj)))}
	w.content.Refresh()
}

// ---- account page ----------------------------------------------------------

func (w *wizard) buildAccount() {
	d := w.d
	w.server = newEntry(d, "https://api.example.com")
	w.account = newEntry(d, "12345678")
	w.profile = newEntry(d, "default")
	w.accountStatus = newStatus()
	w.authorizeBtn = widget.NewButtonWithIcon("Authorize in browser", theme.LoginIcon(), w.authorize)
	w.authorizeBtn.Importance = widget.HighImportance
	w.codeBtn = widget.NewButton("I have a verification code", w.showCode)
	w.accountCancel = widget.NewButton("Cancel", w.cancelAccount)
	w.server.OnSubmitted = func(string) { w.authorize() }
	w.account.OnSubmitted = func(string) { w.authorize() }
	w.profile.OnSubmitted = func(string) { w.authorize() }
}

func (w *wizard) accountPage() fyne.CanvasObject {
	items := []fyne.CanvasObject{
		heading("Set up lpdesk"),
		para("Connect lpdesk to an account. An administrator of the account approves lpdesk once; " +
			"the access key is then kept in this computer's keyring, and the people using this desktop can " +
			"browse and edit the account's resources."),
	}
	if demo := w.d.opts.Demo; demo != nil {
		items = append(items, w.demoCard(demo))
	}
	form := widget.NewForm(
		widget.NewFormItem("Server", w.server),
		widget.NewFormItem("Account", w.account),
		widget.NewFormItem("Profile name", w.profile),
	)
	form.Items[0].HintText = "The platform's address; lpdesk finds the account's own server."
	form.Items[2].HintText = "Optional: a name for this account on this computer."
	w.updateCancelLabel()
	items = append(items, form,
		container.NewHBox(w.authorizeBtn, w.codeBtn, layoutSpacer(), w.accountCancel),
		w.accountStatus.box)
	return container.NewVBox(items...)
}

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

func (w *wizard) demoCard(demo *DemoInfo) fyne.CanvasObject {
	console := widget.NewHyperlink(demo.ConsoleURL, nil)
	if u, err := url.Parse(demo.ConsoleURL); err == nil {
		console.URL = u
	}
	copyConsole := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
		w.d.app.Clipboard().SetContent(demo.ConsoleURL)
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
func (w *wizard) updateCancelLabel() {
	if w.d.opened || len(w.d.profiles) > 0 {
		w.accountCancel.SetText("Cancel")
	} else {
		w.accountCancel.SetText("Quit")
	}
}

func (w *wizard) cancelAccount() {
	if w.busy {
		w.stop()
		w.accountStatus.info("Cancelled.")
		return
	}
	w.leave()
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

func (w *wizard) request() (AuthRequest, error) {
	server := strings.TrimSpace(w.server.Text)
	acct := strings.TrimSpace(w.account.Text)
	switch {
	case server == "":
		return AuthRequest{}, errors.New("enter the server address")
	case acct == "":
		return AuthRequest{}, errors.New("enter the account number")
	}
	return AuthRequest{Server: server, AccountID: acct, Profile: strings.TrimSpace(w.profile.Text)}, nil
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

func (w *wizard) setEnabled(on bool) {
	for _, b := range []*widget.Button{w.authorizeBtn, w.codeBtn, w.continueBtn, w.installBtn} {
		if b == nil {
			continue
		}
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (w *wizard) authorize() {
	req, err := w.request()
	if err != nil {
		w.fail(w.accountStatus, err.Error(), nil)
		return
	}
	if w.busy {
		return
	}
	w.req = req
	ctx, gen := w.begin()
	w.accountStatus.busy("Finding account " + req.AccountID + " and asking " + req.Server + " for a request token…")
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
				w.fail(w.accountStatus, describe(err), w.authorize)
				return
			}
			w.accountStatus.clear()
			w.startFlow(auth)
		}
	})
}

// ---- authorize page --------------------------------------------------------

func (w *wizard) startFlow(auth Authorization) {
	w.cancelFlow()
	w.auth = auth
	w.exchanged = false
	flowCtx, cancel := context.WithCancel(w.d.ctx)
	w.flowCancel = cancel
	w.show("authorize", w.authorizePage())
	w.d.openURL(auth.AuthorizeURL())
	if ch := auth.Callback(); ch != nil {
		go func() {
			for {
				select {
				case r, ok := <-ch:
					if !ok {
						return
					}
					if r.Note != "" {
						w.d.do(func() { w.callbackNote(auth, r.Note) })
						continue
					}
					w.d.do(func() { w.callbackArrived(auth, r) })
					return
				case <-flowCtx.Done():
					return
				}
			}
		}()
	}
	w.d.emit("authorize")
}

func (w *wizard) callbackArrived(auth Authorization, r CallbackResult) {
	if w.auth != auth || w.exchanged || w.page != "authorize" {
		return
	}
	w.waiting.Hide()
	if r.Err != nil || r.Verifier == "" {
		msg := "The browser came back without a verifier"
		if r.Err != nil {
			msg = describe(r.Err)
		}
		w.fail(w.authorizeStat, msg+" — Cancel and authorize again.", nil)
		return
	}
	w.verifier.SetText(r.Verifier)
	if w.busy {
		return
	}
	w.exchange()
}

// callbackNote shows what came on the callback without ending the wait
// (it may have been forged by another local program).
func (w *wizard) callbackNote(auth Authorization, note string) {
	if w.auth != auth || w.exchanged || w.page != "authorize" || w.busy {
		return
	}
	w.authorizeStat.info(note)
	w.d.emit("callback-note")
}

func (w *wizard) authorizePage() fyne.CanvasObject {
	d := w.d
	w.urlLabel = widget.NewLabel(w.auth.AuthorizeURL())
	w.urlLabel.Selectable = true
	w.urlLabel.Wrapping = fyne.TextWrapBreak
	w.urlLabel.TextStyle = fyne.TextStyle{Monospace: true}
	w.copiedFeedback = widget.NewLabel("")
	w.copiedFeedback.Hide()
	w.copyBtn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		d.app.Clipboard().SetContent(w.auth.AuthorizeURL())
		w.copiedFeedback.SetText("Copied to the clipboard.")
		w.copiedFeedback.Show()
	})
	w.openBtn = widget.NewButtonWithIcon("Open again", theme.ComputerIcon(), func() {
		d.openURL(w.auth.AuthorizeURL())
	})
	w.verifier = newEntry(d, "verifier shown by the provider")
	w.verifier.OnSubmitted = func(string) { w.continueAuth() }
	w.continueBtn = widget.NewButtonWithIcon("Continue", theme.NavigateNextIcon(), w.continueAuth)
	w.continueBtn.Importance = widget.HighImportance
	w.authorizeStat = newStatus()
	w.authorizeBack = widget.NewButton("Cancel", w.cancelAuthorize)

	activity := widget.NewActivity()
	activity.Start()
	w.waiting = container.NewHBox(activity, widget.NewLabel("Waiting for the browser to send the verifier back to lpdesk…"))
	if w.auth.Callback() == nil {
		w.waiting.Hide()
	}
	where := "the account"
	if base := w.auth.AccountBase(); base != "" {
		where = base
	}
	return container.NewVBox(
		heading("Approve lpdesk in your browser"),
		para("lpdesk opened the provider's authorization page in your browser. Sign in as an administrator and approve lpdesk for "+where+
			". If no browser opened, or you approve on another computer, copy the address:"),
		framed(w.urlLabel, theme.Color(theme.ColorNameInputBackground)),
		container.NewHBox(w.copyBtn, w.openBtn, w.copiedFeedback),
		w.copiedFeedback,
		w.waiting,
		widget.NewSeparator(),
		para("If the provider shows you a verifier instead, type or paste it here:"),
		container.NewBorder(nil, nil, nil, w.continueBtn, w.verifier),
		w.authorizeStat.box,
		container.NewHBox(layoutSpacer(), w.authorizeBack),
	)
}

func (w *wizard) continueAuth() {
	if w.busy {
		return
	}
	if w.exchanged {
		w.save()
		return
	}
	w.exchange()
}

func (w *wizard) exchange() {
	v := strings.TrimSpace(w.verifier.Text)
	if v == "" {
		w.fail(w.authorizeStat, "Enter the verifier the provider showed, or approve in the browser and wait.", nil)
		return
	}
	auth := w.auth
	ctx, gen := w.begin()
	w.authorizeStat.busy("Exchanging the verifier for an access token and checking it works…")
	w.d.bg(func(context.Context) func() {
		err := auth.Exchange(ctx, v)
		return func() {
			if !w.end(gen) {
				return
			}
			switch {
			case errors.Is(err, ErrBadVerifier):
				w.fail(w.authorizeStat, "The provider refused this verifier. Check it (copy it again from the browser) and press Continue.", nil)
				w.d.win.Canvas().Focus(w.verifier)
			case err != nil:
				w.fail(w.authorizeStat, describe(err), w.exchange)
			default:
				w.exchanged = true
				w.waiting.Hide()
				w.save()
			}
		}
	})
}

// save stores the profile; after a keyring error it can be retried alone,
// since the request token is already spent.
func (w *wizard) save() {
	auth := w.auth
	ctx, gen := w.begin()
	w.authorizeStat.busy("Saving the profile and putting the token secret in the keyring…")
	w.d.bg(func(context.Context) func() {
		in, err := auth.Save(ctx)
		return func() {
			if !w.end(gen) {
				return
			}
			if err != nil {
				w.continueBtn.SetText("Retry saving")
				w.fail(w.authorizeStat, "lpdesk is authorized, but saving failed: "+describe(err), w.save)
				return
			}
			w.cancelFlow()
			w.finish(in)
		}
	})
}

func (w *wizard) cancelAuthorize() {
	w.stop()
	w.cancelFlow()
	w.show("account", w.accountPage())
	w.accountStatus.info("Authorization cancelled.")
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

// ---- verification code page ------------------------------------------------

func (w *wizard) showCode() {
	if w.busy {
		return
	}
	w.code = newPasswordEntry(w.d, "token;secret")
	w.code.OnSubmitted = func(string) { w.installCode() }
	w.installBtn = widget.NewButtonWithIcon("Install", theme.ConfirmIcon(), w.installCode)
	w.installBtn.Importance = widget.HighImportance
	w.codeStatus = newStatus()
	back := widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() {
		w.stop()
		w.show("account", w.accountPage())
	})
	cancel := widget.NewButton("Cancel", func() {
		if w.busy {
			w.stop()
			w.codeStatus.info("Cancelled.")
			return
		}
		w.leave()
	})
	w.show("code", container.NewVBox(
		heading("Install with a verification code"),
		para("In the account's admin console, open Account Set Up → Applications, install lpdesk and copy the "+
			"verification code it shows (two parts joined by a semicolon). Paste it here; it is kept in the keyring, never in a file."),
		widget.NewForm(
			widget.NewFormItem("Server", widget.NewLabel(w.server.Text)),
			widget.NewFormItem("Account", widget.NewLabel(w.account.Text)),
			widget.NewFormItem("Verification code", w.code),
		),
		container.NewHBox(w.installBtn, back, layoutSpacer(), cancel),
		w.codeStatus.box,
	))
	w.d.win.Canvas().Focus(w.code)
	w.d.emit("code")
}

func (w *wizard) installCode() {
	if w.busy {
		return
	}
	req, err := w.request()
	if err != nil {
		w.fail(w.codeStatus, err.Error()+" (go Back)", nil)
		return
	}
	code := strings.TrimSpace(w.code.Text)
	if code == "" {
		w.fail(w.codeStatus, "Paste the verification code.", nil)
		return
	}
	ctx, gen := w.begin()
	w.codeStatus.busy("Checking the code against " + req.Server + " and saving the profile…")
	w.d.bg(func(context.Context) func() {
		in, err := w.d.be.InstallCode(ctx, req, code)
		return func() {
			if !w.end(gen) {
				return
			}
			if err != nil {
				w.fail(w.codeStatus, describe(err), w.installCode)
				return
			}
			w.finish(in)
		}
	})
}

// ---- done page -------------------------------------------------------------

func (w *wizard) finish(in Installed) {
	w.result = in
	w.d.installed(in)
	p := in.Profile
	w.doneText = para(fmt.Sprintf("lpdesk is authorized for account %s on %s. The profile is called %q.",
		p.AccountID, p.Server, p.Name))
	lines := make([]string, 0, len(in.Stored))
	for _, s := range in.Stored {
		lines = append(lines, "• "+s)
	}
	w.stored = para(strings.Join(lines, "\n"))
	w.openAcct = widget.NewButtonWithIcon("Open the account", theme.NavigateNextIcon(), func() {
		w.d.wiz = nil
		w.d.openProfile(p.Name)
	})
	w.openAcct.Importance = widget.HighImportance
	w.show("done", container.NewVBox(
		heading("lpdesk is ready"),
		w.doneText,
		widget.NewLabelWithStyle("What was stored, and where", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		w.stored,
		para("The token secret never goes into a file. Settings → Revoke access removes it and tells the server."),
		container.NewHBox(w.openAcct),
	))
	w.d.emit("installed")
}

// describe turns an error into a sentence with what to do next.
func describe(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "Cancelled."
	case errors.Is(err, ErrNetwork):
		return "Could not reach the server: " + err.Error() + ". Check the address and the connection, then retry."
	case errors.Is(err, ErrAccessRevoked):
		return "The server no longer accepts lpdesk's access token for this account: access was revoked."
	}
	return err.Error()
}

// fail shows an error on the page's status strip and tells the hooks.
func (w *wizard) fail(st *status, msg string, retry func()) {
	st.fail(msg, retry)
	w.d.emit("wizard-error:" + msg)
}
