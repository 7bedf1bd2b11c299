//go:build keyring

// Run under a private D-Bus session with an unlocked gnome-keyring:
//
//	dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; go test -tags keyring ./cli/auth/...'
package auth_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/assets"
)

// The CLI against the real Secret Service: install with a console code,
// status, logout --revoke; the secret is in the keyring while the profile
// lives and gone afterwards, and never in a file or the output.
func TestRealKeyringLoginStatusLogout(t *testing.T) {
	tool, err := exec.LookPath("secret-tool")
	if err != nil {
		t.Skip("secret-tool not installed")
	}
	e := setup(t, false)
	token, secret, err := e.sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	lookup := func() string {
		out, _ := exec.Command(tool, "lookup", "service", "lpdesk", "username", "realcli").Output()
		return strings.TrimSpace(string(out))
	}
	r := runChild(t, token+";"+secret+"\n", nil, "login", "--code", "--server", e.url, "--account", "12345678", "--profile", "realcli")
	if r.code != 0 {
		t.Fatalf("login exit %d", r.code)
	}
	assertNoSecrets(t, r, e.dir, secret)
	if got := lookup(); got != secret {
		t.Fatalf("secret-tool lookup after login: %q", got)
	}
	if r := runChild(t, "", nil, "status", "--profile", "realcli"); r.code != 0 || !strings.Contains(r.out, "access:       ok") {
		t.Fatalf("status exit %d", r.code)
	}
	if r := runChild(t, "", nil, "logout", "--revoke", "--profile", "realcli"); r.code != 0 {
		t.Fatalf("logout exit %d", r.code)
	}
	if got := lookup(); got != "" {
		t.Fatal("keyring item survived logout --revoke")
	}
}
