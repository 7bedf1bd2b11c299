package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// openProvider goes from the account page to the provider page and picks
// the provider titled title.
func openProvider(t *testing.T, h *harness, title string) *providerPage {
	t.Helper()
	h.tap(h.d.wiz.accountPage.providerBtn)
	w := h.d.wiz
	if w.page != pageProvider {
		t.Fatalf("page %q after Another provider", w.page)
	}
	p := w.providerPage
	if title != "" {
		p.choice.SetSelected(title)
		h.settle()
	}
	return p
}

// fieldLabels are the labels a form item list would show.
var customFields = []string{"Connect by", "Base URL", "Request-token URL", "Authorize URL", "Access-token URL",
	"Signature method", "Realm", "Body hash", "Credentials in", "Consumer key", "Consumer secret", "Profile name"}

func TestProviderChoiceShowsExactlyItsFields(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	p := openProvider(t, h, "")
	if len(p.shown) != 0 || p.submitBtn.Visible() {
		t.Fatalf("before a choice the page shows %v", p.shown)
	}
	var titles []string
	for _, pr := range fakeProviders {
		titles = append(titles, pr.Title)
	}
	if !slices.Equal(p.choice.Options, titles) {
		t.Errorf("the picker lists %v, want %v", p.choice.Options, titles)
	}
	all := append(slices.Clone(customFields), "Account ID", "Private key file", "Access token", "Token secret", "Check URL")
	cases := []struct {
		title string
		want  []string
	}{
		{"X", []string{"Connect by", "Consumer key", "Consumer secret", "Profile name"}},
		{"Jira Data Center", []string{"Connect by", "Base URL", "Consumer key", "Private key file", "Profile name"}},
		{"NetSuite", []string{"Connect by", "Account ID", "Consumer key", "Consumer secret", "Profile name"}},
		{"Magento", []string{"Connect by", "Base URL", "Consumer key", "Consumer secret", "Access token", "Token secret", "Profile name"}},
		{"Custom provider", customFields},
	}
	for _, c := range cases {
		p.choice.SetSelected(c.title)
		h.settle()
		if !slices.Equal(p.shown, c.want) {
			t.Errorf("%s: fields %v, want %v", c.title, p.shown, c.want)
		}
		for _, label := range all {
			if on := slices.Contains(c.want, label); on != h.shows(label) {
				t.Errorf("%s: %q on screen = %v, want %v", c.title, label, !on, on)
			}
		}
		for _, pr := range fakeProviders {
			if pr.Title == c.title {
				h.mustShow(pr.Note) // its one-line note
			}
		}
	}
}

func TestProviderCustomRSAAsksForKeyFile(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, Options{})
	p := openProvider(t, h, "Custom provider")
	h.typeIn(p.baseURL, "https://api.provider.test/rest")
	h.typeIn(p.requestURL, "https://api.provider.test/oauth/request_token")
	h.typeIn(p.authorizeURL, "https://api.provider.test/oauth/authorize")
	h.typeIn(p.accessURL, "https://api.provider.test/oauth/access_token")
	h.typeIn(p.consumerKey, "my-app")
	p.method.SetSelected(string(oauthsig.RSASHA256))
	h.settle()
	if !slices.Contains(p.shown, "Private key file") || slices.Contains(p.shown, "Consumer secret") {
		t.Fatalf("RSA-SHA256 shows %v; want a key file instead of a secret", p.shown)
	}
	if findButton(h.w.Canvas().Content(), "Choose…") == nil {
		t.Error("no button to choose the key file")
	}

	h.tap(p.submitBtn)
	if f.count("BeginProvider") != 0 || !strings.Contains(p.status.ErrorText(), "private key file") {
		t.Fatalf("submitted without a key file (error %q)", p.status.ErrorText())
	}

	// A file that is not a key is refused on the page, the form kept.
	junk := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(junk, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.typeIn(p.keyFile, junk)
	h.tap(p.submitBtn)
	if f.count("BeginProvider") != 0 || !strings.Contains(p.status.ErrorText(), "not a PEM private key") {
		t.Fatalf("a non-key file: calls %v, error %q", f.calls, p.status.ErrorText())
	}

	keyPath, _ := filepath.Abs("../apiclient/oauthsig/testdata/rsa-pkcs8.pem")
	pem, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	h.typeIn(p.keyFile, keyPath)
	h.tap(p.submitBtn)
	if h.d.wiz.page != pageAuthorize {
		t.Fatalf("page %q: %s", h.d.wiz.page, p.status.ErrorText())
	}
	got := f.lastProvider
	if got.Provider != CustomProvider || got.Method != oauthsig.RSASHA256 || string(got.PrivateKeyPEM) != string(pem) ||
		got.ConsumerSecret != "" || got.AccessTokenURL != "https://api.provider.test/oauth/access_token" {
		t.Errorf("request %+v", got)
	}
	for _, line := range strings.Split(string(pem), "\n")[1:3] {
		h.mustNotShow(line)
	}
	h.mustShow("Sign in and approve the access")

	// Cancel goes back to the provider page, everything typed still there.
	h.tap(h.d.wiz.authorizePage.cancelBtn)
	if h.d.wiz.page != pageProvider || p.keyFile.Text != keyPath || p.consumerKey.Text != "my-app" || !f.auths[0].cancelled {
		t.Fatalf("cancel: page %q key %q", h.d.wiz.page, p.keyFile.Text)
	}
}

