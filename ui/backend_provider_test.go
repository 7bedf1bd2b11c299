package ui

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
)

// A custom provider through the wizard against the real core and an
// in-process sandbox with an application of the user's own (HMAC-SHA256).
func TestIntegrationCustomProviderWizard(t *testing.T) {
	const appKey, appSecret = "my-own-app", "my-own-app-secret-value"
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 2
	cfg.Apps = []sandbox.App{{Name: "Mine", Key: appKey, Secret: appSecret}}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	server := srv.URL
	st := memStore(t)
	h := newHarness(t, NewBackend(BackendConfig{Store: st}), Options{})
	p := openProvider(t, h, "Custom: type its endpoints")
	h.typeIn(p.baseURL, server+"/api/account/12345678")
	h.typeIn(p.requestURL, server+"/oauth/request_token")
	h.typeIn(p.authorizeURL, server+"/oauth/authorize")
	h.typeIn(p.accessURL, server+"/oauth/access_token")
	p.method.SetSelected(string(oauthsig.HMACSHA256))
	h.typeIn(p.consumerKey, appKey)
	h.typeIn(p.consumerSecret, appSecret)
	h.typeIn(p.profile, "mine")
	h.tap(p.submitBtn)
	w := h.d.wiz
	if w.page != pageAuthorize {
		t.Fatalf("page %q: %s", w.page, p.status.ErrorText())
	}
	consoleApprove(t, w.auth.AuthorizeURL())
	h.until("done page", func() bool { return w.page == pageDone || w.authorizePage.status.Failed() })
	if w.page != pageDone {
		t.Fatalf("authorization failed: %s", w.authorizePage.status.ErrorText())
	}
	h.mustShow("Application secret (consumer key " + appKey + "): process memory, item mine:app")
	h.mustNotShow(appSecret)

	prof, err := st.Get("mine")
	if err != nil {
		t.Fatal(err)
	}
	if prof.Provider != CustomProvider || prof.Dialect != apiclient.DialectGeneric || prof.SignatureMethod != oauthsig.HMACSHA256 ||
		!prof.AppCredentials || prof.ConsumerKey != appKey || prof.BaseURL != server+"/api/account/12345678" ||
		prof.Endpoints.AccessToken != server+"/oauth/access_token" {
		t.Errorf("saved profile %+v", prof)
	}
	if s, err := st.AppSecret("mine"); err != nil || s != appSecret {
		t.Errorf("application secret in the keyring: %q, %v", s, err)
	}
	file, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(file), appSecret) {
		t.Error("the application secret is in the profiles file")
	}
}

