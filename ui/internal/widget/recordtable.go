package widget

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TableHooks connect a RecordTable to the window it is in.
type TableHooks struct {
	// Keys are the window's shortcuts, for the filter box and the rows.
	Keys Keys
	// More is asked for further rows when the user nears the end of what
	// is loaded and the table was told there is more; the answer comes
	// as Append (or Loaded(false) after a failure).
	More func()
	// Open is told which row (as given, whatever the view's order) the
	// user opened with Enter or a double click.
	Open func(row int)
}

// nearEnd is how close to the last loaded row the user may come before
// the next page is asked for, so that it usually arrives before it is
// needed.
const nearEnd = 10

// RecordTable shows records — a collection's members — as a virtualised
// table: only the rows on screen exist as widgets. A header click sorts
// by that column (again: the other way), the filter box keeps the rows
// with a cell containing its text, and scrolling near the end asks for
// the next page. Arrows, Page Up/Down, Home and End move the selection;
// Enter or a double click opens the row.
type RecordTable struct {
	widget.BaseWidget
	hooks TableHooks

	model    tableModel
	more     bool
	loading  bool
	total    int
	noun     string
	selected int // the selected row's index as given, -1 for none

	grid     *recordGrid
	filter   *Entry
	info     *widget.Label
	moreBtn  *widget.Button
	activity *widget.Activity
	content  fyne.CanvasObject
}

// NewRecordTable is an empty table.
func NewRecordTable(h TableHooks) *RecordTable {
	t := &RecordTable{hooks: h, model: newTableModel(), selected: -1, total: -1, noun: "rows"}
	t.ExtendBaseWidget(t)
	t.grid = newRecordGrid(t)
	t.filter = NewEntry(h.Keys, "Filter rows")
	t.filter.OnChanged = func(s string) {
		t.model.setFilter(s)
		t.viewChanged()
	}
	t.filter.OnSubmitted = func(string) {
		if len(t.model.view) > 0 {
			t.SelectRow(0)
			t.focus(t.grid)
		}
	}
	t.info = widget.NewLabel("")
	t.info.Truncation = fyne.TextTruncateEllipsis
	t.moreBtn = widget.NewButtonWithIcon("Load more", theme.MoreHorizontalIcon(), t.requestMore)
	t.moreBtn.Hide()
	t.activity = widget.NewActivity()
	t.activity.Hide()
	filterIcon := widget.NewIcon(theme.SearchIcon())
	top := container.NewBorder(nil, nil, filterIcon, nil, t.filter)
	foot := container.NewBorder(nil, nil, nil, container.NewHBox(t.activity, t.moreBtn), t.info)
	t.content = container.NewBorder(top, foot, nil, nil, t.grid)
	return t
}

// CreateRenderer shows the filter box over the rows and the count under
// them.
func (t *RecordTable) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(t.content)
}

// SetData replaces the table: columns, rows (see PrepareRows),
// whether the server has more, the total it reports (-1 when it does not)
// and what the rows are called ("skills"). The sort is kept when the
// columns are the same; the filter always is.
func (t *RecordTable) SetData(cols []string, rows TableRows, more bool, total int, noun string) {
	t.model.set(cols, rows)
	t.more, t.loading, t.total = more, false, total
	if noun != "" {
		t.noun = noun
	}
	t.selected = -1
	t.grid.UnselectAll()
	t.sizeColumns()
	t.grid.Refresh()
	t.grid.ScrollToTop()
	t.footer()
}

// Append adds a further page of rows; more says whether there is yet
// another.
func (t *RecordTable) Append(rows TableRows, more bool) {
	t.model.add(rows)
	t.more, t.loading = more, false
	t.viewChanged()
}

// Loaded ends a request for more rows that brought none (it failed);
// more says whether to offer it again.
func (t *RecordTable) Loaded(more bool) {
	t.more, t.loading = more, false
	t.footer()
}

// Loading reports whether further rows were asked for and have not come.
func (t *RecordTable) Loading() bool { return t.loading }

// HasMore reports whether the server has rows not loaded yet.
func (t *RecordTable) HasMore() bool { return t.more }

// Columns are the column names.
func (t *RecordTable) Columns() []string { return t.model.cols }

