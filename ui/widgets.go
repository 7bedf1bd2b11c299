package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// entry is a widget.Entry that passes the window's shortcuts (Ctrl+L,
// Ctrl+Enter, Alt+arrows, Ctrl+S, Ctrl+F, Ctrl+Q) and Esc on to the window:
// a focused Entry otherwise swallows every shortcut it does not know,
// because Fyne offers shortcuts to the focused widget before the canvas.
type entry struct {
	widget.Entry
	d *desk
}

func newEntry(d *desk, placeholder string) *entry {
	e := &entry{d: d}
	e.ExtendBaseWidget(e)
	e.PlaceHolder = placeholder
	return e
}

func newMultiEntry(d *desk) *entry {
	e := &entry{d: d}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapOff
	e.TextStyle = fyne.TextStyle{Monospace: true}
	e.ExtendBaseWidget(e)
	return e
}

func newPasswordEntry(d *desk, placeholder string) *entry {
	e := &entry{d: d}
	e.Password = true
	e.PlaceHolder = placeholder
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut gives the window first refusal of custom shortcuts.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && e.d != nil && e.d.handleShortcut(cs) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// TypedKey lets Esc close the top dialog or view.
func (e *entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.d != nil && e.d.escape() {
		return
	}
	e.Entry.TypedKey(k)
}

// status is the progress-and-error strip every screen has: an activity
// bar with what is happening, and an error with a Retry button.
type status struct {
	bar     *widget.ProgressBarInfinite
	msg     *widget.Label
	err     *widget.Label
	retry   *widget.Button
	onRetry func()
	box     *fyne.Container
}

func newStatus() *status {
	s := &status{
		bar: widget.NewProgressBarInfinite(),
		msg: widget.NewLabel(""),
		err: widget.NewLabel(""),
	}
	s.err.Importance = widget.DangerImportance
	s.err.Wrapping = fyne.TextWrapWord
	s.msg.Wrapping = fyne.TextWrapWord
	s.retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), func() {
		if s.onRetry != nil {
			s.onRetry()
		}
	})
	s.box = container.NewVBox(s.bar, s.msg, container.NewBorder(nil, nil, nil, s.retry, s.err))
	s.clear()
	return s
}

// busy shows the activity bar with msg and hides any error.
func (s *status) busy(msg string) {
	s.err.SetText("")
	s.err.Hide()
	s.retry.Hide()
	s.msg.SetText(msg)
	s.msg.Show()
	s.bar.Show()
	s.bar.Start()
}

// info shows msg without activity.
func (s *status) info(msg string) {
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

// fail shows an error; retry, when not nil, is offered as a button.
func (s *status) fail(msg string, retry func()) {
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

func (s *status) clear() { s.info("") }

// failed reports whether an error is showing (for tests).
func (s *status) failed() bool { return s.err.Visible() }

// heading is a large bold line of text.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// para is a wrapped paragraph.
func para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// framed frames content with a subtle background, for the demo credentials
// and the banner.
func framed(content fyne.CanvasObject, fill color.Color) *fyne.Container {
	bg := canvas.NewRectangle(fill)
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewPadded(content))
}

// maxWidth keeps pages readable on a wide window: content is centred and
// at most w wide.
type maxWidth struct {
	w float32
}

// MinSize is the largest child's.
func (m maxWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}

// Layout centres the children at most m.w wide.
func (m maxWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := size.Width
	if w > m.w {
		w = m.w
	}
	x := (size.Width - w) / 2
	for _, o := range objs {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func centered(width float32, content fyne.CanvasObject) *fyne.Container {
	return container.New(maxWidth{w: width}, content)
}

// layoutSpacer pushes what follows it in a box to the far end.
func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }
