package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

const testSecret = "tok-secret-9f8e7d"

func profile(name string) Profile {
	return Profile{Name: name, Server: "http://127.0.0.1:1", BaseURL: "http://127.0.0.1:1/api/account/123",
		AccountID: "123", ConsumerKey: "ck", Token: "tok-" + name, Auth: apiclient.AuthOAuth, Placement: apiclient.PlaceHeader, Format: wire.JSON}
}

// assertNoSecretOnDisk fails when any file under dir contains secret.
func assertNoSecretOnDisk(t *testing.T, dir, secret string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("secret found in %s", path)
		}
		return nil
	})
}

func TestSaveGetListDefaultWithMockKeyring(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	s, err := Open(dir, SystemKeyring(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if ps, def, err := s.List(); err != nil || len(ps) != 0 || def != "" {
		t.Fatalf("empty store: %v %q %v", ps, def, err)
	}
	if _, err := s.Default(); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("Default on empty store: %v", err)
	}
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(profile("alpha"), testSecret+"2"); err != nil {
		t.Fatal(err)
	}
	ps, def, err := s.List()
	if err != nil || len(ps) != 2 || ps[0].Name != "alpha" || def != "work" {
		t.Fatalf("List = %v, %q, %v; want alpha,work sorted and default work (first saved)", ps, def, err)
	}
	p, err := s.Default()
	if err != nil || p.Token != "tok-work" || p.CreatedAt.IsZero() || p.ConsumerKey != "ck" {
		t.Fatalf("Default = %+v, %v", p, err)
	}
	// The secret went to go-keyring under service lpdesk, user = profile name.
	if v, err := keyring.Get("lpdesk", "work"); err != nil || v != testSecret {
		t.Fatalf("keyring item: %q %v", v, err)
	}
	if v, err := s.Secret("alpha"); err != nil || v != testSecret+"2" {
		t.Fatalf("Secret(alpha) = %q, %v", v, err)
	}
	if err := s.SetDefault("alpha"); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Default(); p.Name != "alpha" {
		t.Fatalf("default after SetDefault = %q", p.Name)
	}
	if err := s.SetDefault("nope"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("SetDefault(nope) = %v", err)
	}
	if _, err := s.Get("nope"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("Get(nope) = %v", err)
	}
	assertNoSecretOnDisk(t, dir, testSecret)

	// Reopening reads the same data back.
	s2, _ := Open(dir, SystemKeyring(time.Second))
	if p, err := s2.Get("work"); err != nil || p.BaseURL != profile("work").BaseURL || p.Format != "json" {
		t.Fatalf("reopened Get = %+v, %v", p, err)
	}
	// Delete removes profile and keyring item; the default moves on.
	if err := s.Delete("alpha"); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get("lpdesk", "alpha"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("keyring item after Delete: %v", err)
	}
	if p, err := s.Default(); err != nil || p.Name != "work" {
		t.Fatalf("default after deleting it = %+v, %v", p, err)
	}
	if err := s.Delete("alpha"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("second Delete = %v", err)
	}
}

func TestFileModesAndContent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	s, _ := Open(dir, NewMemoryKeyring())
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	// Windows has no permission bits (Go reports 0666 and 0777): there the
	// file is as private as %AppData%'s ACL, which only the user can read.
	if runtime.GOOS != "windows" {
		if st.Mode().Perm() != 0o600 {
			t.Errorf("file mode %v, want 0600", st.Mode().Perm())
		}
		dst, _ := os.Stat(dir)
		if dst.Mode().Perm() != 0o700 {
			t.Errorf("dir mode %v, want 0700", dst.Mode().Perm())
		}
	}
	b, _ := os.ReadFile(s.Path())
	for _, want := range []string{`"default": "work"`, `"token": "tok-work"`, `"consumerKey": "ck"`, `"createdAt"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("profiles.json lacks %s:\n%s", want, b)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("config dir holds %d entries, want only %s", len(entries), FileName)
	}
	assertNoSecretOnDisk(t, dir, testSecret)
}

func TestDefaultDirFromEnv(t *testing.T) {
	t.Setenv("LPDESK_CONFIG_DIR", "/x/y")
	if d, err := DefaultDir(); err != nil || d != "/x/y" {
		t.Fatalf("DefaultDir = %q, %v", d, err)
	}
	s, _ := Open("", NewMemoryKeyring())
	if s.Path() != filepath.Join("/x/y", "profiles.json") {
		t.Fatalf("Path = %q", s.Path())
	}
}

func TestSaveValidates(t *testing.T) {
	s, _ := Open(t.TempDir(), NewMemoryKeyring())
	for _, name := range []string{"", "a b", "-x", "a:b", strings.Repeat("a", 65), "../x"} {
		if err := s.Save(profile(name), testSecret); err == nil {
			t.Errorf("Save accepted name %q", name)
		}
	}
	if err := s.Save(profile("ok"), ""); err == nil {
		t.Error("Save accepted an empty secret")
	}
	p := profile("ok")
	p.Token = ""
	if err := s.Save(p, testSecret); err == nil {
		t.Error("Save accepted a profile without token")
	}
}

// A disk failing in the middle of the write leaves the old file as it was,
// no temp file behind, and the keyring as it was before Save.
func TestAtomicWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	kr := NewMemoryKeyring()
	s, _ := Open(dir, kr)
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())

	syncFile = func(*os.File) error { return errors.New("disk full") }
	t.Cleanup(func() { syncFile = (*os.File).Sync })

	if err := s.Save(profile("second"), "other-secret"); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Save with failing disk = %v", err)
	}
	after, _ := os.ReadFile(s.Path())
	if !bytes.Equal(before, after) {
		t.Fatalf("profile file changed:\n%s\n---\n%s", before, after)
	}
	if _, err := kr.Get("second"); !errors.Is(err, ErrNotFound) {
		t.Errorf("keyring item of the failed save still there: %v", err)
	}
	// Replacing an existing profile restores its previous secret.
	if err := s.Save(profile("work"), "replacement"); err == nil {
		t.Fatal("Save succeeded with failing disk")
	}
	if v, _ := kr.Get("work"); v != testSecret {
		t.Errorf("old secret not restored after failed replace: %q", v)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temp file left behind: %v", entries)
	}
}

// The same with a real permission failure (not possible as root, who may
// write into read-only directories).
func TestAtomicWriteReadOnlyDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions; TestAtomicWriteFailureKeepsOldFile covers this")
	}
	if runtime.GOOS == "windows" {
		t.Skip("Windows ignores a directory's read-only attribute; TestAtomicWriteFailureKeepsOldFile covers this")
	}
	dir := t.TempDir()
	s, _ := Open(dir, NewMemoryKeyring())
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	if err := s.Save(profile("second"), "x"); err == nil {
		t.Fatal("Save into read-only dir succeeded")
	}
	after, _ := os.ReadFile(s.Path())
	if !bytes.Equal(before, after) {
		t.Fatal("profile file changed")
	}
}

func TestKeyringUnavailableSavesNothing(t *testing.T) {
	keyring.MockInitWithError(errors.New("dbus: authentication failed"))
	t.Cleanup(keyring.MockInit)
	dir := t.TempDir()
	s, _ := Open(dir, SystemKeyring(time.Second))
	err := s.Save(profile("work"), testSecret)
	var ue *UnavailableError
	if !errors.As(err, &ue) {
		t.Fatalf("Save = %v, want *UnavailableError", err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("profile file written although the keyring failed: %v", err)
	}
	if err := s.CheckKeyring(); !errors.As(err, &ue) {
		t.Fatalf("CheckKeyring = %v", err)
	}
}

func TestDeleteKeepsProfileWhenKeyringFails(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	s, _ := Open(dir, SystemKeyring(time.Second))
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	keyring.MockInitWithError(errors.New("dbus: authentication failed"))
	t.Cleanup(keyring.MockInit)
	if err := s.Delete("work"); err == nil {
		t.Fatal("Delete succeeded with a failing keyring")
	}
	if _, err := s.Get("work"); err != nil {
		t.Fatalf("profile gone although its secret could not be deleted: %v", err)
	}
	// A profile whose keyring item is already gone is deleted fine.
	keyring.MockInit()
	if err := s.Delete("work"); err != nil {
		t.Fatalf("Delete with missing keyring item = %v", err)
	}
}

func TestSecretMissingItem(t *testing.T) {
	keyring.MockInit()
	s, _ := Open(t.TempDir(), SystemKeyring(time.Second))
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	_ = keyring.Delete("lpdesk", "work")
	if _, err := s.Secret("work"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Secret with item gone = %v, want ErrNotFound", err)
	}
	if _, err := s.Secret("nope"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("Secret(nope) = %v", err)
	}
	if err := s.CheckKeyring(); err != nil {
		t.Fatalf("CheckKeyring with a working keyring = %v", err)
	}
}

func TestMemoryKeyring(t *testing.T) {
	kr := NewMemoryKeyring()
	if _, err := kr.Get("a"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	if err := kr.Delete("a"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	_ = kr.Set("a", "s")
	if v, err := kr.Get("a"); v != "s" || err != nil {
		t.Fatal(v, err)
	}
	if !strings.Contains(kr.Describe(), "memory") || !strings.Contains(kr.Locate("a"), "a") {
		t.Fatal(kr.Describe(), kr.Locate("a"))
	}
	if err := Check(kr); err != nil {
		t.Fatal(err)
	}
}

func TestKeyringTimeoutFromEnv(t *testing.T) {
	t.Setenv("LPDESK_KEYRING_TIMEOUT", "")
	if d := KeyringTimeoutFromEnv(); d != DefaultKeyringTimeout {
		t.Fatal(d)
	}
	t.Setenv("LPDESK_KEYRING_TIMEOUT", "250ms")
	if d := KeyringTimeoutFromEnv(); d != 250*time.Millisecond {
		t.Fatal(d)
	}
	t.Setenv("LPDESK_KEYRING_TIMEOUT", "soon")
	if d := KeyringTimeoutFromEnv(); d != DefaultKeyringTimeout {
		t.Fatal(d)
	}
	if k := SystemKeyring(0).(*systemKeyring); k.timeout != DefaultKeyringTimeout {
		t.Fatal(k.timeout)
	}
}
