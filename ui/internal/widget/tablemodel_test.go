package widget

import (
	"strings"
	"testing"
)

func viewOf(m *tableModel, col int) string {
	var out []string
	for _, r := range m.view {
		out = append(out, m.rows[r][col])
	}
	return strings.Join(out, ",")
}

func TestTableModelSortsNumbersAsNumbers(t *testing.T) {
	m := newTableModel()
	m.set([]string{"id", "name"}, PrepareRows([][]string{{"10", "b"}, {"9", "A"}, {"100", "c"}, {"", "d"}, {"x", "e"}}))
	m.sortBy(0, false)
	if got := viewOf(&m, 0); got != "9,10,100,x," {
		t.Errorf("ascending %q", got)
	}
	m.sortBy(0, true)
	if got := viewOf(&m, 0); got != ",x,100,10,9" {
		t.Errorf("descending %q", got)
	}
	m.sortBy(1, false)
	if got := viewOf(&m, 1); got != "A,b,c,d,e" {
		t.Errorf("by name %q", got)
	}
	m.sortBy(-1, false)
	if got := viewOf(&m, 0); got != "10,9,100,,x" {
		t.Errorf("server order %q", got)
	}
}

func TestTableModelFilterAndPagesKeepTheView(t *testing.T) {
	m := newTableModel()
	m.set([]string{"name"}, PrepareRows([][]string{{"Zürich Support"}, {"Sales"}}))
	m.sortBy(0, false)
	m.setFilter("  zÜRICH ")
	if got := viewOf(&m, 0); got != "Zürich Support" {
		t.Errorf("filter %q", got)
	}
	// A further page is filtered and sorted into the view.
	m.add(PrepareRows([][]string{{"Billing (Zürich)"}, {"Returns"}}))
	if got := viewOf(&m, 0); got != "Billing (Zürich),Zürich Support" {
		t.Errorf("after a page %q", got)
	}
	m.setFilter("")
	if got := viewOf(&m, 0); got != "Billing (Zürich),Returns,Sales,Zürich Support" {
		t.Errorf("unfiltered %q", got)
	}
	// New columns reset the sort; the same ones keep it.
	m.set([]string{"name"}, PrepareRows([][]string{{"b"}, {"a"}}))
	if got := viewOf(&m, 0); got != "a,b" {
		t.Errorf("same columns %q", got)
	}
	m.set([]string{"other"}, PrepareRows([][]string{{"b"}, {"a"}}))
	if got := viewOf(&m, 0); got != "b,a" {
		t.Errorf("new columns %q", got)
	}
}
