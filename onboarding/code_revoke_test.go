package onboarding

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/store"
)

func TestParseCode(t *testing.T) {
	tok, sec, err := ParseCode("  abc123 ; s3cr3t-value \r\n")
	if err != nil || tok != "abc123" || sec != "s3cr3t-value" {
		t.Fatalf("ParseCode = %q %q %v", tok, sec, err)
	}
	for _, bad := range []string{"", "   \n", "only-a-token-s3cr3t", "a;b;s3cr3t", ";s3cr3t", "tok;", "tok;s3c r3t", "tok;s3cr3t\x00"} {
		_, _, err := ParseCode(bad)
		if !errors.Is(err, ErrBadCode) {
			t.Errorf("ParseCode(%q) = %v, want ErrBadCode", bad, err)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "s3c r3t") {
			t.Errorf("error echoes the secret: %v", err)
		}
	}
}

// install puts a working profile "work" into st with a code from the
// console and returns the token credentials.
func install(t *testing.T, sb *testSandbox, st *store.Store) (token, secret string) {
	t.Helper()
	token, secret, err := sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	p, err := InstallCode(context.Background(), opts(st, sb.URL), "\n "+token+";"+secret+" \n")
	if err != nil {
		t.Fatal(err)
	}
	if p.Token != token || p.BaseURL != sb.URL+"/api/account/12345678" {
		t.Fatalf("profile %+v", p)
	}
	return token, secret
}

func clientFor(t *testing.T, base, token, secret string) *apiclient.Client {
	t.Helper()
	c, err := apiclient.New(apiclient.Config{BaseURL: base, AccountID: "12345678", Credentials: apiclient.Credentials{
		ConsumerKey: assets.DemoConsumerKey, ConsumerSecret: assets.DemoConsumerSecret, Token: token, TokenSecret: secret}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestInstallCode(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	token, secret := install(t, sb, st)
	if v, err := st.Secret("work"); err != nil || v != secret {
		t.Fatalf("stored secret: %v", err)
	}
	assertNotInDir(t, st.Dir(), secret, assets.DemoConsumerSecret)

	// A code the provider does not know is refused and nothing is saved.
	st2 := newStore(t)
	_, err := InstallCode(context.Background(), opts(st2, sb.URL), token+";wrong-secret-value")
	if err == nil || strings.Contains(err.Error(), "wrong-secret-value") {
		t.Fatalf("InstallCode with a wrong secret = %v", err)
	}
	if ps, _, _ := st2.List(); len(ps) != 0 {
		t.Fatalf("profile saved for a bad code: %v", ps)
	}
	if _, err := InstallCode(context.Background(), opts(st2, sb.URL), "garbage"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("garbage code = %v", err)
	}
}

func TestRevoke(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	token, secret := install(t, sb, st)
	res, err := Revoke(context.Background(), st, "")
	if err != nil {
		t.Fatal(err)
	}
	if !res.ServerRevoked || !strings.Contains(res.Message(), "revoked") {
		t.Fatalf("result %+v", res)
	}
	if _, err := st.Get("work"); !errors.Is(err, store.ErrProfileNotFound) {
		t.Fatalf("profile after Revoke: %v", err)
	}
	if _, err := keyring.Get(store.Service, "work"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("keyring item after Revoke: %v", err)
	}
	// The provider no longer accepts the token.
	_, err = clientFor(t, sb.URL+"/api/account/12345678", token, secret).Get(context.Background(), "", nil)
	if !errors.Is(err, apiclient.ErrAccessRevoked) {
		t.Fatalf("old token after Revoke: %v", err)
	}
}

func TestRevokeWithoutProviderEndpoint(t *testing.T) {
	for name, status := range map[string]int{"no endpoint": http.StatusNotFound, "refuses": http.StatusInternalServerError} {
		t.Run(name, func(t *testing.T) {
			sb := startSandbox(t, func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/oauth/revoke" {
						http.Error(w, "nope", status)
						return
					}
					h.ServeHTTP(w, r)
				})
			})
			st := newStore(t)
			token, secret := install(t, sb, st)
			res, err := Revoke(context.Background(), st, "work")
			if err != nil {
				t.Fatal(err)
			}
			if res.ServerRevoked || !strings.Contains(res.Message(), "admin console") {
				t.Fatalf("result %+v / %s", res, res.Message())
			}
			if status == http.StatusNotFound && !strings.Contains(res.Detail, "no revocation endpoint") {
				t.Errorf("detail %q", res.Detail)
			}
			if _, err := st.Get("work"); !errors.Is(err, store.ErrProfileNotFound) {
				t.Fatal("profile kept although Revoke must delete locally")
			}
			// The grant really is still alive on the provider.
			if _, err := clientFor(t, sb.URL+"/api/account/12345678", token, secret).Get(context.Background(), "", nil); err != nil {
				t.Fatalf("token should still work on the server: %v", err)
			}
		})
	}
}

