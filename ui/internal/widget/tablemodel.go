package widget

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// tableModel holds a table's rows and the view of them the user asked
// for: filtered by a text, sorted by a column. Rows keep their index, so
// that what a view row shows can be opened whatever the order.
type tableModel struct {
	cols []string
	rows [][]string
	// lower are the rows in lower case, for filtering without allocating
	// on every keystroke.
	lower [][]string
	view  []int

	sortCol int // -1: the server's order
	desc    bool
	filter  string
}

func newTableModel() tableModel { return tableModel{sortCol: -1} }

// TableRows are rows prepared for a RecordTable. Preparing them is the
// part of showing a large page that grows with its size, so it can be done
// off the UI goroutine with PrepareRows.
type TableRows struct {
	cells, lower [][]string
}

// PrepareRows prepares rows (a cell per column each). It is safe to call
// from any goroutine.
func PrepareRows(rows [][]string) TableRows {
	t := TableRows{cells: rows, lower: make([][]string, len(rows))}
	for i, r := range rows {
		l := make([]string, len(r))
		for j, c := range r {
			l[j] = strings.ToLower(c)
		}
		t.lower[i] = l
	}
	return t
}

// Len is the number of rows.
func (t TableRows) Len() int { return len(t.cells) }

// set replaces columns and rows, keeping the sort and filter when the
// columns are the same.
func (m *tableModel) set(cols []string, rows TableRows) {
	if !slices.Equal(cols, m.cols) {
		m.sortCol, m.desc = -1, false
	}
	m.cols = cols
	m.rows, m.lower = nil, nil
	m.add(rows)
}

// add appends rows (a further page).
func (m *tableModel) add(rows TableRows) {
	m.rows = append(m.rows, rows.cells...)
	m.lower = append(m.lower, rows.lower...)
	m.refresh()
}

// setFilter shows only the rows with a cell containing s (ignoring case).
func (m *tableModel) setFilter(s string) {
	m.filter = strings.ToLower(strings.TrimSpace(s))
	m.refresh()
}

// sortBy orders the view by col; -1 restores the server's order.
func (m *tableModel) sortBy(col int, desc bool) {
	m.sortCol, m.desc = col, desc
	m.refresh()
}

func (m *tableModel) refresh() {
	m.view = m.view[:0]
	for i, l := range m.lower {
		if m.filter == "" || slices.ContainsFunc(l, func(c string) bool { return strings.Contains(c, m.filter) }) {
			m.view = append(m.view, i)
		}
	}
	if m.sortCol < 0 || m.sortCol >= len(m.cols) {
		return
	}
	col := m.sortCol
	slices.SortStableFunc(m.view, func(a, b int) int {
		c := compareCells(m.cell(a, col), m.cell(b, col))
		if m.desc {
			return -c
		}
		return c
	})
}

func (m *tableModel) cell(row, col int) string {
	if col < len(m.rows[row]) {
		return m.rows[row][col]
	}
	return ""
}

// compareCells orders numbers as numbers and text without regard to case;
// empty cells go last, numbers before text.
func compareCells(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	switch {
	case errA == nil && errB == nil:
		return cmp.Compare(fa, fb)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
