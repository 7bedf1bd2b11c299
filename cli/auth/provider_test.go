package auth_test

import (
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/store"
)

const extSecret = "ext-app-secret-31415"

// setupExt starts a sandbox with an application of the admin's own that
// signs with HMAC-SHA256 and a required realm, the way NetSuite wants.
func setupExt(t *testing.T) (srvURL, dir, secretFile string, sb *sandbox.Server) {
	t.Helper()
	keyring.MockInit()
	dir = t.TempDir()
	t.Setenv("LPDESK_CONFIG_DIR", dir)
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 8
	cfg.Apps = []sandbox.App{{Name: "ext", Key: "ext", Secret: extSecret, Method: oauthsig.HMACSHA256, Realm: "R1"}}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	secretFile = filepath.Join(t.TempDir(), "app.secret")
	if err := os.WriteFile(secretFile, []byte(extSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL, dir, secretFile, sb
}

// The three-legged flow with another provider's application, then status
// and logout: the application's secret lives in its own keyring item,
// named (never shown) by status, and logout removes both items.
func TestLoginCustomProviderFlowStatusLogout(t *testing.T) {
	u, dir, secretFile, _ := setupExt(t)
	pr, pw := io.Pipe()
	var verifier string
	r := run(t, pr, false, func(au string) {
		verifier = approve(t, au, false)
		fmt.Fprintln(pw, verifier)
	}, "login", "--provider", "custom", "--base-url", u+"/api/echo",
		"--request-token-url", u+"/oauth/request_token", "--authorize-url", u+"/oauth/authorize", "--access-token-url", u+"/oauth/access_token",
		"--app-key", "ext", "--app-secret-file", secretFile, "--signature-method", "hmac-sha256", "--realm", "R1",
		"--check-url", u+"/api/echo/check", "--authorize-param", "scope=read", "--oob", "--profile", "ext")
	pw.Close()
	if r.code != 0 {
		t.Fatalf("login exit %d\n%s", r.code, r.errOut)
	}
	tokenSecret, err := keyring.Get("lpdesk", "ext")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := keyring.Get("lpdesk", "ext:app"); err != nil || v != extSecret {
		t.Fatalf("application item: %v", err)
	}
	assertNoSecrets(t, r, dir, extSecret, tokenSecret, verifier)
	if strings.Contains(r.errOut, "without a check") {
		t.Errorf("a checked token was called unchecked:\n%s", r.errOut)
	}

	st := run(t, nil, false, nil, "status", "--profile", "ext")
	for _, want := range []string{"provider:     custom", "dialect:      generic", "signature:    HMAC-SHA256", "realm:        R1",
		"placement:    header", "application:  ext (its own; secret in " + store.SystemKeyring(0).Locate("ext:app") + ")",
		"access:       ok (GET " + u + "/api/echo/check"} {
		if !strings.Contains(st.out, want) {
			t.Errorf("status lacks %q:\n%s", want, st.out)
		}
	}
	if st.code != 0 || strings.Contains(st.out, "account:") {
		t.Errorf("status exit %d:\n%s", st.code, st.out)
	}
	assertNoSecrets(t, st, dir, extSecret, tokenSecret)

	lo := run(t, nil, false, nil, "logout", "--profile", "ext")
	if lo.code != 0 || !strings.Contains(lo.out, "application secret") {
		t.Fatalf("logout exit %d\n%s", lo.code, lo.out)
	}
	for _, item := range []string{"ext", "ext:app"} {
		if _, err := keyring.Get("lpdesk", item); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("item %s survived logout: %v", item, err)
		}
	}
}

// The four values: the token secret from stdin, checked with one signed GET
// when there is a check URL, and saved with a warning when there is none.
func TestLoginFourValues(t *testing.T) {
	u, dir, secretFile, sb := setupExt(t)
	token, tokenSecret, err := sb.InstallApp("ext")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"login", "--provider", "custom", "--base-url", u + "/api/echo", "--app-key", "ext", "--app-secret-file", secretFile,
		"--signature-method", "HMAC-SHA256", "--realm", "R1", "--token", token, "--token-secret-file", "-"}
	r := run(t, strings.NewReader(tokenSecret+"\n"), false, nil, append(args, "--check-url", u+"/api/echo/me", "--profile", "checked")...)
	if r.code != 0 || strings.Contains(r.errOut, "without a check") {
		t.Fatalf("login exit %d\n%s", r.code, r.errOut)
	}
	if v, _ := keyring.Get("lpdesk", "checked"); v != tokenSecret {
		t.Errorf("token secret in the keyring = %q", v)
	}
	assertNoSecrets(t, r, dir, extSecret, tokenSecret)

	// A wrong token secret is refused by the check, and nothing is saved.
	bad := run(t, strings.NewReader("wrong-secret\n"), false, nil, append(args, "--check-url", u+"/api/echo/me", "--profile", "bad")...)
	if bad.code != 1 || !strings.Contains(bad.errOut, "does not work") {
		t.Errorf("wrong token secret: exit %d\n%s", bad.code, bad.errOut)
	}
	if _, err := keyring.Get("lpdesk", "bad:app"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("application item kept for a refused token: %v", err)
	}

	un := run(t, strings.NewReader(tokenSecret+"\n"), false, nil, append(args, "--profile", "unchecked")...)
	if un.code != 0 || !strings.Contains(un.errOut, "saved without a check") {
		t.Errorf("unchecked: exit %d\n%s", un.code, un.errOut)
	}
	st := run(t, nil, false, nil, "status", "--profile", "unchecked")
	if st.code != 0 || !strings.Contains(st.out, "access:       not checked") {
		t.Errorf("status of an unchecked profile: %d\n%s", st.code, st.out)
	}
}

