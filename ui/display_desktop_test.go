//go:build windows || darwin

package ui

import "testing"

// On Windows and macOS the window opens without DISPLAY or WAYLAND_DISPLAY,
// which those desktops never set.
func TestHasDisplayWithoutX11Variables(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if !HasDisplay() {
		t.Fatal("no display on a Windows or macOS desktop")
	}
}
