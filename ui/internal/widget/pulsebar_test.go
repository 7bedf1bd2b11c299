package widget

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// The bar moves in steps, not every frame: a frame's tick between steps
// leaves it as it is (and the window unpainted).
func TestPulseBarMovesInSteps(t *testing.T) {
	test.NewTempApp(t)
	b := newPulseBar()
	b.step = -1
	b.anim.Tick(0)
	if b.Value != 0 {
		t.Fatalf("start: %v", b.Value)
	}
	for _, f := range []float32{0.02, 0.05, 0.09} {
		b.anim.Tick(f)
		if b.Value != 0 {
			t.Fatalf("tick %v moved the bar to %v", f, b.Value)
		}
	}
	b.anim.Tick(0.1)
	if b.Value != 0.1 {
		t.Fatalf("tick 0.1: %v", b.Value)
	}
	if b.TextFormatter() != "" {
		t.Error("the bar shows a percentage")
	}
}
