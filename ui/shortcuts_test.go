package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

func TestKeyboardShortcuts(t *testing.T) {
	h, _ := openBrowser(t)
	br := h.d.br
	br.links.Select(1)
	h.settle()
	// Alt+Left from the canvas goes back, Alt+Right forward.
	h.shortcut(scBack)
	if br.currentAddr != "" {
		t.Fatalf("Alt+Left: %q", br.currentAddr)
	}
	h.shortcut(scForward)
	if br.currentAddr != "skills" {
		t.Fatalf("Alt+Right: %q", br.currentAddr)
	}
	// Ctrl+L focuses the address bar.
	h.shortcut(scAddress)
	if h.w.Canvas().Focused() != br.address {
		t.Fatal("Ctrl+L did not focus the address bar")
	}
	// A focused entry passes window shortcuts on: Ctrl+Enter sends.
	h.typeIn(br.address, "skills/1")
	br.address.TypedShortcut(scSend)
	h.settle()
	if br.currentAddr != "skills/1" {
		t.Fatalf("Ctrl+Enter from the address bar: %q", br.currentAddr)
	}
	br.address.TypedShortcut(scBack)
	h.settle()
	if br.currentAddr != "skills" {
		t.Fatalf("Alt+Left from the address bar: %q", br.currentAddr)
	}
	// Ctrl+F focuses the search box.
	h.shortcut(scFind)
	if h.w.Canvas().Focused() != br.body.SearchBox() {
		t.Fatal("Ctrl+F did not focus the search box")
	}
	// Entries keep their own shortcuts (select all, copy).
	br.address.TypedShortcut(&fyne.ShortcutSelectAll{})
	if br.address.SelectedText() != "skills" {
		t.Errorf("select all in the address bar: %q", br.address.SelectedText())
	}
}

func TestQuitClosesWhenClean(t *testing.T) {
	h, _ := openBrowser(t)
	h.shortcut(scQuit)
	if !h.d.closed {
		t.Fatal("Ctrl+Q did not close a clean window")
	}
}
