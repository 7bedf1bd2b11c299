package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// openForm opens skills/1 of the fake as a form.
func openForm(t *testing.T) (*harness, *fakeBackend) {
	t.Helper()
	h, f := openBrowser(t)
	h.typeIn(h.d.br.address, "skills/1")
	h.tap(h.d.br.goBtn)
	if h.d.br.st.current() != paneStructured || !h.d.br.st.form.Visible() {
		t.Fatalf("skills/1 is not shown as a form (shape %v)", h.d.br.st.shape)
	}
	return h, f
}

func TestCollectionIsATableWhoseRowsOpenForms(t *testing.T) {
	h, _ := openBrowser(t)
	br := h.d.br
	br.links.Select(1) // skills
	h.settle()
	tbl := br.st.table
	if br.st.shape != shapeCollection || !tbl.Visible() || br.body.Visible() {
		t.Fatalf("skills: shape %v table shown %v", br.st.shape, tbl.Visible())
	}
	if tbl.Len() != 2 || tbl.Cell(0, 0) != "1" || tbl.Cell(1, 1) != "Sales" {
		t.Fatalf("rows %d: %q %q", tbl.Len(), tbl.Cell(0, 0), tbl.Cell(1, 1))
	}
	h.mustShow("Table")
	h.mustShow("2 skills")
	// Keyboard: down to the second row, Enter opens it.
	h.w.Canvas().Focus(tbl.Rows())
	tbl.Rows().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	tbl.Rows().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	tbl.Rows().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle()
	if br.currentAddr != "skills/2" || br.st.shape != shapeMember || !br.st.form.Visible() {
		t.Fatalf("Enter opened %q (shape %v)", br.currentAddr, br.st.shape)
	}
	if br.st.form.Title() != "skill 2" || br.st.form.Value("maxWaitTime") != "60" {
		t.Errorf("form %q maxWaitTime %q", br.st.form.Title(), br.st.form.Value("maxWaitTime"))
	}
	h.mustShow("Max wait time")
	h.mustShow("Sales")
	// Back shows the table again.
	h.tap(br.backBtn)
	if !tbl.Visible() {
		t.Fatal("back to the collection did not show the table")
	}
}

func TestRawViewsAreOneClickAwayAndStayChosen(t *testing.T) {
	h, _ := openForm(t)
	st := h.d.br.st
	if got := strings.Join(st.switcher.Options, " "); got != "Form Text Tree" {
		t.Fatalf("switch %q", got)
	}
	st.switcher.SetSelected("Tree")
	h.settle()
	if st.form.Visible() || !h.d.br.body.Visible() || !h.d.br.body.HasTree() {
		t.Fatal("Tree did not show the tree")
	}
	st.switcher.SetSelected("Text")
	h.mustShow(`"name": "Support"`)
	// The choice holds for the next resource, a collection.
	h.typeIn(h.d.br.address, "skills")
	h.tap(h.d.br.goBtn)
	if st.table.Visible() || st.switcher.Selected != "Text" {
		t.Fatalf("the text choice was forgotten: switch %q", st.switcher.Selected)
	}
	st.switcher.SetSelected("Table")
	if !st.table.Visible() {
		t.Fatal("Table did not come back")
	}
	// A body that is neither shows as text, with no table or form to pick.
	h.d.br.format.SetSelected("XML") // the fake's XML is <xml-of>…</xml-of>
	h.settle()
	if got := strings.Join(st.switcher.Options, " "); got != "Text Tree" || !h.d.br.body.Visible() {
		t.Fatalf("raw body: switch %q", got)
	}
}

func TestFormSaveSendsOnlyTheChangeWithIfMatch(t *testing.T) {
	h, f := openForm(t)
	h.tap(h.d.br.editBtn)
	ed := h.d.ed
	if ed == nil || !ed.asForm {
		t.Fatal("Edit on a form did not open the form editor")
	}
	if h.w.Canvas().Focused() != ed.form.Input("name").(fyne.Focusable) {
		t.Error("the first field does not have the keyboard")
	}
	if ed.form.Input("@id") != nil {
		t.Error("the id is editable")
	}
	if ed.dirty() {
		t.Fatal("an untouched form is dirty")
	}
	ed.form.SetValue("name", "Support EMEA")
	if !ed.dirty() {
		t.Fatal("an edit did not make the form dirty")
	}
	h.shortcut(scSave)
	want := `{"skill":{"@id":"1","name":"Support EMEA","maxWaitTime":"120"}}`
	if f.lastUpdate != want || f.lastIfMatch != `"1"` {
		t.Fatalf("update %s If-Match %s", f.lastUpdate, f.lastIfMatch)
	}
	if h.d.view != viewBrowser || h.d.br.st.form.Value("name") != "Support EMEA" {
		t.Fatalf("after save: view %q name %q", h.d.view, h.d.br.st.form.Value("name"))
	}
}

func TestFormRefusesAValueItsFieldCannotHold(t *testing.T) {
	h, f := openForm(t)
	h.tap(h.d.br.editBtn)
	ed := h.d.ed
	ed.form.SetValue("maxWaitTime", "soon")
	h.tap(ed.saveBtn)
	if f.count("Update") != 0 || h.d.view != viewEditor {
		t.Fatal("a number field holding text was sent")
	}
	h.mustShow("Max wait time: must be a number")
	if h.w.Canvas().Focused() != ed.form.Input("maxWaitTime").(fyne.Focusable) {
		t.Error("the cursor is not in the refused field")
	}
}

