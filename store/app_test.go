package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

const testAppSecret = "app-consumer-secret-5c4b3a"

func appProfile(name string) Profile {
	p := profile(name)
	p.AccountID = ""
	p.Provider, p.Dialect, p.SignatureMethod, p.Realm, p.BodyHash = "custom", apiclient.DialectGeneric, oauthsig.RSASHA256, "R", true
	p.Endpoints = Endpoints{RequestToken: "https://p.example/rt", Authorize: "https://p.example/au", AccessToken: "https://p.example/at"}
	p.AppCredentials, p.ConsumerKey, p.CheckURL = true, "my-app", "https://p.example/me"
	return p
}

// A profile's own application secret lives in the keyring only, under its
// own item; the file holds the new fields as words and reads them back.
func TestSaveWithAppKeepsTheSecretInTheKeyring(t *testing.T) {
	kr := NewMemoryKeyring()
	s, _ := Open(t.TempDir(), kr)
	if err := s.SaveWithApp(appProfile("ext"), testSecret, testAppSecret); err != nil {
		t.Fatal(err)
	}
	assertNoSecretOnDisk(t, s.Dir(), testAppSecret)
	assertNoSecretOnDisk(t, s.Dir(), testSecret)
	if v, _ := kr.Get("ext:app"); v != testAppSecret {
		t.Fatalf("app item = %q", v)
	}
	if v, err := s.AppSecret("ext"); err != nil || v != testAppSecret {
		t.Fatalf("AppSecret = %q, %v", v, err)
	}
	if loc := s.AppSecretLocation("ext"); !strings.Contains(loc, "item ext:app") || strings.Contains(loc, testAppSecret) {
		t.Errorf("AppSecretLocation = %q", loc)
	}
	got, err := s.Get("ext")
	if err != nil {
		t.Fatal(err)
	}
	want := appProfile("ext")
	want.CreatedAt = got.CreatedAt
	if got.Provider != want.Provider || got.Dialect != want.Dialect || got.SignatureMethod != want.SignatureMethod ||
		got.Realm != want.Realm || !got.BodyHash || got.Endpoints != want.Endpoints || !got.AppCredentials || got.CheckURL != want.CheckURL {
		t.Errorf("round trip = %+v", got)
	}
	b, _ := os.ReadFile(s.Path())
	for _, w := range []string{`"dialect": "generic"`, `"signatureMethod": "RSA-SHA256"`, `"appCredentials": true`, `"requestToken": "https://p.example/rt"`} {
		if !bytes.Contains(b, []byte(w)) {
			t.Errorf("file lacks %s:\n%s", w, b)
		}
	}
	// Removing the profile removes both items.
	if err := s.Delete("ext"); err != nil {
		t.Fatal(err)
	}
	for _, item := range []string{"ext", "ext:app"} {
		if _, err := kr.Get(item); !errors.Is(err, ErrNotFound) {
			t.Errorf("item %s left after Delete: %v", item, err)
		}
	}
}

func TestSaveWithAppValidates(t *testing.T) {
	s, _ := Open(t.TempDir(), NewMemoryKeyring())
	if err := s.Save(appProfile("ext"), testSecret); err == nil {
		t.Error("Save of a profile with its own application accepted without its secret")
	}
	if err := s.SaveWithApp(profile("work"), testSecret, testAppSecret); err == nil {
		t.Error("an application secret accepted for a profile without its own application")
	}
	p := appProfile("ext")
	p.ConsumerKey = ""
	if err := s.SaveWithApp(p, testSecret, testAppSecret); err == nil {
		t.Error("own application without a consumer key accepted")
	}
	// A generic profile needs no account id; a LivePerson-style one does.
	p = profile("lp")
	p.AccountID = ""
	if err := s.Save(p, testSecret); err == nil {
		t.Error("LivePerson-style profile without account accepted")
	}
	if _, err := s.AppSecret("nope"); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("AppSecret(nope) = %v", err)
	}
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppSecret("work"); !errors.Is(err, ErrNoAppCredentials) {
		t.Errorf("AppSecret of a profile with lpdesk's application = %v", err)
	}
}