func TestProviderFormRefusesBadAddressesKeepingWhatWasTyped(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, Options{})
	p := openProvider(t, h, "Custom provider")
	h.typeIn(p.baseURL, "api.provider.test")
	h.typeIn(p.requestURL, "http://api.provider.test/rt")
	h.typeIn(p.authorizeURL, "http://api.provider.test/auth")
	h.typeIn(p.accessURL, "")
	h.typeIn(p.consumerKey, "my-app")
	h.typeIn(p.consumerSecret, "app-secret")
	p.consumerSecret.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter submits
	h.settle()
	if f.count("BeginProvider") != 0 {
		t.Fatal("an invalid form was submitted")
	}
	h.mustShow("Base URL: not an address")
	if p.baseURL.Validate(); p.baseURL.Text != "api.provider.test" {
		t.Error("the typed base URL was lost")
	}
	h.typeIn(p.baseURL, "http://api.provider.test")
	h.typeIn(p.accessURL, "http://api.provider.test/at")
	p.method.SetSelected(string(oauthsig.Plaintext))
	h.settle()
	h.tap(p.submitBtn)
	if f.count("BeginProvider") != 0 {
		t.Fatal("PLAINTEXT over http was submitted")
	}
	h.mustShow("PLAINTEXT sends the consumer and token secrets as the signature, so lpdesk uses it over https only")
	if p.consumerSecret.Text != "app-secret" || p.requestURL.Text != "http://api.provider.test/rt" {
		t.Error("the form was reset by a refusal")
	}
	// Over https the same form goes through.
	for _, e := range []struct {
		entry interface{ SetText(string) }
		url   string
	}{{p.baseURL, "https://api.provider.test"}, {p.requestURL, "https://api.provider.test/rt"},
		{p.authorizeURL, "https://api.provider.test/auth"}, {p.accessURL, "https://api.provider.test/at"}} {
		e.entry.SetText(e.url)
	}
	h.typeIn(p.realm, "Photos")
	p.bodyHash.SetChecked(true)
	p.placement.SetSelected("Form body")
	h.tap(p.submitBtn)
	if h.d.wiz.page != pageAuthorize {
		t.Fatalf("page %q: %s", h.d.wiz.page, p.status.ErrorText())
	}
	got := f.lastProvider
	if got.Method != oauthsig.Plaintext || got.Realm != "Photos" || !got.BodyHash || got.Placement != apiclient.PlaceForm ||
		got.ConsumerSecret != "app-secret" || got.BaseURL != "https://api.provider.test" {
		t.Errorf("request %+v", got)
	}
}

func TestProviderPresetAuthorizesToTheDonePage(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, Options{})
	p := openProvider(t, h, "NetSuite")
	h.typeIn(p.consumerKey, "ns-app")
	h.typeIn(p.consumerSecret, "ns-secret")
	h.typeIn(p.profile, "netsuite")
	h.tap(p.submitBtn)
	h.mustShow("Enter the account ID")
	h.typeIn(p.accountID, "TSTDRV123")
	h.tap(p.submitBtn)
	w := h.d.wiz
	if w.page != pageAuthorize {
		t.Fatalf("page %q: %s", w.page, p.status.ErrorText())
	}
	if got := f.lastProvider; got.Provider != "netsuite" || got.AccountID != "TSTDRV123" || got.Method != "" {
		t.Errorf("request %+v (a preset brings its own method)", got)
	}
	if len(h.opens) != 1 || h.opens[0] != f.auths[0].url {
		t.Errorf("browser opened %v", h.opens)
	}
	f.auths[0].ch <- CallbackResult{Verifier: "v-good"}
	h.until("done page", func() bool { return w.page == pageDone })
	h.mustShow("lpdesk is ready")
	h.mustNotShow("ns-secret")
}

