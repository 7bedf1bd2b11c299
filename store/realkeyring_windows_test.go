//go:build keyring

package store

import (
	"errors"
	"testing"
	"time"

	"github.com/danieljoos/wincred"
)

// The secret is a generic credential "lpdesk:<profile>" with the profile as
// its user name: what Control Panel → Credential Manager → Windows
// Credentials lists, read here with wincred directly, as another client
// would. Runs under Wine in scripts/wine-test.sh.
func TestCredentialManagerItem(t *testing.T) {
	kr := SystemKeyring(10 * time.Second)
	s, err := Open(t.TempDir(), kr)
	if err != nil {
		t.Fatal(err)
	}
	name := "wintest-" + time.Now().Format("150405.000000")
	t.Cleanup(func() { _ = kr.Delete(name) })
	if err := s.Save(profile(name), testSecret); err != nil {
		t.Fatal(err)
	}
	c, err := wincred.GetGenericCredential(Service + ":" + name)
	if err != nil {
		t.Fatalf("no generic credential %s:%s: %v", Service, name, err)
	}
	if c.UserName != name || string(c.CredentialBlob) != testSecret {
		t.Fatalf("credential user %q, blob %q", c.UserName, c.CredentialBlob)
	}
	if err := s.Delete(name); err != nil {
		t.Fatal(err)
	}
	if _, err := wincred.GetGenericCredential(Service + ":" + name); err == nil {
		t.Fatal("credential still there after Delete")
	}
	if _, err := kr.Get(name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
}
