package store

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service name every lpdesk secret is stored under;
// the item's user name is the profile name.
const Service = "lpdesk"

// secretServiceName is the D-Bus name of the freedesktop Secret Service that
// go-keyring talks to on Linux and the BSDs.
const secretServiceName = "org.freedesktop.secrets"

// DefaultKeyringTimeout bounds every keyring call when neither the caller nor
// LPDESK_KEYRING_TIMEOUT says otherwise. A locked collection can keep a call
// waiting for an unlock prompt forever; 15 s leaves a person time to answer
// the prompt.
const DefaultKeyringTimeout = 15 * time.Second

// ErrNotFound reports that the keyring holds no secret for the profile. It is
// distinct from an unreachable keyring (*UnavailableError).
var ErrNotFound = errors.New("no secret in the keyring for this profile")

// UnavailableError reports that no usable keyring answered: no D-Bus session,
// no Secret Service on it, or a collection that stays locked. Its message
// says what to do.
type UnavailableError struct {
	// Reason is what is missing, e.g. "no D-Bus session bus".
	Reason string
	// Hint is what the user can do about it.
	Hint string
	// Err is the underlying error, if any (never contains a secret).
	Err error
}

// Error says what is missing and what to do, naming the Secret Service.
func (e *UnavailableError) Error() string {
	return fmt.Sprintf("OS keyring unavailable: %s; %s", e.Reason, e.Hint)
}

// Unwrap returns the backend's error.
func (e *UnavailableError) Unwrap() error { return e.Err }

// TimeoutError reports a keyring call that did not finish in time, typically
// because the keyring is waiting for an unlock prompt nobody answers.
type TimeoutError struct {
	// Op is the keyring operation: "get", "set" or "delete".
	Op string
	// After is the timeout that elapsed.
	After time.Duration
}

// Error says which call timed out and what to unlock or start.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("OS keyring did not answer %s within %s: unlock the login keyring if it is asking for a password, "+
		"or start gnome-keyring-daemon or KeePassXC with Secret Service enabled (%s); "+
		"LPDESK_KEYRING_TIMEOUT or --keyring-timeout raises the limit", e.Op, e.After, secretServiceName)
}

// Keyring keeps one secret per profile name.
type Keyring interface {
	// Get returns the profile's secret, or an error satisfying
	// errors.Is(err, ErrNotFound) when there is none.
	Get(profile string) (string, error)
	// Set stores (or replaces) the profile's secret.
	Set(profile, secret string) error
	// Delete removes the profile's secret; errors.Is(err, ErrNotFound) when
	// there was none.
	Delete(profile string) error
	// Describe names the backend for people, e.g.
	// "OS keyring (Secret Service, service lpdesk)".
	Describe() string
	// Locate names where one profile's secret is kept, e.g.
	// "OS keyring (Secret Service, service lpdesk, item work)".
	Locate(profile string) string
}

// KeyringTimeoutFromEnv returns LPDESK_KEYRING_TIMEOUT parsed as a Go
// duration ("30s", "500ms"), or DefaultKeyringTimeout when it is unset or not
// a positive duration.
func KeyringTimeoutFromEnv() time.Duration {
	if v := os.Getenv("LPDESK_KEYRING_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			return d
		}
	}
	return DefaultKeyringTimeout
}

