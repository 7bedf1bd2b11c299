package widget

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// runner queues the results of background work and applies them on the
// test goroutine in settle, as the window's UI goroutine would.
type runner struct {
	t       *testing.T
	queue   chan func()
	pending int
	shown   []BodyMode
}

func (r *runner) background(work func() func()) {
	r.pending++
	go func() {
		apply := work()
		r.queue <- func() {
			r.pending--
			if apply != nil {
				apply()
			}
		}
	}()
}

func (r *runner) settle() {
	r.t.Helper()
	for r.pending > 0 {
		select {
		case f := <-r.queue:
			f()
		case <-time.After(20 * time.Second):
			r.t.Fatal("background work did not finish")
		}
	}
}

// step applies the next result of background work.
func (r *runner) step() {
	r.t.Helper()
	select {
	case f := <-r.queue:
		f()
	case <-time.After(20 * time.Second):
		r.t.Fatal("background work did not finish")
	}
}

// newTestView is a BodyView in a window, with queued background work.
func newTestView(t *testing.T) (*BodyView, *runner, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	r := &runner{t: t, queue: make(chan func(), 64)}
	var w fyne.Window
	v := NewBodyView(BodyViewHooks{
		Background: r.background,
		Do:         func(f func()) { r.queue <- f },
		Focus:      func(o fyne.Focusable) { w.Canvas().Focus(o) },
		Shown:      func(m BodyMode) { r.shown = append(r.shown, m) },
	})
	w = test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(800, 600))
	return v, r, w
}

func fyneCell(row, col int) widget.TableCellID { return widget.TableCellID{Row: row, Col: col} }

const skillsBody = `{"skills":{"skill":[{"@id":"1","name":"Support"},{"@id":"2","name":"Sales"}]}}`

func TestBodyViewSearchAndTree(t *testing.T) {
	v, r, w := newTestView(t)
	v.SetBody([]byte(skillsBody), wire.JSON)
	r.settle()
	if !v.HasText() || v.doc.rowCount() < 5 {
		t.Fatalf("body not pretty-printed into rows: %+v", v.doc)
	}
	test.Type(v.search, "sales")
	r.settle()
	if v.Matches() != 1 || v.searchInfo.Text != "1 of 1" {
		t.Fatalf("hits %v info %q", v.hits, v.searchInfo.Text)
	}
	if !strings.Contains(v.doc.row(v.hits[0]), "Sales") {
		t.Errorf("hit row %q", v.doc.row(v.hits[0]))
	}
	v.search.SetText("name")
	r.settle()
	if v.Matches() != 2 {
		t.Fatalf("hits for name: %v", v.hits)
	}
	test.Tap(v.nextBtn)
	if v.searchInfo.Text != "2 of 2" {
		t.Errorf("after next: %q", v.searchInfo.Text)
	}
	test.Tap(v.prevBtn)
	if v.searchInfo.Text != "1 of 2" {
		t.Errorf("after previous: %q", v.searchInfo.Text)
	}
	v.search.SetText("nowhere")
	r.settle()
	if v.Matches() != 0 || v.searchInfo.Text != "no match" {
		t.Errorf("no match: hits %v info %q", v.hits, v.searchInfo.Text)
	}

	v.SetMode(TreeMode)
	r.settle()
	if !v.HasTree() || !v.tree.Visible() || v.table.Visible() {
		t.Fatal("tree not shown")
	}
	if got := v.model.label("0"); got != "{…} 1 key" {
		t.Errorf("root label %q", got)
	}
	if got := v.model.label("0/0/0/0/1"); got != `name: "Support"` {
		t.Errorf("leaf label %q", got)
	}
	if len(r.shown) != 2 || r.shown[0] != TextMode || r.shown[1] != TreeMode {
		t.Errorf("shown %v, want text then tree", r.shown)
	}

	// FocusSearch goes back to the text.
	v.FocusSearch()
	if v.Mode() != TextMode || !v.table.Visible() || v.tree.Visible() {
		t.Error("FocusSearch did not return to the text")
	}
	if w.Canvas().Focused() != v.SearchBox() {
		t.Error("FocusSearch did not focus the search box")
	}
	if v.search.SelectedText() != "nowhere" {
		t.Errorf("search text not selected: %q", v.search.SelectedText())
	}
}

