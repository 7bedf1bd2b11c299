package widget

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

var testFields = []FormField{
	{Key: "@id", Label: "ID", Value: "7", Kind: FieldNumber, ReadOnly: true},
	{Key: "@revision", Label: "Revision", Value: "3", ReadOnly: true, Note: "sent as If-Match"},
	{Key: "name", Label: "Name", Value: "Support"},
	{Key: "maxChats", Label: "Max chats", Value: "4", Kind: FieldNumber},
	{Key: "active", Label: "Active", Value: "true", Kind: FieldBool},
	{Key: "permission", Label: "Permission", Value: "Agent", Kind: FieldChoice, Choices: []string{"Agent", "Administrator"}},
	{Key: "skillIds", Label: "Skill IDs", Value: "1, 2", Kind: FieldList},
	{Key: "extra", Label: "Extra", Value: `{"a": 1}`, Kind: FieldNested},
}

var testLinks = []wire.Link{{Rel: "self", Href: "http://h/users/7"}, {Rel: "skills", Href: "http://h/skills"}}

type formProbe struct {
	changed int
	opened  []wire.Link
}

func newTestForm(t *testing.T, editable bool) (*FormView, *formProbe, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	p := &formProbe{}
	f := NewFormView(FormHooks{
		Changed:  func() { p.changed++ },
		OpenLink: func(l wire.Link) { p.opened = append(p.opened, l) },
	}, editable)
	w := test.NewWindow(f)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(700, 600))
	f.SetFields("user 7", testFields, testLinks)
	return f, p, w
}

func TestFormViewEditsEachKind(t *testing.T) {
	f, p, _ := newTestForm(t, true)
	before := f.Values()
	for _, fd := range testFields {
		if before[fd.Key] != fd.Value {
			t.Errorf("%s shows %q, want %q", fd.Key, before[fd.Key], fd.Value)
		}
	}
	if p.changed != 0 {
		t.Fatalf("showing the form counted %d changes", p.changed)
	}
	// Read-only and nested fields have no input.
	for _, k := range []string{"@id", "@revision", "extra"} {
		if f.Input(k) != nil {
			t.Errorf("%s has an input", k)
		}
	}
	name := f.Input("name").(*Entry)
	if f.FirstInput() != name {
		t.Error("the first input is not the name")
	}
	name.SetText("")
	test.Type(name, "Sales")
	test.Tap(f.Input("active").(*widget.Check))
	f.Input("permission").(*widget.Select).SetSelected("Administrator")
	f.SetValue("skillIds", "1, 2, 5")
	maxChats := f.Input("maxChats").(*Entry)
	maxChats.SetText("many")
	if maxChats.Validate() == nil {
		t.Error("a number field accepted text")
	}
	got := f.Values()
	want := map[string]string{"@id": "7", "@revision": "3", "name": "Sales", "maxChats": "many", "active": "false",
		"permission": "Administrator", "skillIds": "1, 2, 5", "extra": `{"a": 1}`}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if p.changed == 0 {
		t.Error("edits were not reported")
	}
}

func TestFormViewUntouchedCheckKeepsItsValue(t *testing.T) {
	test.NewTempApp(t)
	f := NewFormView(FormHooks{}, true)
	f.SetFields("new", []FormField{{Key: "on", Label: "On", Kind: FieldBool}}, nil)
	if v := f.Values()["on"]; v != "" {
		t.Fatalf("an untouched empty check reads %q", v)
	}
}

func TestFormViewReadOnlyShowsTextAndLinks(t *testing.T) {
	f, p, _ := newTestForm(t, false)
	if f.FirstInput() != nil || f.Input("name") != nil {
		t.Fatal("a read-only form has inputs")
	}
	if f.LinkButton("self") != nil {
		t.Error("the member's own link is a button")
	}
	b := f.LinkButton("skills")
	if b == nil {
		t.Fatal("no skills button")
	}
	test.Tap(b)
	if len(p.opened) != 1 || p.opened[0].Href != "http://h/skills" {
		t.Fatalf("opened %v", p.opened)
	}
	if f.Title() != "user 7" {
		t.Errorf("title %q", f.Title())
	}
}