func TestProviderFourValues(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, Options{})
	p := openProvider(t, h, "Custom provider")
	p.mode.SetSelected(modeTokens)
	h.settle()
	want := []string{"Connect by", "Base URL", "Signature method", "Realm", "Body hash", "Credentials in",
		"Consumer key", "Consumer secret", "Access token", "Token secret", "Check URL", "Profile name"}
	if !slices.Equal(p.shown, want) {
		t.Fatalf("four values shows %v, want %v", p.shown, want)
	}
	if !p.consumerSecret.Password || !p.tokenSecret.Password {
		t.Error("a secret is typed in the clear")
	}
	if p.submitBtn.Text != "Install" {
		t.Errorf("button %q", p.submitBtn.Text)
	}
	h.typeIn(p.baseURL, "https://api.provider.test")
	h.typeIn(p.consumerKey, "my-app")
	h.typeIn(p.consumerSecret, "app-secret")
	h.typeIn(p.token, "tok-1")
	h.typeIn(p.tokenSecret, "wrong")
	h.typeIn(p.checkURL, "https://api.provider.test/me")
	h.tap(p.submitBtn)
	if h.d.wiz.page != pageProvider || !p.status.Failed() || p.tokenSecret.Text != "wrong" {
		t.Fatalf("a refused set: page %q failed %v", h.d.wiz.page, p.status.Failed())
	}
	h.mustShow("refused the four values")
	h.typeIn(p.tokenSecret, fakeSecret)
	p.tokenSecret.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle()
	if h.d.wiz.page != pageDone {
		t.Fatalf("page %q: %s", h.d.wiz.page, p.status.ErrorText())
	}
	if got := f.lastProvider; got.CheckURL != "https://api.provider.test/me" || got.RequestTokenURL != "" {
		t.Errorf("request %+v", got)
	}
	h.mustNotShow(fakeSecret)
	if f.count("BeginProvider") != 0 {
		t.Error("the four-values path started a browser authorization")
	}
}

// A profile signing in a form body keeps it when another setting changes:
// Settings knew only the header and the query before.
func TestSettingsKeepTheFormPlacement(t *testing.T) {
	f := newFake()
	f.addProfile("photos", true)
	f.profiles[0].Placement = apiclient.PlaceForm
	h := newHarness(t, f, Options{})
	h.tap(h.d.br.settings)
	s := h.d.set
	if s.placement.Selected != "Form body" {
		t.Fatalf("placement shown as %q", s.placement.Selected)
	}
	s.format.SetSelected("XML")
	h.settle()
	if f.lastSet.Placement != apiclient.PlaceForm || f.lastSet.Format != "xml" {
		t.Fatalf("saved %+v", f.lastSet)
	}
}

// Setting up a provider's profile again goes to the provider page, not to
// the platform's account page.
func TestSetUpAgainOpensTheProviderPage(t *testing.T) {
	f := newFake()
	f.addProfile("photos", true)
	f.profiles[0].Provider, f.profiles[0].ConsumerKey, f.profiles[0].SignatureMethod = CustomProvider, "my-app", oauthsig.RSASHA256
	f.profiles[0].BaseURL = "https://api.provider.test/rest"
	f.revoked = true
	h := newHarness(t, f, Options{})
	br := h.d.br
	if !br.banner.Visible() {
		t.Fatal("no banner on a revoked token")
	}
	h.tap(br.setupBtn)
	w := h.d.wiz
	if w.page != pageProvider {
		t.Fatalf("page %q", w.page)
	}
	p := w.providerPage
	if pr, _ := p.chosen(); pr.ID != CustomProvider || p.baseURL.Text != "https://api.provider.test/rest" ||
		p.consumerKey.Text != "my-app" || p.profile.Text != "photos" || !slices.Contains(p.shown, "Private key file") {
		t.Errorf("prefilled: provider %q base %q key %q profile %q fields %v", pr.ID, p.baseURL.Text, p.consumerKey.Text, p.profile.Text, p.shown)
	}
}
