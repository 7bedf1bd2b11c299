package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// A profile file written before services existed still loads (no
// services: every request goes to the base URL); a profile saved with
// services keeps them; one saved without writes no "services" key, so an
// older lpdesk reads the file as before.
func TestProfileServicesBackwardCompatible(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	old := `{
  "version": 1,
  "default": "old",
  "profiles": [
    {"name": "old", "server": "http://127.0.0.1:1", "baseURL": "http://127.0.0.1:1/api/account/123",
     "accountID": "123", "consumerKey": "ck", "token": "tok-old", "createdAt": "2024-01-02T03:04:05Z"}
  ]
}
`
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, SystemKeyring(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Get("old")
	if err != nil || p.Services != nil || p.BaseURL != "http://127.0.0.1:1/api/account/123" {
		t.Fatalf("old profile = %+v, %v", p, err)
	}

	withServices := profile("new")
	withServices.Services = map[string]string{
		"agentVep":        "http://127.0.0.1:2/api/account/123",
		"conversationVep": "http://127.0.0.1:3/api/account/123",
	}
	if err := s.Save(withServices, testSecret); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(p, testSecret); err != nil { // re-saving the old one
		t.Fatal(err)
	}
	s2, _ := Open(dir, SystemKeyring(time.Second))
	got, err := s2.Get("new")
	if err != nil || len(got.Services) != 2 || got.Services["agentVep"] != "http://127.0.0.1:2/api/account/123" ||
		got.Services["conversationVep"] != "http://127.0.0.1:3/api/account/123" {
		t.Fatalf("reopened = %+v, %v", got, err)
	}

	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Profiles []map[string]json.RawMessage `json:"profiles"`
	}
	if err := json.Unmarshal(b, &raw); err != nil || len(raw.Profiles) != 2 {
		t.Fatalf("file: %v\n%s", err, b)
	}
	for _, rp := range raw.Profiles {
		name := strings.Trim(string(rp["name"]), `"`)
		_, has := rp["services"]
		if has != (name == "new") {
			t.Errorf("profile %s: services key present = %v\n%s", name, has, b)
		}
	}
}
