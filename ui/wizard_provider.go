package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// providerPage connects another OAuth 1.0a provider with the user's own
// application: a preset or a custom provider, only the fields that choice
// needs, then either the browser authorization (the authorize page, as
// for the platform) or all four values at once. It is built once per
// wizard, so what was typed survives going back and errors.
type providerPage struct {
	w         *wizard
	providers []Provider

	choice *widget.Select
	doc    *widget.Hyperlink
	mode   *widget.RadioGroup

	baseURL, accountID                  *xwidget.Entry
	requestURL, authorizeURL, accessURL *xwidget.Entry
	method                              *widget.Select
	realm                               *xwidget.Entry
	bodyHash                            *widget.Check
	placement                           *widget.Select
	consumerKey, consumerSecret         *xwidget.Entry
	keyFile                             *xwidget.Entry
	chooseKey                           *widget.Button
	token, tokenSecret                  *xwidget.Entry
	checkURL                            *xwidget.Entry
	profile                             *xwidget.Entry

	// form holds the form of the fields the choice needs; it is rebuilt
	// when the choice changes, from the same entries.
	form      *fyne.Container
	shown     []string
	submitBtn *widget.Button
	backBtn   *widget.Button
	cancelBtn *widget.Button
	status    *xwidget.Status
	content   fyne.CanvasObject
}

// The two ways on from the provider page.
const (
	modeAuthorize = "Authorize in the browser"
	modeTokens    = "I already have all four values"
)

// The placements a custom provider may take, as the select shows them.
var placementChoices = []struct {
	label string
	p     apiclient.Placement
}{
	{"Authorization header", apiclient.PlaceHeader},
	{"Query parameters", apiclient.PlaceQuery},
	{"Form body", apiclient.PlaceForm},
}

// showProvider opens the provider page, building it the first time.
func (w *wizard) showProvider() {
	if w.busy {
		return
	}
	if w.providerPage == nil {
		w.providerPage = newProviderPage(w)
	}
	p := w.providerPage
	p.rebuild()
	w.show(pageProvider, p.content)
	w.d.win.Canvas().Focus(p.choice)
}

// showProviderFor opens the provider page on another provider's profile,
// to authorize it again: its provider, application key and name filled in.
func (w *wizard) showProviderFor(p ProfileInfo) {
	w.showProvider()
	pp := w.providerPage
	for i, pr := range pp.providers {
		if pr.ID == p.Provider {
			pp.choice.SetSelectedIndex(i)
		}
	}
	if pr, ok := pp.chosen(); ok && pr.Custom() {
		pp.baseURL.SetText(p.BaseURL)
		if p.SignatureMethod != "" {
			pp.method.SetSelected(string(p.SignatureMethod))
		}
	}
	pp.consumerKey.SetText(p.ConsumerKey)
	pp.profile.SetText(p.Name)
}

