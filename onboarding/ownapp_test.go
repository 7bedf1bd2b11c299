package onboarding

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/store"
)

// The platform with the admin's own application: the four values install
// and are checked with one signed GET, the client signs with the secret
// from the keyring (not the built-in one), and revoking removes both items.
func TestOwnApplicationOnThePlatform(t *testing.T) {
	cfg := sandbox.DemoConfig()
	cfg.Apps = []sandbox.App{{Name: "mine", Key: "my-app", Secret: "my-app-secret-4242"}}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	token, secret, err := sb.InstallApp("my-app")
	if err != nil {
		t.Fatal(err)
	}
	st := newStore(t)
	o := opts(st, srv.URL)
	o.ConsumerKey, o.ConsumerSecret = "my-app", "my-app-secret-4242"
	ctx := context.Background()

	bad := o
	bad.ConsumerSecret = "wrong"
	if _, err := InstallTokens(ctx, bad, token, secret); err == nil || !strings.Contains(err.Error(), "does not work") {
		t.Fatalf("wrong application secret accepted: %v", err)
	}
	if _, err := st.Get("work"); !errors.Is(err, store.ErrProfileNotFound) {
		t.Fatalf("a profile was saved for a token that does not work: %v", err)
	}

	p, err := InstallTokens(ctx, o, token, secret)
	if err != nil {
		t.Fatal(err)
	}
	if !p.AppCredentials || p.ConsumerKey != "my-app" || p.Generic() || !Verified(p) {
		t.Errorf("profile %+v", p)
	}
	assertNotInDir(t, st.Dir(), "my-app-secret-4242", secret)

	c, _, err := OpenClient(ctx, st, "work")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, "", nil); err != nil {
		t.Fatalf("client with the application from the keyring: %v", err)
	}
	// lpdesk's own application is not what signs: without the item the
	// profile cannot be used, and the error says what to do.
	_ = st.Keyring().Delete(store.AppItem("work"))
	if _, _, err := OpenClient(ctx, st, "work"); !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "--app-key my-app") {
		t.Errorf("OpenClient without the application item = %v", err)
	}
	_ = st.Keyring().Set(store.AppItem("work"), "my-app-secret-4242")

	res, err := Revoke(ctx, st, "work")
	if err != nil || !res.ServerRevoked {
		t.Fatalf("Revoke = %+v, %v", res, err)
	}
	for _, item := range []string{"work", store.AppItem("work")} {
		if _, err := st.Keyring().Get(item); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("item %s left after revoke: %v", item, err)
		}
	}
}
