// Package placement reads and sets where a top-level window is on the
// screen, and how large the screen is, which Fyne does not expose. On X11
// it asks the X server directly (cgo, libX11, which the GLFW driver links
// anyway); elsewhere — Wayland, where the compositor alone places
// windows, and other systems — it reports that it does not know.
//
// Positions are those of the window's frame (its decorations included),
// so that moving a window to the position read puts it back where it was
// instead of creeping by the title bar's height each time.
package placement
