package sandbox

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestRenderMapping(t *testing.T) {
	n := el("events",
		linkEl("next", "http://x/events?from=2&a=b"),
		el("event", textEl("text", `a < b & "c"`), numEl("n", 5), boolEl("ok", true), el("empty")).attr("id", "1").attr("type", "line"),
	)
	gotJSON := strings.TrimSpace(string(render(n, wire.JSON)))
	wantJSON := `{"events":{"link":{"@rel":"next","@href":"http://x/events?from=2&a=b"},"event":{"@id":"1","@type":"line","text":"a < b & \"c\"","n":5,"ok":true,"empty":{}}}}`
	if gotJSON != wantJSON {
		t.Errorf("json\n got %s\nwant %s", gotJSON, wantJSON)
	}
	if !json.Valid([]byte(gotJSON)) {
		t.Error("invalid JSON")
	}
	gotXML := strings.TrimSpace(string(render(n, wire.XML)))
	wantXML := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<events><link rel="next" href="http://x/events?from=2&amp;a=b"/><event id="1" type="line"><text>a &lt; b &amp; &#34;c&#34;</text><n>5</n><ok>true</ok><empty/></event></events>`
	if gotXML != wantXML {
		t.Errorf("xml\n got %s\nwant %s", gotXML, wantXML)
	}
	// Two children of one name become an array.
	two := el("l", textEl("i", "1"), textEl("i", "2"))
	if got := strings.TrimSpace(string(render(two, wire.JSON))); got != `{"l":{"i":["1","2"]}}` {
		t.Errorf("array: %s", got)
	}
}

// TestParseBothFormatsAlike parses the same record written in XML and in the
// JSON mapping and expects identical trees.
func TestParseBothFormatsAlike(t *testing.T) {
	x, err := parseBody([]byte(`<?xml version="1.0"?>
<user id="7"><loginName>a.b</loginName><skillIds><skillId>1</skillId><skillId>2</skillId></skillIds></user>`), wire.XML)
	if err != nil {
		t.Fatal(err)
	}
	j, err := parseBody([]byte(`{"user":{"@id":7,"loginName":"a.b","skillIds":{"skillId":[1,"2"]}}}`), wire.JSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node{x, j} {
		if n.Name != "user" || len(n.Attrs) != 1 || n.Attrs[0] != (attr{"id", "7"}) {
			t.Fatalf("root %+v", n)
		}
		if n.child("loginName").Text != "a.b" {
			t.Fatalf("loginName %+v", n.child("loginName"))
		}
		ids := n.child("skillIds").Children
		if len(ids) != 2 || ids[0].Text != "1" || ids[1].Text != "2" {
			t.Fatalf("skillIds %+v", ids)
		}
	}
}

func TestParseErrorsNamePosition(t *testing.T) {
	for _, tc := range []struct {
		f         wire.Format
		in        string
		line, col int
	}{
		{wire.JSON, "{\"a\":\n  {\"b\": tru}}", 2, 12},
		{wire.JSON, "{\"a\" 1}", 1, 6},
		{wire.JSON, "{\"a\": {", 1, 8},
		{wire.JSON, `["a"]`, 1, 1},
		{wire.JSON, `{"a":{}} x`, 1, 10},
		{wire.JSON, `{"a":{}, "b":{}}`, 1, 0},
		{wire.XML, "<a>\n<b></c></a>", 2, 0},
		{wire.XML, "<a/><b/>", 1, 0},
		{wire.XML, "", 1, 1},
	} {
		_, err := parseBody([]byte(tc.in), tc.f)
		be, ok := err.(*bodyError)
		if !ok {
			t.Errorf("%s %q: err %v", tc.f, tc.in, err)
			continue
		}
		if be.Line != tc.line || (tc.col != 0 && be.Col != tc.col) {
			t.Errorf("%s %q: at %d:%d (%s), want %d:%d", tc.f, tc.in, be.Line, be.Col, be.Msg, tc.line, tc.col)
		}
	}
}

func TestJSONStringEscaping(t *testing.T) {
	for _, s := range []string{"plain", `q"b\s`, "tab\tnl\nctl\x01", "é日本\u2028", "bad\xffutf8", "<&>"} {
		var b bytes.Buffer
		writeJSONString(&b, s)
		var back string
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatalf("%q → %s: %v", s, b.String(), err)
		}
		want := strings.ToValidUTF8(s, "\uFFFD")
		if back != want {
			t.Errorf("%q → %s → %q", s, b.String(), back)
		}
	}
}