func TestLoginProviderFlagErrors(t *testing.T) {
	_, _, secretFile, _ := setupExt(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--provider", "myspace", "--app-key", "k", "--app-secret-file", secretFile}, "unknown provider"},
		{[]string{"--provider", "x"}, "--app-key"},
		{[]string{"--provider", "x", "--app-key", "k"}, "exactly one"},
		{[]string{"--provider", "x", "--app-key", "k", "--app-secret-file", secretFile, "--app-private-key", secretFile}, "exactly one"},
		{[]string{"--provider", "x", "--server", "https://x", "--app-key", "k", "--app-secret-file", secretFile}, "--base-url"},
		{[]string{"--provider", "x", "--app-key", "k", "--app-secret-file", "-", "--oob"}, "stdin cannot carry both"},
		{[]string{"--provider", "x", "--app-key", "k", "--app-secret-file", "-", "--token", "t", "--token-secret-file", "-"}, "only one secret"},
		{[]string{"--provider", "x", "--app-key", "k", "--app-secret-file", secretFile, "--token", "t"}, "--token-secret-file"},
		{[]string{"--provider", "x", "--app-key", "k", "--app-secret-file", secretFile, "--token", "t", "--token-secret-file", "f", "--oob"}, "without the OAuth flow"},
		{[]string{"--provider", "x", "--app-key", "k", "--app-secret-file", secretFile, "--signature-method", "HMAC-MD5"}, "HMAC-SHA1"},
		{[]string{"--provider", "x", "--app-key", "k", "--app-secret-file", secretFile, "--authorize-param", "novalue"}, "NAME=VALUE"},
		{[]string{"--server", "http://x", "--account", "1", "--base-url", "http://y"}, "--base-url is for --provider"},
		{[]string{"--app-secret-file", secretFile, "--server", "http://x", "--account", "1"}, "--app-key too"},
	} {
		r := run(t, nil, false, nil, append([]string{"login"}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.errOut, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q:\n%s", c.args, r.code, c.want, r.errOut)
		}
	}
	// What a preset needs, asked for by flag when there is no terminal.
	r := run(t, nil, false, nil, "login", "--provider", "jira", "--app-key", "k", "--app-private-key", secretFile)
	if r.code != 1 || !strings.Contains(r.errOut, "--base-url") {
		t.Errorf("jira without base URL: exit %d\n%s", r.code, r.errOut)
	}
	r = run(t, nil, false, nil, "login", "--provider", "netsuite", "--app-key", "k", "--app-secret-file", secretFile)
	if r.code != 1 || !strings.Contains(r.errOut, "--account") {
		t.Errorf("netsuite without account: exit %d\n%s", r.code, r.errOut)
	}
	// A private key that is no key is refused without quoting it.
	r = run(t, nil, false, nil, "login", "--provider", "jira", "--base-url", "https://jira.example.com", "--app-key", "k", "--app-private-key", secretFile)
	if r.code != 1 || strings.Contains(r.errOut, extSecret) || !strings.Contains(r.errOut, "private key") {
		t.Errorf("bad PEM: exit %d\n%s", r.code, r.errOut)
	}
}
