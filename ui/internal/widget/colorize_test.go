package widget

import (
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestColorize(t *testing.T) {
	segs := colorize(`  "name": "Sales", "n": -1.5e3, "ok": true, "x": null`, wire.JSON)
	kinds := map[string]tokKind{}
	for _, s := range segs {
		kinds[strings.TrimSpace(s.text)] = s.kind
	}
	if kinds[`"name"`] != tokKey || kinds[`"Sales"`] != tokString || kinds["-1.5e3"] != tokNumber ||
		kinds["true"] != tokLiteral || kinds["null"] != tokLiteral {
		t.Errorf("JSON segments %+v", segs)
	}
	// A row cut from a document: an escaped quote stays inside its string,
	// and a string the row does not close runs to the row's end.
	segs = colorize(`"a\"b" : "open, 1`, wire.JSON)
	if len(segs) != 3 || segs[0] != (seg{`"a\"b"`, tokKey}) || segs[2] != (seg{`"open, 1`, tokString}) {
		t.Errorf("escaped and unterminated: %+v", segs)
	}
	var joined strings.Builder
	for _, s := range colorize(`<skill id="1"><name>A &amp; B</name><!-- c --></skill>`, wire.XML) {
		joined.WriteString(s.text)
		if s.text == `"1"` && s.kind != tokString || s.text == "id" && s.kind != tokAttr || s.text == "<skill" && s.kind != tokTag {
			t.Errorf("XML segment %+v", s)
		}
	}
	if joined.String() != `<skill id="1"><name>A &amp; B</name><!-- c --></skill>` {
		t.Errorf("XML segments lose text: %q", joined.String())
	}
}
