package widget

import (
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestTextDocSplitsLongLinesAndSearches(t *testing.T) {
	long := strings.Repeat("ab", maxRowBytes) // two rows' worth on one line
	d := newTextDoc([]byte("first\n"+long+"\nlast é"), "")
	if d.rowCount() != 4 {
		t.Fatalf("rows %d", d.rowCount())
	}
	if d.lineNo(1) != 2 || !d.continues(2) || d.continues(1) || d.lineNo(3) != 3 {
		t.Errorf("line numbers %d %d", d.lineNo(1), d.lineNo(3))
	}
	if got := d.row(3); got != "last é" {
		t.Errorf("row 3 %q", got)
	}
	if hits := d.search("LAST"); len(hits) != 1 || hits[0] != 3 {
		t.Errorf("search LAST: %v", hits)
	}
	if hits := d.search("ab"); len(hits) != 2 || hits[0] != 1 || hits[1] != 2 {
		t.Errorf("search ab: %v", hits)
	}
	// A cut never splits a UTF-8 sequence.
	multi := strings.Repeat("é", maxRowBytes)
	d = newTextDoc([]byte(multi), "")
	for i := range d.rowCount() {
		if strings.ContainsRune(d.row(i), '\uFFFD') {
			t.Fatalf("row %d has a broken character", i)
		}
	}
}

func TestTextDocPrettyPrints(t *testing.T) {
	d := newTextDoc([]byte(`{"a":{"b":[1,2]}}`), wire.JSON)
	if d.rowCount() < 6 || d.row(1) != `  "a": {` {
		t.Fatalf("rows %q", d.row(1))
	}
	// A body that does not parse is shown as it is.
	d = newTextDoc([]byte(`{"a":`), wire.JSON)
	if d.rowCount() != 1 || d.row(0) != `{"a":` {
		t.Fatalf("broken body rows %d", d.rowCount())
	}
}

func TestPrettyKeepsWhatDoesNotParse(t *testing.T) {
	if got := string(Pretty([]byte(`{"a":1}`), wire.JSON)); got != "{\n  \"a\": 1\n}" {
		t.Errorf("pretty JSON %q", got)
	}
	if got := string(Pretty([]byte("plain\n"), wire.Format("text"))); got != "plain\n" {
		t.Errorf("plain text changed: %q", got)
	}
}