// backend is the seam between the timeout wrapper and go-keyring, so tests
// can put a backend that hangs behind the real wrapper.
type backend interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (goKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (goKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// SystemKeyring returns the OS keyring (Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows) through go-keyring, with every call
// bounded by timeout (timeout <= 0 means KeyringTimeoutFromEnv()). Its errors
// are ErrNotFound, *UnavailableError, *TimeoutError or a wrapped backend
// error. Under keyring.MockInit() it uses go-keyring's mock.
func SystemKeyring(timeout time.Duration) Keyring {
	if timeout <= 0 {
		timeout = KeyringTimeoutFromEnv()
	}
	return &systemKeyring{b: goKeyring{}, timeout: timeout, precheck: true}
}

type systemKeyring struct {
	b       backend
	timeout time.Duration
	// precheck refuses to call go-keyring when there is no session bus to
	// find: godbus would otherwise run dbus-launch, which starts a bus (and,
	// through D-Bus activation, a keyring daemon) that outlives lpdesk.
	precheck bool
}

func (k *systemKeyring) Describe() string {
	return fmt.Sprintf("OS keyring (%s, service %s)", backendName(), Service)
}

func (k *systemKeyring) Locate(profile string) string {
	return fmt.Sprintf("OS keyring (%s, service %s, item %s)", backendName(), Service, profile)
}

func backendName() string {
	switch runtime.GOOS {
	case "darwin":
		return "macOS Keychain"
	case "windows":
		return "Windows Credential Manager"
	}
	return "Secret Service"
}

func (k *systemKeyring) Get(profile string) (string, error) {
	var secret string
	err := k.call("get", func() error {
		var err error
		secret, err = k.b.Get(Service, profile)
		return err
	})
	return secret, err
}

func (k *systemKeyring) Set(profile, secret string) error {
	return k.call("set", func() error { return k.b.Set(Service, profile, secret) })
}

func (k *systemKeyring) Delete(profile string) error {
	return k.call("delete", func() error { return k.b.Delete(Service, profile) })
}

// call runs f with the timeout. A call that times out keeps running in its
// goroutine (go-keyring cannot be cancelled); its result is dropped.
func (k *systemKeyring) call(op string, f func() error) error {
	if k.precheck && usesSecretService() {
		if err := checkSessionBus(); err != nil {
			return err
		}
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	t := time.NewTimer(k.timeout)
	defer t.Stop()
	select {
	case err := <-done:
		return classify(op, err)
	case <-t.C:
		return &TimeoutError{Op: op, After: k.timeout}
	}
}

const (
	hintStartService = "start gnome-keyring-daemon or KeePassXC with Secret Service enabled (" + secretServiceName + ")"
	hintUnlock       = "unlock the login keyring (e.g. in Seahorse, or log in to a desktop session that unlocks it) and try again"
)

// usesSecretService tells whether go-keyring's active provider is the real
// Secret Service one, not keyring.MockInit's: in go-keyring v0.2.8 only the
// Secret Service provider answers DeleteAll("") with ErrNotFound, and it does
// so before touching D-Bus, so the question costs no I/O.
func usesSecretService() bool {
	return errors.Is(keyring.DeleteAll(""), keyring.ErrNotFound)
}

// checkSessionBus mirrors godbus's own search for the session bus (the
// variable, then /run/user/UID/bus or dbus-session) so that a missing session
// is reported instead of autolaunched.
func checkSessionBus() error {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return nil
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	if u, err := user.Current(); err == nil {
		for _, f := range []string{"bus", "dbus-session"} {
			if _, err := os.Stat(filepath.Join("/run/user", u.Uid, f)); err == nil {
				return nil
			}
		}
	}
	return &UnavailableError{
		Reason: "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset), so the Secret Service " + secretServiceName + " cannot be reached",
		Hint:   "run lpdesk inside a desktop session, or start a session bus and a keyring with dbus-run-session and gnome-keyring-daemon (or KeePassXC with Secret Service enabled)",
	}
}

// classify maps go-keyring's errors to the package's typed errors. go-keyring
// v0.2.8 returns keyring.ErrNotFound, godbus's dbus.Error values (matched by
// reflection so that store depends on go-keyring alone), dial errors from
// godbus when the bus socket is missing or refuses, and a plain
// "failed to unlock correct collection" when an unlock prompt was dismissed
// or could not be shown.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNotFound
	}
	if ue := classifyPlatform(err); ue != nil {
		return ue
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return fmt.Errorf("keyring %s: the secret is too large for the OS keyring: %w", op, err)
	}
	if name, ok := dbusErrorName(err); ok {
		switch name {
		case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner",
			"org.freedesktop.DBus.Error.Spawn.ServiceNotFound", "org.freedesktop.DBus.Error.Spawn.ChildExited",
			"org.freedesktop.DBus.Error.Spawn.ExecFailed":
			return &UnavailableError{Reason: "no Secret Service (" + secretServiceName + ") on the D-Bus session bus",
				Hint: hintStartService, Err: err}
		case "org.freedesktop.Secret.Error.IsLocked":
			return &UnavailableError{Reason: "the keyring collection is locked", Hint: hintUnlock, Err: err}
		case "org.freedesktop.Secret.Error.NoSuchObject":
			return &UnavailableError{Reason: "the Secret Service has no default (login) collection",
				Hint: "create a login keyring (e.g. in Seahorse) or set a default collection in KeePassXC", Err: err}
		case "org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout", "org.freedesktop.DBus.Error.TimedOut":
			return &UnavailableError{Reason: "the Secret Service did not reply", Hint: hintUnlock + ", or restart it", Err: err}
		case "org.freedesktop.DBus.Error.AccessDenied":
			return &UnavailableError{Reason: "the D-Bus session refused access to " + secretServiceName,
				Hint: "check the session bus policy", Err: err}
		}
		return &UnavailableError{Reason: fmt.Sprintf("the Secret Service answered %s", name), Hint: hintStartService, Err: err}
	}
	var opErr *net.OpError
	var execErr *exec.Error
	if errors.As(err, &opErr) || errors.As(err, &execErr) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) ||
		strings.HasPrefix(err.Error(), "dbus: ") {
		return &UnavailableError{Reason: "cannot connect to the D-Bus session bus (" + err.Error() + "), so the Secret Service " +
			secretServiceName + " cannot be reached", Hint: "run lpdesk inside a desktop session and " + hintStartService, Err: err}
	}
	if strings.Contains(err.Error(), "failed to unlock") {
		return &UnavailableError{Reason: "the keyring collection is locked and could not be unlocked", Hint: hintUnlock, Err: err}
	}
	return fmt.Errorf("keyring %s: %w", op, err)
}

