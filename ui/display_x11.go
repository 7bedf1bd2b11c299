//go:build !windows && !darwin

package ui

import "os"

// hasDisplay: on Linux and the BSDs a window needs an X11 or Wayland
// session; without DISPLAY or WAYLAND_DISPLAY, GLFW would fail with an
// unhelpful error.
func hasDisplay() bool {
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
