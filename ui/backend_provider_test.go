package ui

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/sandbox"
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