func newProviderPage(w *wizard) *providerPage {
	d := w.d
	p := &providerPage{w: w, providers: d.be.Providers()}
	entry := func(placeholder string) *xwidget.Entry {
		e := xwidget.NewEntry(d.keys(), placeholder)
		p.watch(e)
		return e
	}
	secret := func(placeholder string) *xwidget.Entry {
		e := xwidget.NewPasswordEntry(d.keys(), placeholder)
		p.watch(e)
		return e
	}
	titles := make([]string, len(p.providers))
	for i, pr := range p.providers {
		titles[i] = pr.Title
	}
	p.doc = widget.NewHyperlink("", nil)
	p.doc.Truncation = fyne.TextTruncateEllipsis
	p.choice = widget.NewSelect(titles, func(string) { p.chose() })
	p.choice.PlaceHolder = "Choose a provider"
	p.mode = widget.NewRadioGroup([]string{modeAuthorize, modeTokens}, func(string) { p.rebuild() })
	p.mode.Horizontal = true
	p.mode.Required = true
	p.mode.Selected = modeAuthorize

	p.baseURL = entry("https://api.example.com")
	p.accountID = entry("1234567")
	p.requestURL = entry("https://api.example.com/oauth/request_token")
	p.authorizeURL = entry("https://api.example.com/oauth/authorize")
	p.accessURL = entry("https://api.example.com/oauth/access_token")
	methods := make([]string, len(oauthsig.Methods))
	for i, m := range oauthsig.Methods {
		methods[i] = string(m)
	}
	p.method = widget.NewSelect(methods, func(string) { p.rebuild() })
	p.method.Selected = string(oauthsig.HMACSHA1)
	p.realm = entry("optional: only when the provider asks for one")
	p.bodyHash = widget.NewCheck("Send oauth_body_hash with bodies that are not forms", nil)
	places := make([]string, len(placementChoices))
	for i, c := range placementChoices {
		places[i] = c.label
	}
	p.placement = widget.NewSelect(places, nil)
	p.placement.Selected = places[0]
	p.consumerKey = entry("the application's consumer key")
	p.consumerSecret = secret("the application's consumer secret")
	p.keyFile = entry("/path/to/private-key.pem")
	p.chooseKey = widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), p.pickKeyFile)
	p.token = entry("access token")
	p.tokenSecret = secret("access token secret")
	p.checkURL = entry("optional: an address to read once with the values")
	p.profile = entry("optional: a name for this connection on this computer")

	p.submitBtn = widget.NewButtonWithIcon(modeAuthorize, theme.LoginIcon(), p.submit)
	p.submitBtn.Importance = widget.HighImportance
	p.backBtn = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() {
		w.stop()
		w.showAccount()
	})
	p.cancelBtn = widget.NewButton("Cancel", func() {
		if w.busy {
			w.stop()
			p.status.Info("Cancelled.")
			return
		}
		w.leave()
	})
	p.status = xwidget.NewStatus()
	p.form = container.NewStack()
	p.content = container.NewVBox(
		heading("Connect another OAuth 1.0a provider"),
		para("lpdesk signs with your own application, registered in the provider's developer pages. "+
			"Its consumer secret or private key goes to this computer's keyring, never to a file."),
		p.form,
		container.NewHBox(p.submitBtn, p.backBtn, layoutSpacer(), p.cancelBtn),
		p.status,
	)
	return p
}

// watch makes Enter submit and clears an entry's mark once it is edited.
func (p *providerPage) watch(e *xwidget.Entry) {
	e.AlwaysShowValidationError = true
	e.OnSubmitted = func(string) { p.submit() }
	e.OnChanged = func(string) { e.SetValidationError(nil) }
}

// chosen is the provider picked, if any.
func (p *providerPage) chosen() (Provider, bool) {
	i := p.choice.SelectedIndex()
	if i < 0 || i >= len(p.providers) {
		return Provider{}, false
	}
	return p.providers[i], true
}

// sigMethod is the signature method the page's choice signs with.
func (p *providerPage) sigMethod() oauthsig.Method {
	if pr, ok := p.chosen(); ok && !pr.Custom() && pr.Method != "" {
		return pr.Method
	}
	return oauthsig.Method(p.method.Selected)
}

func (p *providerPage) tokensMode() bool { return p.mode.Selected == modeTokens }

// chose starts a provider on the way it usually hands out its values.
func (p *providerPage) chose() {
	if pr, ok := p.chosen(); ok {
		if pr.FourValues {
			p.mode.Selected = modeTokens
		} else {
			p.mode.Selected = modeAuthorize
		}
		p.mode.Refresh()
		if pr.Method != "" {
			p.method.Selected = string(pr.Method)
			p.method.Refresh()
		}
	}
	p.rebuild()
}

