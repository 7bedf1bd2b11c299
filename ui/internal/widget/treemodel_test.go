package widget

import (
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

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

func TestJSONTreeLabels(t *testing.T) {
	m, err := buildTree([]byte(`{"skills":{"skill":[{"@id":"1","name":"Support","n":2,"ok":true,"x":null}]}}`), wire.JSON)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"0":           "{…} 1 key",
		"0/0":         "skills: {…} 1 key",
		"0/0/0":       "skill: […] 1 item",
		"0/0/0/0":     "[0]: {…} 5 keys",
		"0/0/0/0/1":   `name: "Support"`,
		"0/0/0/0/2":   "n: 2",
		"0/0/0/0/3":   "ok: true",
		"0/0/0/0/4":   "x: null",
		"0/0/0/0/9":   "",
		"not/an/id/x": "",
	} {
		if got := m.label(id); got != want {
			t.Errorf("label(%q) = %q, want %q", id, got, want)
		}
	}
	if _, err := buildTree([]byte("plain"), wire.Format("text")); err == nil {
		t.Error("a tree of a body that is neither JSON nor XML")
	}
}
