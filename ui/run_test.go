package ui

import (
	"runtime"
	"strings"
	"testing"
)

func TestHasDisplay(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("no DISPLAY there; TestHasDisplayWithoutX11Variables covers it")
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if HasDisplay() {
		t.Fatal("a display without DISPLAY or WAYLAND_DISPLAY")
	}
	if err := Run(Options{}, newFake()); err == nil || !strings.Contains(err.Error(), "no graphical display") {
		t.Fatalf("Run without a display: %v", err)
	}
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	if !HasDisplay() {
		t.Fatal("WAYLAND_DISPLAY not seen")
	}
}