// rebuild shows the fields the choice needs, and nothing else.
func (p *providerPage) rebuild() {
	pr, ok := p.chosen()
	var items []*widget.FormItem
	p.shown = p.shown[:0]
	add := func(label string, o fyne.CanvasObject, hint string) {
		it := widget.NewFormItem(label, o)
		it.HintText = hint
		items = append(items, it)
		p.shown = append(p.shown, label)
	}
	provider := widget.NewFormItem("Provider", p.choice)
	if !ok {
		provider.HintText = "Presets know their provider's addresses and signature method; Custom takes them field by field."
		p.submitBtn.Hide()
		p.form.Objects = []fyne.CanvasObject{widget.NewForm(provider)}
		p.form.Refresh()
		return
	}
	// Every item keeps its hint, or its lack of one, whatever the choice:
	// the form wraps a widget with a hint, and a widget moved between a
	// wrapper and the grid is drawn where it last was.
	switch provider.HintText = pr.Note; {
	case pr.Note != "":
	case pr.Custom():
		provider.HintText = "Type what the provider's documentation gives for its endpoints."
	default:
		provider.HintText = "lpdesk knows its addresses and signature method."
	}
	items = append(items, provider)
	if u, err := url.Parse(pr.DocURL); err == nil && pr.DocURL != "" {
		p.doc.SetText(pr.DocURL)
		p.doc.SetURL(u)
		items = append(items, widget.NewFormItem("Reference", p.doc))
	}
	p.submitBtn.Show()
	add("Connect by", p.mode, "")
	tokens := p.tokensMode()
	if pr.Custom() || pr.asks(FieldBaseURL) {
		hint := "The address the API's paths are relative to."
		if !pr.Custom() {
			hint = "Your server's root address."
		}
		add("Base URL", p.baseURL, hint)
	}
	if pr.asks(FieldAccountID) {
		add("Account ID", p.accountID, "")
	}
	if pr.Custom() {
		if !tokens {
			add("Request-token URL", p.requestURL, "")
			add("Authorize URL", p.authorizeURL, "")
			add("Access-token URL", p.accessURL, "")
		}
		add("Signature method", p.method, "")
		add("Realm", p.realm, "")
		add("Body hash", p.bodyHash, "")
		add("Credentials in", p.placement, "")
	}
	add("Consumer key", p.consumerKey, "")
	m := p.sigMethod()
	if m.IsRSA() {
		add("Private key file", container.NewBorder(nil, nil, nil, p.chooseKey, p.keyFile),
			string(m)+" signs with it: PEM, PKCS#1 or PKCS#8, not encrypted. Kept in the keyring.")
	} else {
		add("Consumer secret", p.consumerSecret, "")
	}
	if tokens {
		add("Access token", p.token, "")
		add("Token secret", p.tokenSecret, "")
		if pr.Custom() {
			add("Check URL", p.checkURL, "lpdesk reads it once with the four values to prove they work.")
		}
	}
	add("Profile name", p.profile, "")
	if tokens {
		p.submitBtn.SetText("Install")
		p.submitBtn.SetIcon(theme.ConfirmIcon())
	} else {
		p.submitBtn.SetText(modeAuthorize)
		p.submitBtn.SetIcon(theme.LoginIcon())
	}
	p.form.Objects = []fyne.CanvasObject{widget.NewForm(items...)}
	p.form.Refresh()
}

// pickKeyFile chooses the private key file with the system's file dialog;
// only its path is kept on the page.
func (p *providerPage) pickKeyFile() {
	dlg := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		_ = r.Close()
		p.keyFile.SetText(r.URI().Path())
	}, p.w.d.win)
	dlg.Resize(fyne.NewSize(800, 520))
	p.w.d.showDialog(dlg)
}

// fieldError is a value the page refuses, with the entry to mark.
type fieldError struct {
	entry *xwidget.Entry
	msg   string
}

// request reads the page. The private key file is read later, off the UI
// goroutine; errs lists every field refused, in the page's order.
func (p *providerPage) request() (ProviderRequest, []fieldError) {
	pr, ok := p.chosen()
	if !ok {
		return ProviderRequest{}, []fieldError{{nil, "Choose a provider, or Custom."}}
	}
	text := func(e *xwidget.Entry) string { return strings.TrimSpace(e.Text) }
	req := ProviderRequest{Provider: pr.ID, Profile: text(p.profile), ConsumerKey: text(p.consumerKey)}
	var errs []fieldError
	refuse := func(e *xwidget.Entry, msg string) { errs = append(errs, fieldError{e, msg}) }
	m := p.sigMethod()
	// urlField checks one address; PLAINTEXT puts the secrets on the wire
	// as the signature, so it is refused on anything but https.
	urlField := func(e *xwidget.Entry, name string, required bool) string {
		s := text(e)
		switch msg := checkURL(s, required); {
		case msg != "":
			refuse(e, name+": "+msg)
		case s != "" && m.SendsSecrets() && strings.HasPrefix(strings.ToLower(s), "http:"):
			refuse(e, name+": PLAINTEXT sends the consumer and token secrets as the signature, so lpdesk uses it over https only.")
		}
		return s
	}
	tokens := p.tokensMode()
	if pr.Custom() || pr.asks(FieldBaseURL) {
		req.BaseURL = urlField(p.baseURL, "Base URL", true)
	}
	if pr.asks(FieldAccountID) {
		if req.AccountID = text(p.accountID); req.AccountID == "" {
			refuse(p.accountID, "Enter the account ID.")
		}
	}
	if pr.Custom() {
		if !tokens {
			req.RequestTokenURL = urlField(p.requestURL, "Request-token URL", true)
			req.AuthorizeURL = urlField(p.authorizeURL, "Authorize URL", true)
			req.AccessTokenURL = urlField(p.accessURL, "Access-token URL", true)
		}
		req.Method = m
		req.Realm = text(p.realm)
		req.BodyHash = p.bodyHash.Checked
		req.Placement = placementChoices[max(p.placement.SelectedIndex(), 0)].p
		if tokens {
			req.CheckURL = urlField(p.checkURL, "Check URL", false)
		}
	}
	if req.ConsumerKey == "" {
		refuse(p.consumerKey, "Enter the application's consumer key.")
	}
	if m.IsRSA() {
		if text(p.keyFile) == "" {
			refuse(p.keyFile, "Choose the application's private key file ("+string(m)+" signs with it).")
		}
	} else if req.ConsumerSecret = p.consumerSecret.Text; strings.TrimSpace(req.ConsumerSecret) == "" {
		refuse(p.consumerSecret, "Enter the application's consumer secret.")
	}
	if tokens {
		if text(p.token) == "" {
			refuse(p.token, "Enter the access token.")
		}
		if strings.TrimSpace(p.tokenSecret.Text) == "" {
			refuse(p.tokenSecret, "Enter the access token's secret.")
		}
	}
	return req, errs
}

