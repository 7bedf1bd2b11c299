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
