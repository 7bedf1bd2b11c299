package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func openEditor(t *testing.T) (*harness, *fakeBackend, *editor) {
	t.Helper()
	h, f := openBrowser(t)
	h.typeIn(h.d.br.address, "skills/1")
	h.tap(h.d.br.goBtn)
	h.d.br.st.setPane(paneText) // Edit edits what is shown: the text
	h.tap(h.d.br.editBtn)
	if h.d.view != viewEditor {
		t.Fatalf("view %q", h.d.view)
	}
	return h, f, h.d.ed
}

func TestEditorSaveSendsIfMatch(t *testing.T) {
	h, f, ed := openEditor(t)
	if !strings.Contains(ed.text.Text, `"name": "Support"`) {
		t.Fatalf("editor text not pretty: %q", ed.text.Text)
	}
	ed.text.SetText(strings.Replace(ed.text.Text, "Support", "Support EMEA", 1))
	h.shortcut(scSave)
	if f.lastIfMatch != `"1"` || !strings.Contains(f.lastUpdate, "Support EMEA") {
		t.Fatalf("update If-Match %q body %q", f.lastIfMatch, f.lastUpdate)
	}
	if h.d.view != viewBrowser {
		t.Fatalf("view %q after save", h.d.view)
	}
	h.mustShow("Support EMEA")
}

func TestEditorInvalidJSONShowsLineAndColumn(t *testing.T) {
	h, f, ed := openEditor(t)
	ed.text.SetText("{\n  \"skill\": {\n    \"name\": x\n  }\n}\n")
	h.tap(ed.saveBtn)
	if f.count("Update") != 0 {
		t.Fatal("an invalid body was sent")
	}
	h.mustShow("line 3, column 13")
	if ed.text.CursorRow != 2 || ed.text.CursorColumn != 12 {
		t.Errorf("cursor at %d:%d", ed.text.CursorRow, ed.text.CursorColumn)
	}
	if h.d.view != viewEditor {
		t.Error("left the editor")
	}
}

func TestEditorInvalidXMLShowsLineAndColumn(t *testing.T) {
	h, f := openBrowser(t)
	h.d.br.format.SetSelected("XML")
	h.settle()
	h.typeIn(h.d.br.address, "skills/1")
	h.tap(h.d.br.goBtn)
	h.tap(h.d.br.editBtn)
	ed := h.d.ed
	if ed.format != wire.XML {
		t.Fatalf("format %q", ed.format)
	}
	ed.text.SetText("<skill>\n  <name>A & B</name>\n</skill>\n")
	h.tap(ed.saveBtn)
	if f.count("Update") != 0 {
		t.Fatal("an invalid body was sent")
	}
	h.mustShow("line 2, column")
}

func TestEditorConflictChoices(t *testing.T) {
	h, f, ed := openEditor(t)
	mine := strings.Replace(ed.text.Text, "Support", "Mine", 1)
	ed.text.SetText(mine)
	f.changeBehind("skills/1", `{"skill":{"@id":"1","name":"Theirs"}}`)

	// Keep editing: the dialog closes, the text stays.
	h.tap(ed.saveBtn)
	if ed.conflict == nil || h.dialogs() != 1 {
		t.Fatal("no conflict dialog on 412")
	}
	h.mustShow("Load theirs")
	h.tap(ed.conflictKeep)
	if h.dialogs() != 0 || ed.text.Text != mine || h.d.view != viewEditor {
		t.Fatal("Keep editing lost the text or kept the dialog")
	}

	// Esc closes the dialog too.
	h.tap(ed.saveBtn)
	if h.dialogs() != 1 {
		t.Fatal("no dialog on the second 412")
	}
	ed.text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.dialogs() != 0 || h.d.view != viewEditor {
		t.Fatal("Esc did not close just the dialog")
	}

	// Overwrite: reads the new revision and saves over it.
	h.tap(ed.saveBtn)
	h.tap(ed.conflictOverwrite)
	if f.lastIfMatch != `"2"` || !strings.Contains(f.lastUpdate, "Mine") || h.d.view != viewBrowser {
		t.Fatalf("overwrite: If-Match %q body %q view %q", f.lastIfMatch, f.lastUpdate, h.d.view)
	}

	// Load theirs: the server's version replaces the text.
	h.tap(h.d.br.editBtn)
	ed = h.d.ed
	ed.text.SetText(strings.Replace(ed.text.Text, "Mine", "Mine again", 1))
	f.changeBehind("skills/1", `{"skill":{"@id":"1","name":"Theirs again"}}`)
	h.tap(ed.saveBtn)
	h.tap(ed.conflictLoad)
	if !strings.Contains(ed.text.Text, "Theirs again") || ed.etag != `"4"` || ed.dirty() {
		t.Fatalf("load theirs: text %q etag %q dirty %v", ed.text.Text, ed.etag, ed.dirty())
	}
}

