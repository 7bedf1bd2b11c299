//go:build keyring

// Run under a private D-Bus session with an unlocked gnome-keyring:
//
//	dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; go test -tags keyring ./store/...'
package store

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestRealKeyringRoundTrip(t *testing.T) {
	if !usesSecretService() {
		t.Fatal("go-keyring's mock is active: a test that ran earlier in this process called keyring.MockInit")
	}
	kr := SystemKeyring(10 * time.Second)
	if err := Check(kr); err != nil {
		t.Fatalf("keyring not reachable (run under dbus-run-session with gnome-keyring): %v", err)
	}
	dir := t.TempDir()
	s, err := Open(dir, kr)
	if err != nil {
		t.Fatal(err)
	}
	name := "realtest-" + time.Now().Format("150405.000000")
	t.Cleanup(func() { _ = kr.Delete(name) })
	if err := s.Save(profile(name), testSecret); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Secret(name); err != nil || v != testSecret {
		t.Fatalf("Secret = %q, %v", v, err)
	}
	// Another client of the Secret Service sees the item under service
	// lpdesk, user = profile name.
	if tool, err := exec.LookPath("secret-tool"); err == nil {
		out, err := exec.Command(tool, "lookup", "service", Service, "username", name).Output()
		if err != nil || strings.TrimSpace(string(out)) != testSecret {
			t.Fatalf("secret-tool lookup: %q %v", out, err)
		}
	}
	assertNoSecretOnDisk(t, dir, testSecret)
	if err := s.Delete(name); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get(name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if err := kr.Delete(name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete = %v, want ErrNotFound", err)
	}
}
