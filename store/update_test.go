package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// countingKeyring counts the calls that reach the secrets.
type countingKeyring struct {
	Keyring
	calls atomic.Int32
}

func (k *countingKeyring) Get(p string) (string, error) { k.calls.Add(1); return k.Keyring.Get(p) }
func (k *countingKeyring) Set(p, s string) error        { k.calls.Add(1); return k.Keyring.Set(p, s) }
func (k *countingKeyring) Delete(p string) error        { k.calls.Add(1); return k.Keyring.Delete(p) }

func TestUpdateProfileTouchesNoKeyring(t *testing.T) {
	kr := &countingKeyring{Keyring: NewMemoryKeyring()}
	s, _ := Open(t.TempDir(), kr)
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	kr.calls.Store(0)
	got, err := s.UpdateProfile("work", func(p *Profile) { p.Placement, p.Format = apiclient.PlaceQuery, wire.XML })
	if err != nil {
		t.Fatal(err)
	}
	if n := kr.calls.Load(); n != 0 {
		t.Errorf("UpdateProfile made %d keyring calls, want 0", n)
	}
	if got.Placement != apiclient.PlaceQuery || got.Format != wire.XML || got.Token != "tok-work" {
		t.Errorf("returned %+v", got)
	}
	if p, err := s.Get("work"); err != nil || p.Placement != apiclient.PlaceQuery || p.Format != wire.XML || p.Auth != apiclient.AuthOAuth {
		t.Errorf("saved %+v, %v", p, err)
	}
	if v, err := s.Secret("work"); err != nil || v != testSecret {
		t.Errorf("secret after update = %q, %v", v, err)
	}
}

func TestUpdateProfileRefuses(t *testing.T) {
	s, _ := Open(t.TempDir(), NewMemoryKeyring())
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	if _, err := s.UpdateProfile("nope", func(*Profile) {}); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("missing profile: %v", err)
	}
	if _, err := s.UpdateProfile("work", func(p *Profile) { p.Name = "other" }); err == nil {
		t.Error("a rename was accepted")
	}
	if _, err := s.UpdateProfile("work", func(p *Profile) { p.BaseURL = "" }); err == nil {
		t.Error("a profile without base URL was accepted")
	}
	if after, _ := os.ReadFile(s.Path()); !bytes.Equal(before, after) {
		t.Errorf("a refused update changed the file:\n%s", after)
	}
}

// A profile file written before the options had types (testdata, written
// by that version) loads into the typed fields and is written back byte
// for byte: the file format did not change.
func TestOldProfileFileLoadsAndSavesIdentically(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "profiles-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), old, 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := Open(dir, NewMemoryKeyring())
	want := map[string]struct {
		auth      apiclient.Auth
		placement apiclient.Placement
		format    wire.Format
		by        apiclient.FormatBy
	}{
		"work":      {apiclient.AuthOAuth, apiclient.PlaceQuery, wire.XML, apiclient.ByExtension},
		"appkey":    {apiclient.AuthAppKey, apiclient.PlaceHeader, wire.JSON, apiclient.ByAccept},
		"plain":     {apiclient.AuthNone, 0, "", 0},
		"zdefaults": {0, 0, "", 0},
	}
	ps, def, err := s.List()
	if err != nil || len(ps) != len(want) || def != "work" {
		t.Fatalf("List = %d profiles, default %q, %v", len(ps), def, err)
	}
	for _, p := range ps {
		w := want[p.Name]
		if p.Auth != w.auth || p.Placement != w.placement || p.Format != w.format || p.FormatBy != w.by {
			t.Errorf("%s: %v %v %q %v, want %+v", p.Name, p.Auth, p.Placement, p.Format, p.FormatBy, w)
		}
	}
	if err := s.SetDefault("work"); err != nil { // rewrites the whole file
		t.Fatal(err)
	}
	if _, err := s.UpdateProfile("appkey", func(*Profile) {}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(s.Path()); !bytes.Equal(got, old) {
		t.Errorf("re-saved file differs:\n%s\nwant\n%s", got, old)
	}
}

// A word the options do not know is refused when the file is read, naming
// the file and the word, rather than reaching a client.
func TestProfileFileWithUnknownOption(t *testing.T) {
	dir := t.TempDir()
	bad := `{"version":1,"default":"x","profiles":[{"name":"x","server":"s","baseURL":"b","accountID":"1","consumerKey":"k","token":"t","placement":"body"}]}`
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := Open(dir, NewMemoryKeyring())
	_, err := s.Get("x")
	if err == nil || !strings.Contains(err.Error(), `"body"`) || !strings.Contains(err.Error(), s.Path()) {
		t.Errorf("Get = %v", err)
	}
}
