//go:build !linux || wayland || !cgo

package placement

// Position is unknown here.
func Position(uintptr) (x, y int, ok bool) { return 0, 0, false }

// Move cannot place windows here.
func Move(uintptr, int, int) bool { return false }

// Screen is unknown here.
func Screen() (w, h int, ok bool) { return 0, 0, false }
