package widget

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

type tableProbe struct {
	more   int
	opened []int
}

// newTestTable is a RecordTable of n rows (id, name) in a 600×400 window,
// with more on the server.
func newTestTable(t *testing.T, n int) (*RecordTable, *tableProbe, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	p := &tableProbe{}
	tbl := NewRecordTable(TableHooks{
		More: func() { p.more++ },
		Open: func(r int) { p.opened = append(p.opened, r) },
	})
	w := test.NewWindow(tbl)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(600, 400))
	tbl.SetData([]string{"ID", "Name"}, PrepareRows(page(0, n)), true, 3*n, "skills")
	return tbl, p, w
}

// page is rows from..from+n: ids counting up, names counting down.
func page(from, n int) [][]string {
	var rows [][]string
	for i := from; i < from+n; i++ {
		rows = append(rows, []string{fmt.Sprint(i + 1), fmt.Sprintf("skill %03d", 999-i)})
	}
	return rows
}

func key(o fyne.Focusable, k fyne.KeyName) { o.TypedKey(&fyne.KeyEvent{Name: k}) }

func TestRecordTableSortsByHeader(t *testing.T) {
	tbl, _, _ := newTestTable(t, 30)
	name := tbl.HeaderButton(1)
	if name == nil || name.Text != "Name" {
		t.Fatalf("name header %v", name)
	}
	test.Tap(name)
	if c, desc := tbl.Sort(); c != 1 || desc || tbl.Cell(0, 1) != "skill 970" || name.Text != "Name ▲" {
		t.Fatalf("ascending: sort %d %v first %q header %q", c, desc, tbl.Cell(0, 1), name.Text)
	}
	test.Tap(name)
	if tbl.Cell(0, 1) != "skill 999" || name.Text != "Name ▼" {
		t.Fatalf("descending: first %q header %q", tbl.Cell(0, 1), name.Text)
	}
	test.Tap(name)
	if c, _ := tbl.Sort(); c != -1 || tbl.Cell(0, 0) != "1" || name.Text != "Name" {
		t.Fatalf("third tap: sort %d first %q", c, tbl.Cell(0, 0))
	}
	// IDs sort as numbers: 10 after 9.
	test.Tap(tbl.HeaderButton(0))
	if tbl.Cell(8, 0) != "9" || tbl.Cell(9, 0) != "10" {
		t.Errorf("numeric sort: %q %q", tbl.Cell(8, 0), tbl.Cell(9, 0))
	}
}

func TestRecordTableFilter(t *testing.T) {
	tbl, p, _ := newTestTable(t, 30)
	test.Type(tbl.FilterBox(), "SKILL 98")
	if tbl.Shown() != 10 || tbl.Len() != 30 {
		t.Fatalf("shown %d of %d", tbl.Shown(), tbl.Len())
	}
	for r := range tbl.Shown() {
		if c := tbl.Cell(r, 1); c < "skill 980" || c > "skill 989" {
			t.Errorf("row %d %q does not match", r, c)
		}
	}
	// The ten rows leave the end on screen: the next page is asked for,
	// to find more that match.
	if got := tbl.info.Text; got != "10 match the filter · 30 of 90 skills loaded · loading more…" || p.more != 1 {
		t.Errorf("footer %q, more asked %d", got, p.more)
	}
}

func TestRecordTableKeysOpenAndPaging(t *testing.T) {
	tbl, p, w := newTestTable(t, 40)
	if p.more != 0 {
		t.Fatalf("asked for more with the end of the page off screen (%d)", p.more)
	}
	rows := tbl.Rows()
	w.Canvas().Focus(rows)
	key(rows, fyne.KeyDown)
	if tbl.Selected() != 0 {
		t.Fatalf("Down selected %d", tbl.Selected())
	}
	key(rows, fyne.KeyDown)
	key(rows, fyne.KeyUp)
	key(rows, fyne.KeyDown)
	if tbl.Selected() != 1 {
		t.Fatalf("Down Up Down selected %d", tbl.Selected())
	}
	key(rows, fyne.KeyPageDown)
	page := tbl.Selected() - 1
	if page < 3 || page > 20 {
		t.Fatalf("Page Down moved %d rows", page)
	}
	key(rows, fyne.KeyPageUp)
	if tbl.Selected() != 1 {
		t.Fatalf("Page Up back to %d", tbl.Selected())
	}
	key(rows, fyne.KeyReturn)
	if len(p.opened) != 1 || p.opened[0] != 1 {
		t.Fatalf("Enter opened %v", p.opened)
	}
	// End reaches the last loaded row: the next page is asked for, once.
	key(rows, fyne.KeyEnd)
	if tbl.Selected() != 39 || p.more != 1 || !tbl.Loading() {
		t.Fatalf("End: selected %d, more asked %d, loading %v", tbl.Selected(), p.more, tbl.Loading())
	}
	key(rows, fyne.KeyUp)
	if p.more != 1 {
		t.Fatalf("asked again while loading (%d)", p.more)
	}
	tbl.Append(page2(), false)
	if tbl.Len() != 50 || tbl.Loading() || tbl.HasMore() || tbl.Selected() != 38 {
		t.Fatalf("after the page: len %d loading %v more %v selected %d", tbl.Len(), tbl.Loading(), tbl.HasMore(), tbl.Selected())
	}
	key(rows, fyne.KeyEnd)
	if p.more != 1 || tbl.Selected() != 49 {
		t.Fatalf("asked for more after the last page (%d), selected %d", p.more, tbl.Selected())
	}
	key(rows, fyne.KeyHome)
	if tbl.Selected() != 0 {
		t.Fatalf("Home selected %d", tbl.Selected())
	}
	// A double click opens the row under the pointer: the one a click
	// there selects.
	at := &fyne.PointEvent{Position: fyne.NewPos(20, 150)}
	tbl.grid.Tapped(at)
	under := tbl.Selected()
	key(rows, fyne.KeyHome)
	tbl.grid.DoubleTapped(at)
	if under <= 0 || len(p.opened) != 2 || p.opened[1] != under {
		t.Fatalf("double click on row %d opened %v", under, p.opened)
	}
}

func page2() TableRows { return PrepareRows(page(40, 10)) }

func TestRecordTableLoadMoreButtonAndFailure(t *testing.T) {
	tbl, p, _ := newTestTable(t, 5)
	// Five rows fit: the end is on screen, so the next page is asked for.
	if p.more != 1 || !tbl.Loading() || tbl.moreBtn.Visible() {
		t.Fatalf("short page: more %d loading %v", p.more, tbl.Loading())
	}
	tbl.Loaded(true) // the request failed; the button offers it again
	if !tbl.moreBtn.Visible() {
		t.Fatal("no Load more after a failure")
	}
	test.Tap(tbl.moreBtn)
	if p.more != 2 || !tbl.Loading() {
		t.Fatalf("Load more: asked %d", p.more)
	}
}
