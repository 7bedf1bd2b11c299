//go:build windows || darwin

package ui

// hasDisplay: a Windows or macOS session always has its desktop; neither
// sets DISPLAY, so the X11 check would keep the window from ever opening.
func hasDisplay() bool { return true }
