package onboarding

import (
	"context"
	"errors"
	"strings"
	"testing"

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
