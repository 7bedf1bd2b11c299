package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

var (
	scAddress = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
	scSend    = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	scSendKP  = &desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault}
	scBack    = &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}
	scForward = &desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt}
	scSave    = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	scFind    = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	scQuit    = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
)

func (d *desk) installShortcuts() {
	c := d.win.Canvas()
	for _, sc := range []*desktop.CustomShortcut{scAddress, scSend, scSendKP, scBack, scForward, scSave, scFind, scQuit} {
		c.AddShortcut(sc, func(s fyne.Shortcut) {
			if cs, ok := s.(*desktop.CustomShortcut); ok {
				d.handleShortcut(cs)
			}
		})
	}
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			d.escape()
		}
	})
}

// handleShortcut runs the window's shortcuts; it reports whether sc was
// one of them.
func (d *desk) handleShortcut(sc *desktop.CustomShortcut) bool {
	same := func(o *desktop.CustomShortcut) bool {
		return sc.KeyName == o.KeyName && sc.Modifier == o.Modifier
	}
	switch {
	case same(scQuit):
		d.requestClose()
	case same(scAddress):
		if d.view == viewBrowser && d.br != nil {
			d.win.Canvas().Focus(d.br.address)
			d.br.address.TypedShortcut(&fyne.ShortcutSelectAll{})
		}
	case same(scSend), same(scSendKP):
		switch d.view {
		case viewBrowser:
			d.br.navigate(d.br.address.Text, true)
		case viewEditor:
			d.ed.save()
		case viewAgent:
			d.ws.sendSelected()
		}
	case same(scBack):
		if d.view == viewBrowser {
			d.br.back()
		}
	case same(scForward):
		if d.view == viewBrowser {
			d.br.forward()
		}
	case same(scSave):
		if d.view == viewEditor {
			d.ed.save()
		}
	case same(scFind):
		if d.view == viewBrowser && d.br != nil {
			if d.br.st.current() == paneStructured {
				d.br.st.setPane(paneText)
			}
			d.br.body.FocusSearch()
		}
	default:
		return false
	}
	return true
}

// escape closes the top dialog, or leaves the editor or settings. It
// reports whether it did something.
func (d *desk) escape() bool {
	if n := len(d.dialogs); n > 0 {
		d.dialogs[n-1].Hide()
		return true
	}
	switch d.view {
	case viewEditor:
		d.ed.close()
		return true
	case viewSettings:
		d.showBrowser()
		return true
	}
	return false
}

// keys hands the window's shortcuts and Esc to the entries of its screens.
func (d *desk) keys() xwidget.Keys {
	return xwidget.Keys{Shortcut: d.handleShortcut, Escape: d.escape}
}
