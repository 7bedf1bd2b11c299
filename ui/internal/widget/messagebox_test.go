package widget

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

func TestMessageBoxEnterSendsShiftEnterBreaks(t *testing.T) {
	test.NewTempApp(t)
	var sent []string
	m := NewMessageBox(Keys{}, "Type a message")
	m.OnSend = func(s string) { sent = append(sent, s) }
	test.NewTempWindow(t, m)
	test.Type(m, "first")
	m.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	m.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	test.Type(m, "second")
	if m.Text != "first\nsecond" || len(sent) != 0 {
		t.Fatalf("Shift+Enter: text %q, sent %q", m.Text, sent)
	}
	m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(sent) != 1 || sent[0] != "first\nsecond" {
		t.Fatalf("Enter sent %q", sent)
	}
	// The keypad's Enter sends too, and sending leaves the text to the
	// caller (it clears the box once the line is delivered).
	m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnter})
	if len(sent) != 2 || m.Text != "first\nsecond" {
		t.Fatalf("keypad Enter: sent %q, text %q", sent, m.Text)
	}
}
