package consoleclient_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
)

func newSandbox(t *testing.T) (*httptest.Server, consoleclient.Admin) {
	t.Helper()
	srv, err := sandbox.New(sandbox.DemoConfig())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, consoleclient.Admin{Server: ts.URL, User: "admin", Password: "demo"}
}

func oauthConfig(server, callback string) *oauth1.Config {
	return &oauth1.Config{
		ConsumerKey: assets.DemoConsumerKey, ConsumerSecret: assets.DemoConsumerSecret, CallbackURL: callback,
		Endpoint: oauth1.Endpoint{RequestTokenURL: server + "/oauth/request_token",
			AuthorizeURL: server + "/oauth/authorize", AccessTokenURL: server + "/oauth/access_token"},
		HTTPClient: &http.Client{Timeout: 10 * time.Second},
	}
}

func TestApproveOutOfBandReturnsAWorkingVerifier(t *testing.T) {
	ts, admin := newSandbox(t)
	cfg := oauthConfig(ts.URL, "oob")
	rt, rs, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	au, _ := cfg.AuthorizationURL(rt)
	v, err := admin.Approve(context.Background(), au.String())
	if err != nil || v == "" {
		t.Fatalf("Approve: %q, %v", v, err)
	}
	if _, _, err := cfg.AccessToken(rt, rs, v); err != nil {
		t.Fatalf("the verifier does not exchange: %v", err)
	}
}

func TestApproveWithCallbackDeliversTheVerifierThere(t *testing.T) {
	ts, admin := newSandbox(t)
	got := make(chan string, 1)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.Query().Get("oauth_verifier")
	}))
	defer cb.Close()
	cfg := oauthConfig(ts.URL, cb.URL+"/callback")
	rt, _, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	au, _ := cfg.AuthorizationURL(rt)
	if v, err := admin.Approve(context.Background(), au.String()); err != nil || v != "" {
		t.Fatalf("Approve: %q, %v (want the verifier at the callback, not here)", v, err)
	}
	select {
	case v := <-got:
		if v == "" {
			t.Fatal("the callback got no verifier")
		}
	default:
		t.Fatal("the callback was not called")
	}
}

func TestDenyWrongPasswordInstallRevoke(t *testing.T) {
	ts, admin := newSandbox(t)
	ctx := context.Background()
	cfg := oauthConfig(ts.URL, "oob")
	rt, _, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	au, _ := cfg.AuthorizationURL(rt)
	if err := admin.Deny(ctx, au.String()); err != nil {
		t.Fatalf("Deny: %v", err)
	}
	var se *consoleclient.StatusError
	if _, err := admin.Approve(ctx, au.String()); !errors.As(err, &se) || se.Status != http.StatusNotFound {
		t.Fatalf("approving a denied request: %v", err)
	}
	if _, err := admin.Approve(ctx, ts.URL+"/oauth/authorize"); !errors.Is(err, consoleclient.ErrNoRequestToken) {
		t.Fatalf("no token: %v", err)
	}
	wrong := admin
	wrong.Password = "nope"
	if _, err := wrong.Install(ctx, assets.DemoConsumerKey); !errors.As(err, &se) || se.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	code, err := admin.Install(ctx, assets.DemoConsumerKey)
	tok, _, ok := strings.Cut(code, ";")
	if err != nil || !ok || tok == "" {
		t.Fatalf("Install: %q, %v", code, err)
	}
	if err := admin.Revoke(ctx, tok); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if err := admin.Revoke(ctx, tok); !errors.As(err, &se) || se.Status != http.StatusNotFound {
		t.Fatalf("revoking twice: %v", err)
	}
	if err := admin.SetUnsigned(ctx, true); err != nil {
		t.Fatalf("SetUnsigned: %v", err)
	}
}

// TestRegisterAppThenInstall registers an HMAC-SHA256 application with a
// realm and body hash through the console and installs it; with a wrong
// password nothing is registered.
func TestRegisterAppThenInstall(t *testing.T) {
	_, admin := newSandbox(t)
	ctx := context.Background()
	app := consoleclient.App{Name: "NetSuite", Key: "ns", Method: "HMAC-SHA256", Secret: "ns-secret", Realm: "123_SB1", BodyHash: true}
	if err := admin.RegisterApp(ctx, app); err != nil {
		t.Fatalf("RegisterApp: %v", err)
	}
	code, err := admin.Install(ctx, "ns")
	if err != nil || !strings.Contains(code, ";") {
		t.Fatalf("Install: %q %v", code, err)
	}
	wrong := admin
	wrong.Password = "nope"
	var se *consoleclient.StatusError
	if err := wrong.RegisterApp(ctx, consoleclient.App{Key: "other", Secret: "s"}); !errors.As(err, &se) || se.Status != 401 {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := admin.Install(ctx, "other"); !errors.As(err, &se) || se.Status != 404 {
		t.Fatalf("the refused registration registered: %v", err)
	}
}