// checkURL says what is wrong with an address typed on the page, or "".
func checkURL(s string, required bool) string {
	if s == "" {
		if required {
			return "enter an address."
		}
		return ""
	}
	u, err := url.Parse(s)
	switch {
	case err != nil, u.Host == "":
		return "not an address; type it whole, e.g. https://api.example.com/oauth/request_token."
	case u.Scheme != "http" && u.Scheme != "https":
		return "lpdesk speaks http and https, not " + u.Scheme + "."
	}
	return ""
}

// submit checks the page, then starts the browser authorization or
// installs the four values.
func (p *providerPage) submit() {
	w := p.w
	if w.busy {
		return
	}
	req, errs := p.request()
	if len(errs) > 0 {
		for _, e := range errs {
			if e.entry != nil {
				e.entry.SetValidationError(errors.New(e.msg))
			}
		}
		if first := errs[0].entry; first != nil {
			w.d.win.Canvas().Focus(first)
		}
		w.fail(p.status, errs[0].msg, nil)
		return
	}
	keyFile := strings.TrimSpace(p.keyFile.Text)
	rsa := p.sigMethod().IsRSA()
	tokens := p.tokensMode()
	token, tokenSecret := strings.TrimSpace(p.token.Text), p.tokenSecret.Text
	ctx, gen := w.begin()
	if tokens {
		p.status.Busy("Checking the four values and saving the profile…")
	} else {
		p.status.Busy("Asking the provider for a request token…")
	}
	w.d.bg(func(context.Context) func() {
		var (
			auth   Authorization
			in     Installed
			err    error
			keyBad bool
		)
		if rsa {
			req.PrivateKeyPEM, err = readPrivateKey(keyFile)
			keyBad = err != nil
		}
		switch {
		case err != nil:
		case tokens:
			in, err = w.d.be.InstallTokens(ctx, req, token, tokenSecret)
		default:
			auth, err = w.d.be.BeginProvider(ctx, req)
		}
		return func() {
			if !w.end(gen) {
				if auth != nil {
					auth.Cancel()
				}
				return
			}
			switch {
			case keyBad:
				p.keyFile.SetValidationError(err)
				w.d.win.Canvas().Focus(p.keyFile)
				w.fail(p.status, err.Error(), nil)
			case err != nil:
				w.fail(p.status, describe(err), p.submit)
			case tokens:
				p.status.Clear()
				w.finish(in)
			default:
				p.status.Clear()
				w.back = w.showProvider
				w.startFlow(auth)
			}
		}
	})
}

// readPrivateKey reads and checks the PEM private key at path. The key
// goes from here to the backend (and the keyring) only.
func readPrivateKey(path string) ([]byte, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the private key file could not be read: %w", err)
	}
	if _, err := oauthsig.ParsePrivateKey(pem); err != nil {
		if errors.Is(err, oauthsig.ErrEncryptedKey) {
			return nil, fmt.Errorf("the private key in %s is encrypted; lpdesk needs it without a passphrase "+
				"(openssl pkey -in %s -out plain.pem), and keeps it in the keyring", path, path)
		}
		return nil, fmt.Errorf("%s is not a PEM private key (PKCS#1 or PKCS#8): %w", path, err)
	}
	return pem, nil
}