// Logging in again with lpdesk's own application drops the old
// application's item; a failed write puts everything back.
func TestReplacingAppProfile(t *testing.T) {
	dir := t.TempDir()
	kr := NewMemoryKeyring()
	s, _ := Open(dir, kr)
	if err := s.SaveWithApp(appProfile("ext"), testSecret, testAppSecret); err != nil {
		t.Fatal(err)
	}
	syncFile = func(*os.File) error { return errors.New("disk full") }
	t.Cleanup(func() { syncFile = (*os.File).Sync })
	p := profile("ext")
	if err := s.Save(p, "new-token-secret"); err == nil {
		t.Fatal("Save succeeded with a failing disk")
	}
	if err := s.SaveWithApp(appProfile("ext"), "new-token-secret", "new-app-secret"); err == nil {
		t.Fatal("SaveWithApp succeeded with a failing disk")
	}
	syncFile = (*os.File).Sync
	if v, _ := kr.Get("ext"); v != testSecret {
		t.Errorf("token item after failed saves = %q", v)
	}
	if v, _ := kr.Get("ext:app"); v != testAppSecret {
		t.Errorf("app item after failed saves = %q", v)
	}
	if err := s.Save(p, "new-token-secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get("ext:app"); !errors.Is(err, ErrNotFound) {
		t.Errorf("old application item kept: %v", err)
	}
}

// failingKeyring refuses to store one item.
type failingKeyring struct {
	Keyring
	item string
}

func (k failingKeyring) Set(item, v string) error {
	if item == k.item {
		return &UnavailableError{Reason: "test", Hint: "test"}
	}
	return k.Keyring.Set(item, v)
}

func (k failingKeyring) Delete(item string) error {
	if item == k.item {
		return &UnavailableError{Reason: "test", Hint: "test"}
	}
	return k.Keyring.Delete(item)
}

// When the application item cannot be stored, the token item just written
// is taken back and no file is written; when it cannot be deleted, the
// profile stays with both items.
func TestAppItemFailureUndoes(t *testing.T) {
	mem := NewMemoryKeyring()
	s, _ := Open(t.TempDir(), failingKeyring{Keyring: mem, item: "ext:app"})
	err := s.SaveWithApp(appProfile("ext"), testSecret, testAppSecret)
	var ue *UnavailableError
	if !errors.As(err, &ue) || strings.Contains(err.Error(), testAppSecret) {
		t.Fatalf("SaveWithApp = %v", err)
	}
	if _, err := mem.Get("ext"); !errors.Is(err, ErrNotFound) {
		t.Errorf("token item left after the failed save: %v", err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file written: %v", err)
	}

	s2, _ := Open(t.TempDir(), mem)
	if err := s2.SaveWithApp(appProfile("ext"), testSecret, testAppSecret); err != nil {
		t.Fatal(err)
	}
	s3, _ := Open(s2.Dir(), failingKeyring{Keyring: mem, item: "ext:app"})
	if err := s3.Delete("ext"); err == nil {
		t.Fatal("Delete succeeded although the app item could not be deleted")
	}
	if v, _ := mem.Get("ext"); v != testSecret {
		t.Errorf("token item after the failed delete = %q", v)
	}
	if _, err := s3.Get("ext"); err != nil {
		t.Errorf("profile gone: %v", err)
	}
}

// An old profile file has none of the new fields: every profile is the
// LivePerson-style platform's with lpdesk's own application.
func TestOldProfileFileHasNoAppCredentials(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "profiles-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), old, 0o600); err != nil {
		t.Fatal(err)
	}
	kr := &countingKeyring{Keyring: NewMemoryKeyring()}
	s, _ := Open(dir, kr)
	ps, _, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Generic() || p.AppCredentials || p.Provider != "" || p.SignatureMethod != "" || p.Endpoints != (Endpoints{}) {
			t.Errorf("%s: %+v", p.Name, p)
		}
		if _, err := s.AppSecret(p.Name); !errors.Is(err, ErrNoAppCredentials) {
			t.Errorf("%s: AppSecret = %v", p.Name, err)
		}
	}
	// Deleting an old profile touches its token item only (get, delete).
	kr.calls.Store(0)
	if err := s.Delete("plain"); err != nil {
		t.Fatal(err)
	}
	if n := kr.calls.Load(); n != 2 {
		t.Errorf("Delete of an old profile made %d keyring calls, want 2", n)
	}
}

func TestUpdateProfileKeepsAppCredentials(t *testing.T) {
	s, _ := Open(t.TempDir(), NewMemoryKeyring())
	if err := s.SaveWithApp(appProfile("ext"), testSecret, testAppSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateProfile("ext", func(p *Profile) { p.AppCredentials = false }); err == nil {
		t.Error("UpdateProfile dropped the own application without touching its item")
	}
	if p, err := s.UpdateProfile("ext", func(p *Profile) { p.Placement = apiclient.PlaceQuery }); err != nil || !p.AppCredentials {
		t.Errorf("UpdateProfile = %+v, %v", p, err)
	}
}
