package store

import (
	"runtime"
	"testing"
)

// skipWithoutSecretService skips tests of the D-Bus Secret Service path on
// the platforms whose go-keyring backend is another (Credential Manager on
// Windows, Keychain on macOS): there is no bus to take away.
func skipWithoutSecretService(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skipf("go-keyring uses no Secret Service on %s", runtime.GOOS)
	}
}