func TestBodyViewLargeBodyIsPreparedInTheBackground(t *testing.T) {
	v, r, _ := newTestView(t)
	var b strings.Builder
	b.WriteString(`{"items":[`)
	const n = 15000
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"item %d","tags":["a","b"]}`, i, i)
	}
	b.WriteString(`]}`)
	v.SetBody([]byte(b.String()), wire.JSON)
	// SetBody returned without doing the work: there are no rows until
	// the background result is applied.
	if v.HasText() {
		t.Fatal("the body was prepared on the UI goroutine")
	}
	r.settle()
	if v.doc.rowCount() < n*5 {
		t.Fatalf("rows %d", v.doc.rowCount())
	}
	rows, cols := v.table.Length()
	if rows != v.doc.rowCount() || cols != 2 {
		t.Fatalf("table length %d×%d", rows, cols)
	}
	v.search.SetText("item 14999")
	r.settle()
	if v.Matches() != 1 {
		t.Fatalf("hits %v", v.hits)
	}
}

func TestBodyViewShowsOnlyTheLatestBody(t *testing.T) {
	v, r, _ := newTestView(t)
	v.SetBody([]byte(`{"first":1}`), wire.JSON)
	v.SetBody([]byte(`{"second":2}`), wire.JSON)
	r.settle()
	if got := v.doc.text(); !strings.Contains(got, "second") {
		t.Fatalf("an older body's work replaced the newer one: %q", got)
	}
	if len(r.shown) != 1 {
		t.Errorf("shown %v, want once", r.shown)
	}
	v.SetBody(nil, wire.JSON)
	if v.HasText() || !v.note.Visible() || v.note.Text != "(empty body)" {
		t.Errorf("empty body: doc %v note %q", v.doc, v.note.Text)
	}
}

func TestBodyViewCellsAreNumberedAndColoured(t *testing.T) {
	v, r, _ := newTestView(t)
	v.SetBody([]byte(`{"a":"`+strings.Repeat("x", maxRowBytes+10)+`"}`), wire.JSON)
	r.settle()
	row := newCodeRow()
	v.updateCell(fyneCell(1, 0), row)
	if row.Text() != "2" {
		t.Errorf("line number cell %q", row.Text())
	}
	v.updateCell(fyneCell(2, 0), row)
	if row.Text() != "↪" {
		t.Errorf("continuation cell %q", row.Text())
	}
	v.updateCell(fyneCell(1, 1), row)
	if !strings.HasPrefix(row.Text(), `  "a": "xxx`) || len(row.segs) < 2 {
		t.Errorf("text cell %q segs %d", row.Text(), len(row.segs))
	}
}

// A large body's first screen is shown from its first slice, before the
// rest is made; the rest follows into the same table.
func TestBodyViewShowsFirstScreenBeforeTheRest(t *testing.T) {
	v, r, _ := newTestView(t)
	done := 0
	v.hooks.Complete = func() { done++ }
	body := bigJSON(20000)
	v.SetBody(body, wire.JSON)
	r.step()
	if !v.HasText() || v.TextComplete() || done != 0 || len(r.shown) != 1 {
		t.Fatalf("after one slice: text %v complete %v (%d) shown %v", v.HasText(), v.TextComplete(), done, r.shown)
	}
	first := v.doc.rowCount()
	if rows, _ := v.table.Length(); rows != first || first < 40 {
		t.Fatalf("first screen: table %d rows, doc %d", rows, first)
	}
	r.settle()
	if !v.TextComplete() || done != 1 || len(r.shown) != 1 {
		t.Fatalf("complete %v (%d) shown %v", v.TextComplete(), done, r.shown)
	}
	if v.doc.rowCount() < 50*first {
		t.Errorf("%d rows in all, %d on the first screen", v.doc.rowCount(), first)
	}
	if v.doc.text() != string(Pretty(body, wire.JSON)) {
		t.Error("the text made in slices is not Pretty's")
	}
}

// Showing the view again, as the browser does after each navigation, keeps
// the text's theme scope: a new scope loads every font again and keeps it.
func TestBodyViewKeepsItsThemeScope(t *testing.T) {
	v, r, _ := newTestView(t)
	v.SetBody([]byte(skillsBody), wire.JSON)
	r.settle()
	before := v.table.Theme()
	if before.Size(theme.SizeNamePadding) != 0 {
		t.Fatalf("the text is not under the compact theme: padding %v", before.Size(theme.SizeNamePadding))
	}
	v.Hide()
	v.Show()
	v.Refresh()
	v.stack.Refresh()
	if after := v.table.Theme(); after != before {
		t.Error("refreshing the view gave the text a new theme scope")
	}
}
