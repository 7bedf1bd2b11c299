package placement

import (
	"os"
	"testing"
)

// Without a window there is nothing to read or move, and no X server
// means no screen: the window then keeps Fyne's defaults.
func TestNoWindowIsNoPosition(t *testing.T) {
	if _, _, ok := Position(0); ok {
		t.Error("a position for no window")
	}
	if Move(0, 10, 10) {
		t.Error("moved no window")
	}
	t.Setenv("DISPLAY", "")
	os.Unsetenv("DISPLAY")
	if _, _, ok := Screen(); ok {
		t.Error("a screen without a display")
	}
}