// An RSA-SHA256 application with a required realm, registered with the
// sandbox by its public key: the wizard reads the private key file, the
// profile signs with it, and the echo resource (the sandbox's stand-in for
// any other provider's API) accepts the window's requests.
func TestIntegrationCustomProviderRSAWizard(t *testing.T) {
	pubPEM, err := os.ReadFile("../apiclient/oauthsig/testdata/rsa-public.pem")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := oauthsig.ParsePublicKey(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	keyPath, _ := filepath.Abs("../apiclient/oauthsig/testdata/rsa-pkcs8.pem")
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 2
	cfg.Apps = []sandbox.App{{Name: "Mine", Key: "rsa-app", Method: oauthsig.RSASHA256, PublicKey: pub, Realm: "Photos"}}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	server := srv.URL
	st := memStore(t)
	h := newHarness(t, NewBackend(BackendConfig{Store: st}), Options{})
	p := openProvider(t, h, "Custom: type its endpoints")
	h.typeIn(p.baseURL, server+"/api/echo/")
	h.typeIn(p.requestURL, server+"/oauth/request_token")
	h.typeIn(p.authorizeURL, server+"/oauth/authorize")
	h.typeIn(p.accessURL, server+"/oauth/access_token")
	p.method.SetSelected(string(oauthsig.RSASHA256))
	h.typeIn(p.realm, "Photos")
	h.typeIn(p.consumerKey, "rsa-app")
	h.typeIn(p.keyFile, keyPath)
	h.typeIn(p.profile, "photos")
	h.tap(p.submitBtn)
	w := h.d.wiz
	if w.page != pageAuthorize {
		t.Fatalf("page %q: %s", w.page, p.status.ErrorText())
	}
	consoleApprove(t, w.auth.AuthorizeURL())
	h.until("done page", func() bool { return w.page == pageDone || w.authorizePage.status.Failed() })
	if w.page != pageDone {
		t.Fatalf("authorization failed: %s", w.authorizePage.status.ErrorText())
	}
	h.mustShow("Application private key (consumer key rsa-app)")
	prof, err := st.Get("photos")
	if err != nil || prof.SignatureMethod != oauthsig.RSASHA256 || prof.Realm != "Photos" || !prof.AppCredentials {
		t.Fatalf("saved profile %+v, %v", prof, err)
	}
	if s, err := st.AppSecret("photos"); err != nil || !strings.Contains(s, "PRIVATE KEY") {
		t.Errorf("the private key is not in the keyring (%v)", err)
	}

	h.tap(w.donePage.openBtn)
	br := h.d.br
	br.navigate("hello?a=1&a=2", true)
	h.settle()
	r := br.current
	if r == nil || r.Status != 200 || !strings.Contains(string(r.Body), `"signatureMethod":"RSA-SHA256"`) ||
		!strings.Contains(string(r.Body), `"realm":"Photos"`) {
		t.Fatalf("echo answered %v: %s (%s)", r, r.Body, br.status.ErrorText())
	}
	if r.Signed == nil || r.Signed.SignatureMethod != oauthsig.RSASHA256 || br.sig.base.Text != r.Signed.BaseString {
		t.Errorf("the signature section does not show the RSA request: %+v", r.Signed)
	}

	// Settings say which provider and method, and where the key is kept.
	h.tap(br.settings)
	h.mustShow("RSA-SHA256")
	h.mustShow("Application private key")
	h.mustShow("item photos:app")
	for _, line := range strings.Split(mustRead(t, keyPath), "\n")[1:3] {
		h.mustNotShow(line)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// All four values of an application the admin installed in the sandbox's
// console, checked with one signed GET of the echo resource.
func TestIntegrationFourValuesWizard(t *testing.T) {
	const appKey, appSecret = "four-app", "four-app-secret-value"
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 2
	cfg.Apps = []sandbox.App{{Name: "Four", Key: appKey, Secret: appSecret, Method: oauthsig.HMACSHA256}}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	code, err := consoleclient.Admin{Server: srv.URL, User: "admin", Password: "demo"}.Install(context.Background(), appKey)
	if err != nil {
		t.Fatal(err)
	}
	token, tokenSecret, _ := strings.Cut(strings.TrimSpace(code), ";")
	st := memStore(t)
	h := newHarness(t, NewBackend(BackendConfig{Store: st}), Options{})
	p := openProvider(t, h, "Custom: type its endpoints")
	p.mode.SetSelected(modeTokens)
	h.settle()
	h.typeIn(p.baseURL, srv.URL+"/api/echo/")
	p.method.SetSelected(string(oauthsig.HMACSHA256))
	h.typeIn(p.consumerKey, appKey)
	h.typeIn(p.consumerSecret, appSecret)
	h.typeIn(p.token, token)
	h.typeIn(p.tokenSecret, "not-"+tokenSecret)
	h.typeIn(p.checkURL, srv.URL+"/api/echo/me")
	h.typeIn(p.profile, "four")
	h.tap(p.submitBtn)
	if h.d.wiz.page != pageProvider || !p.status.Failed() {
		t.Fatalf("a wrong token secret was accepted (page %q)", h.d.wiz.page)
	}
	t.Logf("refusal shown: %s", p.status.ErrorText())
	if _, err := st.Get("four"); err == nil {
		t.Error("a refused set of values was saved")
	}
	h.typeIn(p.tokenSecret, tokenSecret)
	h.tap(p.submitBtn)
	if h.d.wiz.page != pageDone {
		t.Fatalf("page %q: %s", h.d.wiz.page, p.status.ErrorText())
	}
	prof, err := st.Get("four")
	if err != nil || prof.Token != token || prof.CheckURL != srv.URL+"/api/echo/me" {
		t.Fatalf("saved profile %+v, %v", prof, err)
	}
	h.mustNotShow(tokenSecret)
	h.mustNotShow(appSecret)
}
