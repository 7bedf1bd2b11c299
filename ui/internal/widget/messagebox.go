package widget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// MessageBox is a chat's message box: Enter sends, Shift+Enter starts a
// new line, as in every chat application. (Fyne's multi-line entry does
// the opposite.) The window's shortcuts and Esc still reach the window.
type MessageBox struct {
	Entry
	// OnSend receives the text when Enter is pressed without Shift.
	OnSend func(text string)
	shift  bool
}

// NewMessageBox is a word-wrapped box a few lines high.
func NewMessageBox(k Keys, placeholder string) *MessageBox {
	m := &MessageBox{}
	m.keys = k
	m.MultiLine = true
	m.Wrapping = fyne.TextWrapWord
	m.PlaceHolder = placeholder
	m.ExtendBaseWidget(m)
	m.SetMinRowsVisible(3)
	return m
}

func isShift(k fyne.KeyName) bool { return k == desktop.KeyShiftLeft || k == desktop.KeyShiftRight }

// KeyDown notes Shift, which decides what Enter does.
func (m *MessageBox) KeyDown(k *fyne.KeyEvent) {
	if isShift(k.Name) {
		m.shift = true
	}
	m.Entry.KeyDown(k)
}

// KeyUp notes Shift's release.
func (m *MessageBox) KeyUp(k *fyne.KeyEvent) {
	if isShift(k.Name) {
		m.shift = false
	}
	m.Entry.KeyUp(k)
}

func (m *MessageBox) shiftHeld() bool {
	if m.shift {
		return true
	}
	if a := fyne.CurrentApp(); a != nil {
		if d, ok := a.Driver().(desktop.Driver); ok {
			return d.CurrentKeyModifiers()&fyne.KeyModifierShift != 0
		}
	}
	return false
}

// TypedKey sends on Enter and types a new line on Shift+Enter.
func (m *MessageBox) TypedKey(k *fyne.KeyEvent) {
	if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && !m.shiftHeld() {
		if m.OnSend != nil {
			m.OnSend(m.Text)
		}
		return
	}
	// With OnSubmitted unset the entry types the new line even though
	// Shift is held.
	m.Entry.TypedKey(k)
}
