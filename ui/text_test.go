package ui

import (
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestValidateJSONPositions(t *testing.T) {
	cases := []struct {
		body      string
		line, col int
		msg       string
	}{
		{"{\n  \"a\": x\n}", 2, 8, "invalid character 'x'"},
		{"{\"a\": 1,}", 1, 9, "invalid character '}'"},
		{"{\n  \"a\": \"é\" \"b\"\n}", 2, 12, "after object key:value pair"},
		{"{\"a\": [1, 2", 1, 12, "unexpected end"},
		{"{}\n{}", 2, 1, "unexpected text after the JSON value"},
		{"   ", 1, 1, "empty"},
	}
	for _, c := range cases {
		e := validateBody([]byte(c.body), wire.JSON)
		if e == nil {
			t.Errorf("%q: no error", c.body)
			continue
		}
		if e.Line != c.line || e.Col != c.col || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%q: got %v, want line %d, column %d: …%s…", c.body, e, c.line, c.col, c.msg)
		}
	}
	if e := validateBody([]byte(`{"skill": {"name": "ok"}}`), wire.JSON); e != nil {
		t.Errorf("valid JSON refused: %v", e)
	}
}

func TestValidateXMLPositions(t *testing.T) {
	cases := []struct {
		body string
		line int
		msg  string
	}{
		{"<a>\n  <b>x & y</b>\n</a>", 2, "invalid character entity"},
		{"<a>\n<b></c>\n</a>", 2, "element <b> closed by </c>"},
		{"<a/><b/>", 1, "a second root element <b>"},
		{"<a>", 1, "unexpected EOF"},
		{"text", 1, "text outside the root element"},
		{"<!-- only a comment -->", 1, "no root element"},
	}
	for _, c := range cases {
		e := validateBody([]byte(c.body), wire.XML)
		if e == nil {
			t.Errorf("%q: no error", c.body)
			continue
		}
		if e.Line != c.line || e.Col < 1 || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%q: got %v, want line %d: …%s…", c.body, e, c.line, c.msg)
		}
	}
	if e := validateBody([]byte(`<?xml version="1.0"?><skill id="1"><name>A &amp; B</name></skill>`), wire.XML); e != nil {
		t.Errorf("valid XML refused: %v", e)
	}
}

func TestTextDocSplitsLongLinesAndSearches(t *testing.T) {
	long := strings.Repeat("ab", maxRowBytes) // two rows' worth on one line
	d := newTextDoc([]byte("first\n"+long+"\nlast é"), "")
	if len(d.rows) != 4 {
		t.Fatalf("rows %d", len(d.rows))
	}
	if d.lineNo[1] != 2 || !d.continues(2) || d.continues(1) || d.lineNo[3] != 3 {
		t.Errorf("line numbers %v", d.lineNo)
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
	for i := range d.rows {
		if strings.ContainsRune(d.row(i), '\uFFFD') {
			t.Fatalf("row %d has a broken character", i)
		}
	}
}

func TestTextDocPrettyPrints(t *testing.T) {
	d := newTextDoc([]byte(`{"a":{"b":[1,2]}}`), wire.JSON)
	if len(d.rows) < 6 || d.row(1) != `  "a": {` {
		t.Fatalf("rows %q", d.row(1))
	}
	// A body that does not parse is shown as it is.
	d = newTextDoc([]byte(`{"a":`), wire.JSON)
	if len(d.rows) != 1 || d.row(0) != `{"a":` {
		t.Fatalf("broken body rows %v", d.rows)
	}
}

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

func TestMaskToken(t *testing.T) {
	for in, want := range map[string]string{
		"abcdef0123456789wxyz": "abcd…wxyz",
		"short":                "sh…",
		"":                     "(none)",
	} {
		if got := maskToken(in); got != want {
			t.Errorf("maskToken(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRelativeAddress(t *testing.T) {
	base := "http://h/api/account/1"
	for href, want := range map[string]string{
		"http://h/api/account/1":                    "",
		"http://h/api/account/1/skills?v=1":         "skills",
		"http://h/api/account/1/chat/x?from=2&v=1":  "chat/x?from=2",
		"http://h/api/account/12/skills":            "http://h/api/account/12/skills",
		"http://other/api/account/1/skills":         "http://other/api/account/1/skills",
		"http://h/api/account/1/events?v=1&from=20": "events?from=20",
	} {
		if got := relativeAddress(base, href); got != want {
			t.Errorf("relativeAddress(%q) = %q, want %q", href, got, want)
		}
	}
}

func TestNewBodyTemplate(t *testing.T) {
	if got := newBodyTemplate([]byte(`{"skills":{"skill":[]}}`), wire.JSON); !strings.Contains(got, `"skill": {`) {
		t.Errorf("JSON template %q", got)
	}
	if got := newBodyTemplate([]byte(`<users><user/></users>`), wire.XML); !strings.HasPrefix(got, "<user>") {
		t.Errorf("XML template %q", got)
	}
}

func TestXMLTree(t *testing.T) {
	m, err := buildTree([]byte(`<skills count="2"><skill id="1"><name>Support</name></skill><skill id="2"/></skills>`), wire.XML)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.label("0"); got != `<skills count="2">` {
		t.Errorf("root %q", got)
	}
	if got := m.childIDs("0"); len(got) != 2 || got[1] != "0/1" {
		t.Errorf("children %v", got)
	}
	if got := m.label("0/0/0"); got != `<name> "Support"` {
		t.Errorf("text element %q", got)
	}
	if m.isBranch("0/1") || !m.isBranch("0/0") {
		t.Error("branch detection")
	}
	if _, err := buildTree([]byte(`<a><b></a>`), wire.XML); err == nil {
		t.Error("malformed XML built a tree")
	}
	deep := strings.Repeat("[", maxTreeDepth+2) + strings.Repeat("]", maxTreeDepth+2)
	if _, err := buildTree([]byte(deep), wire.JSON); err == nil {
		t.Error("a hostile nesting depth was accepted")
	}
}
