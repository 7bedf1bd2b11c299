package widget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Status is the progress-and-error strip every screen has: an activity
// bar with what is happening, and an error with a Retry button.
type Status struct {
	widget.BaseWidget

	bar     *pulseBar
	msg     *widget.Label
	err     *widget.Label
	retry   *widget.Button
	onRetry func()
	box     *fyne.Container
}

// NewStatus is an empty strip.
func NewStatus() *Status {
	s := &Status{
		bar: newPulseBar(),
		msg: widget.NewLabel(""),
		err: widget.NewLabel(""),
	}
	s.ExtendBaseWidget(s)
	s.err.Importance = widget.DangerImportance
	s.err.Wrapping = fyne.TextWrapWord
	s.msg.Wrapping = fyne.TextWrapWord
	s.retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), func() {
		if s.onRetry != nil {
			s.onRetry()
		}
	})
	s.box = container.NewVBox(s.bar, s.msg, container.NewBorder(nil, nil, nil, s.retry, s.err))
	s.Clear()
	return s
}

// CreateRenderer shows the bar, the message and the error stacked.
func (s *Status) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.box)
}

// Busy shows the activity bar with msg and hides any error.
func (s *Status) Busy(msg string) {
	s.err.SetText("")
	s.err.Hide()
	s.retry.Hide()
	s.msg.SetText(msg)
	s.msg.Show()
	s.bar.Show()
	s.bar.Start()
}

// Info shows msg without activity.
func (s *Status) Info(msg string) {
	s.bar.Stop()
	s.bar.Hide()
	s.err.Hide()
	s.retry.Hide()
	s.msg.SetText(msg)
	if msg == "" {
		s.msg.Hide()
	} else {
		s.msg.Show()
	}
}

// Fail shows an error; retry, when not nil, is offered as a button.
func (s *Status) Fail(msg string, retry func()) {
	s.bar.Stop()
	s.bar.Hide()
	s.msg.Hide()
	s.err.SetText(msg)
	s.err.Show()
	s.onRetry = retry
	if retry != nil {
		s.retry.Show()
	} else {
		s.retry.Hide()
	}
}

// Clear empties the strip.
func (s *Status) Clear() { s.Info("") }

// Failed reports whether an error is showing.
func (s *Status) Failed() bool { return s.err.Visible() }

// ErrorText is the error shown last.
func (s *Status) ErrorText() string { return s.err.Text }

// RetryButton is the button Fail offers (to tap it in tests).
func (s *Status) RetryButton() *widget.Button { return s.retry }

// Message is the text shown without error (busy or info).
func (s *Status) Message() string { return s.msg.Text }