// Len is the number of rows loaded; Shown the number the filter keeps.
func (t *RecordTable) Len() int   { return len(t.model.rows) }
func (t *RecordTable) Shown() int { return len(t.model.view) }

// Cell is what the view shows at row, col.
func (t *RecordTable) Cell(row, col int) string {
	if row < 0 || row >= len(t.model.view) {
		return ""
	}
	return t.model.cell(t.model.view[row], col)
}

// RowAt is the row as given shown at view row, or -1.
func (t *RecordTable) RowAt(row int) int {
	if row < 0 || row >= len(t.model.view) {
		return -1
	}
	return t.model.view[row]
}

// Selected is the selected row as given, or -1.
func (t *RecordTable) Selected() int { return t.selected }

// SortBy orders the rows by col (descending when desc); -1 restores the
// server's order.
func (t *RecordTable) SortBy(col int, desc bool) {
	t.model.sortBy(col, desc)
	t.viewChanged()
}

// Sort is the column the rows are sorted by (-1: none) and the direction.
func (t *RecordTable) Sort() (col int, desc bool) { return t.model.sortCol, t.model.desc }

// FilterBox is the filter entry.
func (t *RecordTable) FilterBox() *Entry { return t.filter }

// Rows is the focusable grid of rows, for the keyboard.
func (t *RecordTable) Rows() fyne.Focusable { return t.grid }

// HeaderButton is the sort button of col, for tests; nil when it is not
// on screen.
func (t *RecordTable) HeaderButton(col int) *widget.Button { return t.grid.headers[col] }

// SelectRow selects view row and scrolls to it.
func (t *RecordTable) SelectRow(row int) {
	if row < 0 || row >= len(t.model.view) {
		return
	}
	t.grid.Select(widget.TableCellID{Row: row, Col: max(t.grid.col, 0)})
}

// OpenSelected opens the selected row.
func (t *RecordTable) OpenSelected() {
	if t.selected >= 0 && t.hooks.Open != nil {
		t.hooks.Open(t.selected)
	}
}

func (t *RecordTable) focus(o fyne.Focusable) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil {
		c.Focus(o)
	}
}

// viewChanged follows a new filter, sort or page: the selection stays on
// its row if that is still shown.
func (t *RecordTable) viewChanged() {
	sel := t.selected
	t.grid.UnselectAll()
	t.selected = -1
	for i, r := range t.model.view {
		if r == sel {
			t.grid.Select(widget.TableCellID{Row: i, Col: max(t.grid.col, 0)})
			break
		}
	}
	t.grid.Refresh()
	t.footer()
}

func (t *RecordTable) requestMore() {
	if !t.more || t.loading || t.hooks.More == nil {
		return
	}
	t.loading = true
	t.footer()
	t.hooks.More()
}

func (t *RecordTable) footer() {
	n, shown := len(t.model.rows), len(t.model.view)
	var s string
	switch {
	case t.total >= 0 && n < t.total:
		s = fmt.Sprintf("%d of %d %s loaded", n, t.total, t.noun)
	case t.more:
		s = fmt.Sprintf("%d %s loaded, more on the server", n, t.noun)
	default:
		s = fmt.Sprintf("%d %s", n, t.noun)
	}
	if t.model.filter != "" {
		s = fmt.Sprintf("%d match the filter · %s", shown, s)
	}
	if t.loading {
		s += " · loading more…"
		t.activity.Show()
		t.activity.Start()
	} else {
		t.activity.Stop()
		t.activity.Hide()
	}
	t.info.SetText(s)
	if t.more && !t.loading {
		t.moreBtn.Show()
	} else {
		t.moreBtn.Hide()
	}
}

// sizeColumns fits each column to its header and the first rows, within
// bounds, so that one long value does not push the others off screen.
func (t *RecordTable) sizeColumns() {
	const sample = 200
	const minW, maxW float32 = 64, 320
	size := theme.TextSize()
	pad := 2*theme.InnerPadding() + theme.Padding()
	for c, name := range t.model.cols {
		w := fyne.MeasureText(name+" ▲", size, fyne.TextStyle{Bold: true}).Width
		for r := 0; r < len(t.model.rows) && r < sample; r++ {
			w = max(w, fyne.MeasureText(t.model.cell(r, c), size, fyne.TextStyle{}).Width)
		}
		t.grid.SetColumnWidth(c, min(max(w+pad, minW), maxW))
	}
}

