package store

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// hangingBackend never answers until released, like a Secret Service
// waiting for an unlock prompt nobody sees.
type hangingBackend struct{ release chan struct{} }

func (h hangingBackend) Get(string, string) (string, error) { <-h.release; return "", nil }
func (h hangingBackend) Set(string, string, string) error   { <-h.release; return nil }
func (h hangingBackend) Delete(string, string) error        { <-h.release; return nil }

func TestHangingBackendTimesOut(t *testing.T) {
	h := hangingBackend{release: make(chan struct{})}
	t.Cleanup(func() { close(h.release) })
	kr := &systemKeyring{b: h, timeout: 20 * time.Millisecond}
	for op, f := range map[string]func() error{
		"set":    func() error { return kr.Set("p", "s") },
		"get":    func() error { _, err := kr.Get("p"); return err },
		"delete": func() error { return kr.Delete("p") },
	} {
		err := f()
		var te *TimeoutError
		if !errors.As(err, &te) || te.Op != op {
			t.Fatalf("%s: %v, want *TimeoutError", op, err)
		}
		for _, want := range []string{"unlock the login keyring", "org.freedesktop.secrets", "gnome-keyring-daemon"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: message %q lacks %q", op, err, want)
			}
		}
	}
	// Through a Store: a hanging keyring means no profile is written.
	dir := t.TempDir()
	s, _ := Open(dir, kr)
	var te *TimeoutError
	if err := s.Save(profile("work"), testSecret); !errors.As(err, &te) {
		t.Fatalf("Save = %v", err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("profile written although the keyring timed out")
	}
}

func TestClassify(t *testing.T) {
	var ue *UnavailableError
	if err := classify("get", keyring.ErrNotFound); !errors.Is(err, ErrNotFound) || errors.As(err, &ue) {
		t.Errorf("ErrNotFound → %v", err)
	}
	if err := classify("set", nil); err != nil {
		t.Errorf("nil → %v", err)
	}
	cases := map[string]struct {
		err  error
		want []string
	}{
		"dial": {&net.OpError{Op: "dial", Net: "unix", Err: errors.New("connect: connection refused")},
			[]string{"D-Bus session bus", "org.freedesktop.secrets", "gnome-keyring-daemon or KeePassXC"}},
		"no address": {errors.New("dbus: couldn't determine address of session bus"),
			[]string{"D-Bus session bus", "org.freedesktop.secrets"}},
		"dbus-launch missing": {&exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound},
			[]string{"D-Bus session bus"}},
		"locked": {errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"),
			[]string{"locked", "unlock the login keyring"}},
	}
	for name, c := range cases {
		err := classify("set", c.err)
		if !errors.As(err, &ue) {
			t.Errorf("%s: %v, want *UnavailableError", name, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", name, err, w)
			}
		}
	}
	if err := classify("get", errors.New("weird")); errors.As(err, &ue) || !strings.Contains(err.Error(), "keyring get: weird") {
		t.Errorf("unknown error → %v", err)
	}
}

// The tests below talk to the real go-keyring Secret Service provider in a
// child process, because godbus caches one session-bus connection per
// process and the environment decides which bus it reaches.

const helperEnv = "LPDESK_STORE_HELPER"

// TestHelperProcess is the child's body: it calls Set on the system keyring
// and prints the error's type and message.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "set" {
		t.Skip("helper for the real-keyring tests")
	}
	err := SystemKeyring(10*time.Second).Set("lpdesk-helper", "helper-secret")
	var ue *UnavailableError
	var te *TimeoutError
	switch {
	case err == nil:
		fmt.Println("RESULT nil")
	case errors.As(err, &ue):
		fmt.Println("RESULT unavailable", err)
	case errors.As(err, &te):
		fmt.Println("RESULT timeout", err)
	default:
		fmt.Println("RESULT other", err)
	}
}

func runHelper(t *testing.T, env []string) string {
	t.Helper()
	return runHelperVia(t, nil, append(env, "HOME="+t.TempDir()))
}

// runHelperVia runs the helper, behind the wrapper command when one is
// given (the wrapper runs "$@" after its own setup).
func runHelperVia(t *testing.T, wrapper []string, env []string) string {
	t.Helper()
	argv := append(append([]string(nil), wrapper...), os.Args[0], "-test.run=^TestHelperProcess$", "-test.v")
	cmd := exec.Command(argv[0], argv[1:]...)
	// GORACE: the race runtime otherwise sleeps a second at exit.
	cmd.Env = append(env, helperEnv+"=set", "GORACE=atexit_sleep_ms=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "RESULT ") {
			return strings.TrimPrefix(l, "RESULT ")
		}
	}
	t.Fatalf("helper printed no result:\n%s", out)
	return ""
}

