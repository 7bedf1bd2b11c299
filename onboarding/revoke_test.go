package onboarding

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/store"
)

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
