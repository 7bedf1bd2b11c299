package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// On Windows the profiles live in %AppData%\lpdesk (os.UserConfigDir).
func TestDefaultDirIsAppData(t *testing.T) {
	appData := t.TempDir()
	t.Setenv("LPDESK_CONFIG_DIR", "")
	t.Setenv("APPDATA", appData)
	d, err := DefaultDir()
	if err != nil || d != filepath.Join(appData, "lpdesk") {
		t.Fatalf("DefaultDir = %q, %v; want %s", d, err, filepath.Join(appData, "lpdesk"))
	}
	s, _ := Open("", NewMemoryKeyring())
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(appData, "lpdesk", FileName)); err != nil {
		t.Fatalf("profile file not under %%AppData%%: %v", err)
	}
}

// A Credential Manager session without a store (SSH logon) is an
// unavailable keyring that says where to run lpdesk, not a bare Win32 error.
func TestNoLogonSessionIsUnavailable(t *testing.T) {
	var ue *UnavailableError
	err := classify("set", fmt.Errorf("wincred: %w", errorNoSuchLogonSession))
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "Credential Manager") || !strings.Contains(err.Error(), "desktop session") {
		t.Fatalf("classify(ERROR_NO_SUCH_LOGON_SESSION) = %v", err)
	}
}
