package widget

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

func TestEntryOffersTheWindowItsShortcutsFirst(t *testing.T) {
	test.NewTempApp(t)
	var offered []*desktop.CustomShortcut
	escapes := 0
	e := NewEntry(Keys{
		Shortcut: func(s *desktop.CustomShortcut) bool { offered = append(offered, s); return true },
		Escape:   func() bool { escapes++; return true },
	}, "address")
	test.NewTempWindow(t, e)
	e.SetText("hello")
	ctrlL := &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
	e.TypedShortcut(ctrlL)
	if len(offered) != 1 || offered[0] != ctrlL {
		t.Fatalf("offered %v", offered)
	}
	// The entry keeps its own shortcuts.
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	if e.SelectedText() != "hello" || len(offered) != 1 {
		t.Errorf("select all: selected %q, offered %d", e.SelectedText(), len(offered))
	}
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if escapes != 1 {
		t.Errorf("Esc reached the window %d times", escapes)
	}
	// Typing still types.
	e.SetText("")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd}) // drop the selection
	test.Type(e, "abc")
	if e.Text != "abc" {
		t.Errorf("typed %q", e.Text)
	}
}

func TestEntryWithoutKeysWorksAlone(t *testing.T) {
	test.NewTempApp(t)
	for _, e := range []*Entry{NewEntry(Keys{}, "x"), NewCodeEntry(Keys{}), NewPasswordEntry(Keys{}, "secret")} {
		test.NewTempWindow(t, e)
		e.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault})
		e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		test.Type(e, "ok")
		if e.Text != "ok" {
			t.Errorf("typed %q", e.Text)
		}
	}
	if c := NewCodeEntry(Keys{}); !c.MultiLine || !c.TextStyle.Monospace || c.Wrapping != fyne.TextWrapOff {
		t.Error("the code entry is not a monospace multi-line entry without wrapping")
	}
	if !NewPasswordEntry(Keys{}, "").Password {
		t.Error("the password entry shows what is typed")
	}
}