func TestEditorNetworkErrorKeepsText(t *testing.T) {
	h, f, ed := openEditor(t)
	mine := strings.Replace(ed.text.Text, "Support", "Offline edit", 1)
	ed.text.SetText(mine)
	f.mu.Lock()
	f.netDown = true
	f.mu.Unlock()
	h.tap(ed.saveBtn)
	if ed.text.Text != mine || h.d.view != viewEditor || !ed.status.RetryButton().Visible() {
		t.Fatal("a dropped connection lost the text or offered no retry")
	}
	h.mustShow("Your text is kept")
	f.mu.Lock()
	f.netDown = false
	f.mu.Unlock()
	h.tap(ed.status.RetryButton())
	if !strings.Contains(f.lastUpdate, "Offline edit") || h.d.view != viewBrowser {
		t.Fatal("retry did not save")
	}
}

func TestEditorRevokedKeepsTextAndOffersSetup(t *testing.T) {
	h, f, ed := openEditor(t)
	ed.text.SetText(strings.Replace(ed.text.Text, "Support", "X", 1))
	f.mu.Lock()
	f.revoked = true
	f.mu.Unlock()
	h.tap(ed.saveBtn)
	if h.d.view != viewEditor || !strings.Contains(ed.text.Text, "X") {
		t.Fatal("revocation lost the text")
	}
	h.mustShow("revoked")
	if !h.d.br.banner.Visible() {
		t.Error("browser banner not set for revoked access")
	}
}

func TestEditorUnsavedClosePrompts(t *testing.T) {
	h, _, ed := openEditor(t)
	// Unchanged: Esc just closes.
	ed.text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.d.view != viewBrowser {
		t.Fatalf("Esc on a clean editor: view %q", h.d.view)
	}
	h.tap(h.d.br.editBtn)
	ed = h.d.ed
	test.Type(ed.text, "x")
	if !ed.dirty() {
		t.Fatal("typing did not make the editor dirty")
	}
	ed.close()
	if h.dialogs() != 1 || h.d.view != viewEditor {
		t.Fatal("closing with unsaved edits did not ask")
	}
	h.mustShow("have not been saved")
	h.d.escape()
	if h.dialogs() != 0 || h.d.view != viewEditor {
		t.Fatal("Esc did not keep editing")
	}
	// Closing the window asks too.
	h.d.requestClose()
	if h.dialogs() != 1 || h.d.closed {
		t.Fatal("closing the window with unsaved edits did not ask")
	}
	h.d.escape()
	ed.close()
	h.mustShow("Discard changes")
	// Tap the dialog's destructive button.
	var discard *widget.Button
	for _, o := range h.w.Canvas().Overlays().List() {
		discard = findButton(o, "Discard changes")
	}
	if discard == nil {
		t.Fatal("no Discard button")
	}
	h.tap(discard)
	if h.d.view != viewBrowser {
		t.Fatalf("after discard: view %q", h.d.view)
	}
}

func TestEditorCreateOnCollectionAsText(t *testing.T) {
	h, f := openBrowser(t)
	br := h.d.br
	br.links.Select(1) // skills
	h.settle()
	br.st.setPane(paneText) // New from the text starts from a text template
	h.tap(br.newBtn)
	ed := h.d.ed
	if ed.mode != editCreate || !strings.Contains(ed.text.Text, `"skill"`) {
		t.Fatalf("new: mode %v text %q", ed.mode, ed.text.Text)
	}
	ed.text.SetText(`{"skill":{"name":"Billing"}}`)
	h.tap(ed.saveBtn)
	if f.count("Create skills") != 1 {
		t.Fatalf("calls %v", f.calls)
	}
	if h.d.view != viewBrowser || br.currentAddr != "skills/3" {
		t.Fatalf("after create: view %q current %q", h.d.view, br.currentAddr)
	}
	h.mustShow("Billing")
}