// envWithout returns the environment minus the named variables.
func envWithout(names ...string) []string {
	var env []string
next:
	for _, kv := range os.Environ() {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		env = append(env, kv)
	}
	return env
}

func TestRealKeyringNonexistentSocket(t *testing.T) {
	skipWithoutSecretService(t)
	sock := filepath.Join(t.TempDir(), "no-such-bus")
	got := runHelper(t, append(envWithout("DBUS_SESSION_BUS_ADDRESS"), "DBUS_SESSION_BUS_ADDRESS=unix:path="+sock))
	// unavailable (not timeout): the failure is reported at once, not after 10 s.
	if !strings.HasPrefix(got, "unavailable") || !strings.Contains(got, "org.freedesktop.secrets") ||
		!strings.Contains(got, "gnome-keyring-daemon or KeePassXC") {
		t.Fatalf("Set with a missing bus socket: %s", got)
	}
}

func TestRealKeyringNoSessionBus(t *testing.T) {
	skipWithoutSecretService(t)
	if u, err := user.Current(); err == nil {
		if _, err := os.Stat(filepath.Join("/run/user", u.Uid, "bus")); err == nil {
			t.Skip("this machine has a per-user bus that godbus finds without the variable")
		}
	}
	got := runHelper(t, envWithout("DBUS_SESSION_BUS_ADDRESS"))
	if !strings.HasPrefix(got, "unavailable") || !strings.Contains(got, "DBUS_SESSION_BUS_ADDRESS is unset") ||
		!strings.Contains(got, "org.freedesktop.secrets") {
		t.Fatalf("Set without a session bus: %s", got)
	}
}

// A session bus on which nothing provides org.freedesktop.secrets (and no
// D-Bus activation can start it).
func TestRealKeyringBusWithoutSecretService(t *testing.T) {
	skipWithoutSecretService(t)
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon not installed")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+dir+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--print-address=1")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon address: %v", err)
	}
	got := runHelper(t, append(envWithout("DBUS_SESSION_BUS_ADDRESS"), "DBUS_SESSION_BUS_ADDRESS="+strings.TrimSpace(addr)))
	if !strings.HasPrefix(got, "unavailable") || !strings.Contains(got, "no Secret Service (org.freedesktop.secrets)") {
		t.Fatalf("Set on a bus without Secret Service: %s", got)
	}
}

// A login keyring that exists but is locked, with no way to show the unlock
// prompt (no display), as on a headless session: the error says to unlock
// it.
func TestRealKeyringLockedCollection(t *testing.T) {
	skipWithoutSecretService(t)
	for _, bin := range []string{"dbus-run-session", "gnome-keyring-daemon", "dbus-send"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed", bin)
		}
	}
	home := t.TempDir()
	env := append(envWithout("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "HOME", "XDG_DATA_HOME"), "HOME="+home)
	// First session: create the login keyring (password "pw") with an item.
	// gnome-keyring-daemon --unlock returns before its daemon owns
	// org.freedesktop.secrets; a client that calls in between has D-Bus
	// activate a second, locked daemon. Wait for the owner first.
	unlocked := []string{"dbus-run-session", "--", "sh", "-c",
		`echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; ` + waitForSecretService + `; exec "$@"`, "sh"}
	if got := runHelperVia(t, unlocked, env); got != "nil" {
		t.Skipf("could not create a login keyring: %s", got)
	}
	if _, err := os.Stat(filepath.Join(home, ".local/share/keyrings/login.keyring")); err != nil {
		t.Skipf("no login keyring created: %v", err)
	}
	// Second session: the daemon starts with the keyring locked.
	locked := []string{"dbus-run-session", "--", "sh", "-c",
		`gnome-keyring-daemon --start --components=secrets >/dev/null; exec "$@"`, "sh"}
	got := runHelperVia(t, locked, env)
	if !strings.HasPrefix(got, "unavailable") || !strings.Contains(got, "locked") || !strings.Contains(got, "unlock the login keyring") {
		t.Fatalf("Set on a locked keyring: %s", got)
	}
}

// waitForSecretService is shell that waits (up to 5 s) until a process owns
// org.freedesktop.secrets on the session bus, without activating one.
const waitForSecretService = `i=0; while [ $i -lt 50 ]; do ` +
	`dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus ` +
	`org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true && break; ` +
	`sleep 0.1; i=$((i+1)); done`