func TestFormConflictKeepsTheValuesOrLoadsTheirs(t *testing.T) {
	h, f := openForm(t)
	h.tap(h.d.br.editBtn)
	ed := h.d.ed
	ed.form.SetValue("name", "Mine")
	f.changeBehind("skills/1", `{"skill":{"@id":"1","name":"Theirs","maxWaitTime":"30"}}`)
	h.tap(ed.saveBtn)
	if ed.conflict == nil || h.dialogs() != 1 {
		t.Fatal("no conflict dialog on 412")
	}
	h.tap(ed.conflictKeep)
	if ed.form.Value("name") != "Mine" || h.d.view != viewEditor {
		t.Fatal("Keep editing lost the form's values")
	}
	h.tap(ed.saveBtn)
	h.tap(ed.conflictLoad)
	if ed.form.Value("name") != "Theirs" || ed.form.Value("maxWaitTime") != "30" || ed.etag != `"2"` || ed.dirty() {
		t.Fatalf("load theirs: name %q etag %q dirty %v", ed.form.Value("name"), ed.etag, ed.dirty())
	}
	// Overwrite sends the form's values over the newer revision.
	ed.form.SetValue("name", "Mine again")
	f.changeBehind("skills/1", `{"skill":{"@id":"1","name":"Theirs again","maxWaitTime":"30"}}`)
	h.tap(ed.saveBtn)
	h.tap(ed.conflictOverwrite)
	if f.lastIfMatch != `"3"` || f.lastUpdate != `{"skill":{"@id":"1","name":"Mine again","maxWaitTime":"30"}}` {
		t.Fatalf("overwrite: If-Match %s body %s", f.lastIfMatch, f.lastUpdate)
	}
}

func TestFormEditAsTextCarriesTheValues(t *testing.T) {
	h, f := openForm(t)
	h.tap(h.d.br.editBtn)
	ed := h.d.ed
	ed.form.SetValue("name", "Via text")
	h.tap(ed.asText)
	if ed.asForm || !ed.text.Visible() || !strings.Contains(ed.text.Text, `"name": "Via text"`) || !ed.dirty() {
		t.Fatalf("edit as text: form %v text %q", ed.asForm, ed.text.Text)
	}
	if h.w.Canvas().Focused() != ed.text {
		t.Error("the text does not have the keyboard")
	}
	h.tap(ed.saveBtn)
	if !strings.Contains(f.lastUpdate, `"Via text"`) {
		t.Fatalf("update %s", f.lastUpdate)
	}
}

func TestFormUnsavedClosePrompts(t *testing.T) {
	h, _ := openForm(t)
	h.tap(h.d.br.editBtn)
	ed := h.d.ed
	test.Type(ed.form.Input("name").(*xwidget.Entry), "x")
	h.d.escape()
	if h.dialogs() != 1 || h.d.view != viewEditor {
		t.Fatal("leaving an edited form did not ask")
	}
	h.mustShow("have not been saved")
}

func TestNewOnATableIsAFormShapedLikeTheMembers(t *testing.T) {
	h, f := openBrowser(t)
	br := h.d.br
	br.links.Select(1) // skills
	h.settle()
	h.tap(br.newBtn)
	ed := h.d.ed
	if ed == nil || ed.mode != editCreate || !ed.asForm {
		t.Fatal("New on a table did not open a form")
	}
	var keys []string
	for k := range ed.form.Values() {
		keys = append(keys, k)
	}
	if len(keys) != 1 || ed.form.Input("name") == nil {
		t.Fatalf("new skill fields %v", keys)
	}
	h.mustShow("New skill")
	ed.form.SetValue("name", "Billing")
	h.tap(ed.saveBtn)
	if f.count("Create skills") != 1 || f.res["skills/3"].body != `{"skill":{"name":"Billing"}}` {
		t.Fatalf("calls %v", f.calls)
	}
	if h.d.view != viewBrowser || br.currentAddr != "skills/3" || br.st.form.Value("name") != "Billing" {
		t.Fatalf("after create: view %q current %q", h.d.view, br.currentAddr)
	}
}

func TestAccountBaseIsAFormOfLinks(t *testing.T) {
	h, _ := openBrowser(t)
	st := h.d.br.st
	if st.shape != shapeMember {
		t.Fatalf("account base shape %v", st.shape)
	}
	b := st.form.LinkButton("skills")
	if b == nil {
		t.Fatal("no skills button")
	}
	h.tap(b)
	if h.d.br.currentAddr != "skills" {
		t.Fatalf("the skills button opened %q", h.d.br.currentAddr)
	}
}

func TestShapesAFormCannotShowAreEditedAsText(t *testing.T) {
	h, f := openBrowser(t)
	f.mu.Lock()
	f.res["deep"] = &fakeRes{body: `{"thing":{"@id":"9","a":{"b":{"c":{"d":{"e":"1"}}}}}}`, etag: `"1"`}
	f.res["mixed"] = &fakeRes{body: `{"thing":{"@id":"9","@x":"1","#text":"words"}}`, etag: `"1"`}
	f.mu.Unlock()
	for _, addr := range []string{"deep", "mixed"} {
		h.open(addr)
		st := h.d.br.st
		if st.shape != shapeRaw || !h.d.br.body.Visible() || strings.Join(st.switcher.Options, " ") != "Text Tree" {
			t.Fatalf("%s: shape %v options %v", addr, st.shape, st.switcher.Options)
		}
		h.tap(h.d.br.editBtn)
		if h.d.view != viewEditor || h.d.ed.asForm || !strings.Contains(h.d.ed.text.Text, `"thing"`) {
			t.Fatalf("%s: Edit did not open the text editor", addr)
		}
		h.d.escape()
	}
}