func TestSignOutKeepsServerGrant(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	token, secret := install(t, sb, st)
	p, err := SignOut(st, "work")
	if err != nil || p.Name != "work" {
		t.Fatal(p, err)
	}
	if _, err := keyring.Get(store.Service, "work"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("keyring item after SignOut: %v", err)
	}
	if _, err := clientFor(t, sb.URL+"/api/account/12345678", token, secret).Get(context.Background(), "", nil); err != nil {
		t.Fatalf("SignOut revoked the server grant: %v", err)
	}
}

func TestRevokedOnServerDetectedOnUse(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	token, _ := install(t, sb, st)
	c, p, err := OpenClient(context.Background(), st, "work")
	if err != nil {
		t.Fatal(err)
	}
	sb.RevokeToken(token)
	_, err = c.Get(context.Background(), "", nil)
	err = AccessRevoked(p, err)
	var are *AccessRevokedError
	if !errors.As(err, &are) || !errors.Is(err, apiclient.ErrAccessRevoked) {
		t.Fatalf("error %v", err)
	}
	if !strings.Contains(err.Error(), "access to account 12345678") || !strings.Contains(err.Error(), "lpdesk auth login") {
		t.Fatalf("message %q", err)
	}
	// Other errors pass through unchanged.
	other := errors.New("x")
	if AccessRevoked(p, other) != other {
		t.Fatal("AccessRevoked wrapped an unrelated error")
	}
	// Revoke of an already revoked token still cleans up and says so.
	res, err := Revoke(context.Background(), st, "work")
	if err != nil || !res.ServerRevoked || !strings.Contains(res.Detail, "already revoked") {
		t.Fatalf("Revoke of a revoked token: %+v %v", res, err)
	}
}

func TestOpenClientErrors(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	if _, _, err := OpenClient(context.Background(), st, ""); !errors.Is(err, store.ErrProfileNotFound) {
		t.Fatalf("no profiles: %v", err)
	}
	install(t, sb, st)
	_ = keyring.Delete(store.Service, "work")
	if _, _, err := OpenClient(context.Background(), st, "work"); !errors.Is(err, store.ErrNotFound) ||
		!strings.Contains(err.Error(), "lpdesk auth login") {
		t.Fatalf("missing secret: %v", err)
	}
	t.Setenv("LPDESK_CONSUMER_KEY", "other-app")
	t.Setenv("LPDESK_CONSUMER_SECRET", "other-secret")
	if _, _, err := OpenClient(context.Background(), st, "work"); err == nil || !strings.Contains(err.Error(), "other-app") {
		t.Fatalf("consumer mismatch: %v", err)
	}
}

func TestOpenBrowserPassesURLAsOneArgument(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("uses a fake xdg-open")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "args")
	script := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + out + ".tmp && mv " + out + ".tmp " + out + "\n"
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	u := "http://127.0.0.1:1/oauth/authorize?oauth_token=a b;$(touch x)&x=1"
	if err := OpenBrowser(u); err != nil {
		t.Fatal(err)
	}
	var got []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(out); err == nil {
			got = b
			break
		}
	}
	if string(got) != u+"\n" {
		t.Fatalf("opener got %q", got)
	}
	if err := OpenBrowser("file:///etc/passwd"); err == nil {
		t.Fatal("file URL accepted")
	}
}
