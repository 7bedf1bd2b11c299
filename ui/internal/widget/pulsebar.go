package widget

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// pulseSteps is how many times a second the pulse bar moves.
const pulseSteps = 5

// pulseBar is the activity bar: a bar that fills in steps, five a second,
// and starts over. Fyne repaints the whole window for any change, and a
// software renderer (Mesa's llvmpipe under Xvfb, or a machine without a
// GPU driver) takes tens of milliseconds a frame: the infinite progress
// bar, moving every frame, kept the UI goroutine painting most of the time
// during a load, so input waited. Five frames a second is still visibly
// alive.
type pulseBar struct {
	widget.ProgressBar
	anim *fyne.Animation
	step int
}

func newPulseBar() *pulseBar {
	b := &pulseBar{}
	b.TextFormatter = func() string { return "" }
	b.ExtendBaseWidget(b)
	const cycle = 2 * time.Second
	b.anim = fyne.NewAnimation(cycle, func(f float32) {
		// The animation ticks every frame; the bar changes (and the
		// window is repainted) only when the step does.
		s := int(f * pulseSteps * float32(cycle/time.Second))
		if s != b.step {
			b.step = s
			b.SetValue(float64(s) / (pulseSteps * float64(cycle/time.Second)))
		}
	})
	b.anim.Curve = fyne.AnimationLinear
	b.anim.RepeatCount = fyne.AnimationRepeatForever
	return b
}

// Start sets the bar going.
func (b *pulseBar) Start() {
	b.anim.Stop()
	b.step = -1
	b.anim.Start()
}

// Stop halts it.
func (b *pulseBar) Stop() { b.anim.Stop() }
