package widget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Keys hands the window's keyboard shortcuts and Esc to the window. Fyne
// offers shortcuts to the focused widget before the canvas, and an Entry
// swallows every shortcut it does not know, so without these a focused
// entry would disable Ctrl+L, Ctrl+Enter, Alt+arrows, Ctrl+S, Ctrl+F,
// Ctrl+Q and Esc.
type Keys struct {
	// Shortcut runs one of the window's shortcuts; it reports whether s
	// was one.
	Shortcut func(s *desktop.CustomShortcut) bool
	// Escape reacts to Esc; it reports whether it did something.
	Escape func() bool
}

// Entry is a widget.Entry that offers custom shortcuts and Esc to Keys
// first and keeps its own shortcuts (select all, copy, paste) otherwise.
type Entry struct {
	widget.Entry
	keys Keys
}

// NewEntry is a one-line entry.
func NewEntry(k Keys, placeholder string) *Entry {
	e := &Entry{keys: k}
	e.ExtendBaseWidget(e)
	e.PlaceHolder = placeholder
	return e
}

// NewCodeEntry is a multi-line monospace entry for a document, without
// wrapping.
func NewCodeEntry(k Keys) *Entry {
	e := &Entry{keys: k}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapOff
	e.TextStyle = fyne.TextStyle{Monospace: true}
	e.ExtendBaseWidget(e)
	return e
}

// NewPasswordEntry is a one-line entry that hides what is typed.
func NewPasswordEntry(k Keys, placeholder string) *Entry {
	e := &Entry{keys: k}
	e.Password = true
	e.PlaceHolder = placeholder
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut gives the window first refusal of custom shortcuts.
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && e.keys.Shortcut != nil && e.keys.Shortcut(cs) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// TypedKey lets Esc close the window's top dialog or view.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.keys.Escape != nil && e.keys.Escape() {
		return
	}
	e.Entry.TypedKey(k)
}
