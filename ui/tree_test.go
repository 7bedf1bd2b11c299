package ui

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
