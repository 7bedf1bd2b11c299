//go:build !windows

package store

// classifyPlatform: the Secret Service's errors are classified in classify
// itself; macOS's Keychain gives none that mean "unavailable" here.
func classifyPlatform(error) *UnavailableError { return nil }