// dbusErrorName finds a godbus dbus.Error (value or pointer) in err's chain
// and returns its D-Bus error name.
func dbusErrorName(err error) (string, bool) {
	for e := err; e != nil; e = errors.Unwrap(e) {
		v := reflect.ValueOf(e)
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				continue
			}
			v = v.Elem()
		}
		t := v.Type()
		if v.Kind() != reflect.Struct || t.Name() != "Error" || !strings.HasPrefix(t.PkgPath(), "github.com/godbus/dbus") {
			continue
		}
		if f := v.FieldByName("Name"); f.IsValid() && f.Kind() == reflect.String {
			return f.String(), true
		}
	}
	return "", false
}

// NewMemoryKeyring returns a keyring that keeps secrets in this process's
// memory only and never writes them anywhere. Only `lpdesk demo` uses it,
// and only when it chooses to because no OS keyring is available; real
// profiles never fall back to it.
func NewMemoryKeyring() Keyring { return &memoryKeyring{m: map[string]string{}} }

type memoryKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *memoryKeyring) Describe() string {
	return "process memory (demo only: gone when lpdesk exits, never written to disk)"
}

func (k *memoryKeyring) Locate(profile string) string {
	return "process memory, item " + profile + " (demo only: gone when lpdesk exits, never written to disk)"
}

func (k *memoryKeyring) Get(profile string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.m[profile]
	if !ok {
		return "", ErrNotFound
	}
	return s, nil
}

func (k *memoryKeyring) Set(profile, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[profile] = secret
	return nil
}

func (k *memoryKeyring) Delete(profile string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[profile]; !ok {
		return ErrNotFound
	}
	delete(k.m, profile)
	return nil
}

// probeItem is a user name no profile can have (profile names exclude ':'),
// so looking it up only tests that the keyring answers.
const probeItem = "lpdesk:probe"

// Check tells whether kr answers at all: nil when it does (a missing probe
// item is expected), otherwise the keyring's *UnavailableError,
// *TimeoutError or other error. Callers run it before an authorization flow
// so that a missing keyring fails fast instead of after the admin approved.
func Check(kr Keyring) error {
	_, err := kr.Get(probeItem)
	if err == nil || errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