// recordGrid is the table proper, with the keys and double click of a
// record list.
type recordGrid struct {
	widget.Table
	t       *RecordTable
	col     int // the column the keyboard is in
	headers map[int]*widget.Button
}

func newRecordGrid(t *RecordTable) *recordGrid {
	g := &recordGrid{t: t, headers: map[int]*widget.Button{}}
	g.Length = func() (int, int) { return len(t.model.view), len(t.model.cols) }
	g.CreateCell = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return container.NewStack(canvas.NewRectangle(color.Transparent), l)
	}
	g.UpdateCell = g.updateCell
	g.ShowHeaderRow = true
	g.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		return b
	}
	g.UpdateHeader = g.updateHeader
	g.OnSelected = func(id widget.TableCellID) {
		g.col = id.Col
		if id.Row >= 0 && id.Row < len(t.model.view) {
			t.selected = t.model.view[id.Row]
		}
		g.Refresh()
	}
	g.ExtendBaseWidget(g)
	return g
}

func (g *recordGrid) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	t := g.t
	box := o.(*fyne.Container)
	bg := box.Objects[0].(*canvas.Rectangle)
	l := box.Objects[1].(*widget.Label)
	if id.Row >= len(t.model.view) {
		l.SetText("")
		return
	}
	r := t.model.view[id.Row]
	l.SetText(t.model.cell(r, id.Col))
	fill := color.Color(color.Transparent)
	if r == t.selected {
		fill = theme.Color(theme.ColorNameSelection)
	}
	if bg.FillColor != fill {
		bg.FillColor = fill
		bg.Refresh()
	}
	if t.more && !t.loading && id.Row >= len(t.model.view)-nearEnd {
		t.requestMore()
	}
}

func (g *recordGrid) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	t := g.t
	if id.Col < 0 || id.Col >= len(t.model.cols) {
		b.SetText("")
		b.OnTapped = nil
		return
	}
	col := id.Col
	text := t.model.cols[col]
	if t.model.sortCol == col {
		if t.model.desc {
			text += " ▼"
		} else {
			text += " ▲"
		}
	}
	for c, hb := range g.headers {
		if hb == b && c != col {
			delete(g.headers, c)
		}
	}
	g.headers[col] = b
	b.SetText(text)
	b.OnTapped = func() {
		sortCol, desc := t.model.sortCol, t.model.desc
		switch {
		case sortCol != col:
			t.SortBy(col, false)
		case !desc:
			t.SortBy(col, true)
		default:
			t.SortBy(-1, false)
		}
	}
}

// pageRows is how many rows fit on screen.
func (g *recordGrid) pageRows() int {
	h := g.CreateCell().MinSize().Height + theme.SeparatorThicknessSize()
	return max(int(g.Size().Height/h)-1, 1)
}

// TypedKey moves the selection by row, page or to either end, opens the
// selected row on Enter and hands Esc to the window.
func (g *recordGrid) TypedKey(e *fyne.KeyEvent) {
	t := g.t
	n := len(t.model.view)
	cur := -1
	for i, r := range t.model.view {
		if r == t.selected {
			cur = i
			break
		}
	}
	move := func(to int) {
		if n > 0 {
			t.SelectRow(min(max(to, 0), n-1))
		}
	}
	switch e.Name {
	case fyne.KeyDown:
		move(cur + 1)
	case fyne.KeyUp:
		move(cur - 1)
	case fyne.KeyPageDown:
		move(cur + g.pageRows())
	case fyne.KeyPageUp:
		move(cur - g.pageRows())
	case fyne.KeyHome:
		move(0)
	case fyne.KeyEnd:
		move(n - 1)
	case fyne.KeyReturn, fyne.KeyEnter:
		t.OpenSelected()
	case fyne.KeyEscape:
		if t.hooks.Keys.Escape != nil {
			t.hooks.Keys.Escape()
		}
	case fyne.KeyLeft, fyne.KeyRight:
		g.Table.TypedKey(e)
	}
}

// DoubleTapped opens the row under the pointer.
func (g *recordGrid) DoubleTapped(e *fyne.PointEvent) {
	g.Tapped(e)
	g.t.OpenSelected()
}

var _ fyne.DoubleTappable = (*recordGrid)(nil)
