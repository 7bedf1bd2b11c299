package repr

import (
	"errors"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

const skillJSON = `{"skill":{"@id":"1","@revision":"3","name":"Support","description":"Chats about support","maxWaitTime":60,"link":{"@rel":"self","@href":"http://h/api/account/1/skills/1"}}}`

func mustMember(t *testing.T, body string, f wire.Format) *Member {
	t.Helper()
	m, err := ParseMember([]byte(body), f)
	if err != nil {
		t.Fatalf("ParseMember: %v", err)
	}
	return m
}

func TestMemberFieldsKindsAndRoles(t *testing.T) {
	m := mustMember(t, skillJSON, wire.JSON)
	type want struct {
		key, label, value string
		kind              Kind
		role              Role
		ro                bool
	}
	wants := []want{
		{"@id", "ID", "1", Number, Identity, true},
		{"@revision", "Revision", "3", Number, Revision, true},
		{"name", "Name", "Support", Text, Plain, false},
		{"description", "Description", "Chats about support", Text, Plain, false},
		{"maxWaitTime", "Max wait time", "60", Number, Plain, false},
	}
	if m.Name != "skill" || len(m.Fields) != len(wants) {
		t.Fatalf("member %q fields %+v", m.Name, m.Fields)
	}
	for i, w := range wants {
		f := m.Fields[i]
		if f.Key != w.key || f.Label != w.label || f.Value != w.value || f.Kind != w.kind || f.Role != w.role || f.ReadOnly != w.ro {
			t.Errorf("field %d = %+v, want %+v", i, f, w)
		}
	}
	if len(m.Links) != 1 || m.Links[0].Rel != "self" || m.Links[0].Href != "http://h/api/account/1/skills/1" {
		t.Errorf("links %v", m.Links)
	}
}

func TestMemberEncodeUnchangedIsIdentical(t *testing.T) {
	for _, c := range []struct {
		body string
		f    wire.Format
	}{{skillJSON, wire.JSON}, {xmlMember, wire.XML}, {jsonMember, wire.JSON}} {
		m := mustMember(t, c.body, c.f)
		out, err := m.Encode(m.Values())
		if err != nil || string(out) != c.body {
			t.Errorf("%s unchanged: %v\n got %s\nwant %s", c.f, err, out, c.body)
		}
		if m.Changed(m.Values()) {
			t.Errorf("%s: unchanged values reported as changed", c.f)
		}
	}
}

// jsonMember has what a form does not show: attributes in an unusual
// order, an unknown nested structure, links without "@", escapes, and
// pretty-printing.
const jsonMember = `{
  "user": {
    "@revision": "7",
    "@id": "42",
    "loginName": "zoe",
    "fullName": "Zo\u00eb \"Z\" M\u00fcller",
    "maxChats": "4",
    "active": true,
    "note": null,
    "skillIds": {"skillId": ["1", "2"]},
    "x-extra": {"prefs": {"theme": "dark", "sizes": [1, 2]}},
    "link": [{"rel": "self", "href": "http://h/users/42"}, {"@rel": "skills", "@href": "http://h/skills"}]
  }
}`

func TestMemberEncodeJSONChangesOnlyTheEditedValues(t *testing.T) {
	m := mustMember(t, jsonMember, wire.JSON)
	if f := m.Field("x-extra"); f == nil || f.Kind != Nested || !f.ReadOnly {
		t.Fatalf("x-extra field %+v", f)
	}
	if f := m.Field("active"); f.Kind != Bool {
		t.Errorf("active kind %v", f.Kind)
	}
	if f := m.Field("skillIds"); f.Kind != List || f.Value != "1, 2" {
		t.Errorf("skillIds %+v", f)
	}
	if len(m.Links) != 2 || m.Links[0].Href != "http://h/users/42" {
		t.Errorf("links %v", m.Links)
	}
	v := m.Values()
	v["fullName"] = `Zoë <&> "Z"`
	v["maxChats"] = "5"
	v["active"] = "false"
	v["note"] = "on leave"
	v["skillIds"] = "1,2, 3"
	v["@id"] = "99" // read-only: ignored
	if !m.Changed(v) {
		t.Fatal("changes not seen")
	}
	out, err := m.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(
		`"Zo\u00eb \"Z\" M\u00fcller"`, `"Zoë <&> \"Z\""`,
		`"maxChats": "4"`, `"maxChats": "5"`, // a string stays a string
		`"active": true`, `"active": false`, // a boolean stays a boolean
		`"note": null`, `"note": "on leave"`,
		`["1", "2"]`, `["1","2","3"]`,
	).Replace(jsonMember)
	if string(out) != want {
		t.Fatalf("encoded\n%s\nwant\n%s", out, want)
	}
}

// xmlMember has a prolog, a comment, single-quoted attributes in an
// unusual order, a namespace prefix, CDATA, an empty element, an unknown
// nested element and links.
const xmlMember = `<?xml version="1.0" encoding="UTF-8"?>
<!-- kept -->
<skill revision='2' lang="en" id="5" xmlns:x="urn:x">
  <name><![CDATA[Support & more]]></name>
  <description/>
  <x:maxWaitTime>60</x:maxWaitTime>
  <extra a="1"><deep><v>1</v></deep></extra>
  <link rel="self" href="http://h/skills/5"/>
</skill>`

func TestMemberEncodeXMLChangesOnlyTheEditedValues(t *testing.T) {
	m := mustMember(t, xmlMember, wire.XML)
	keys := []string{}
	for _, f := range m.Fields {
		keys = append(keys, f.Key)
	}
	if strings.Join(keys, " ") != "@revision @lang @id name description maxWaitTime extra" {
		t.Fatalf("fields %v", keys)
	}
	if f := m.Field("name"); f.Value != "Support & more" {
		t.Errorf("name %q", f.Value)
	}
	if f := m.Field("extra"); f.Kind != Nested || !f.ReadOnly || !strings.Contains(f.Value, "<deep>") {
		t.Errorf("extra %+v", f)
	}
	v := m.Values()
	v["name"] = "A & B <c>"
	v["description"] = "now set"
	v["maxWaitTime"] = "90"
	v["@lang"] = `d"e`
	out, err := m.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(
		`<![CDATA[Support & more]]>`, `A &amp; B &lt;c&gt;`,
		`<description/>`, `<description>now set</description>`,
		`<x:maxWaitTime>60</x:maxWaitTime>`, `<x:maxWaitTime>90</x:maxWaitTime>`,
		`lang="en"`, `lang="d&quot;e"`,
	).Replace(xmlMember)
	if string(out) != want {
		t.Fatalf("encoded\n%s\nwant\n%s", out, want)
	}
	// What was written reads back with the new values.
	back := mustMember(t, string(out), wire.XML)
	for k, val := range map[string]string{"name": "A & B <c>", "description": "now set", "@lang": `d"e`} {
		if back.Field(k).Value != val {
			t.Errorf("read back %s = %q, want %q", k, back.Field(k).Value, val)
		}
	}
}

func TestMemberListsBothFormats(t *testing.T) {
	cases := []struct {
		name, body string
		f          wire.Format
		value      string
		want       string
	}{
		{"json one item stays bare", `{"user":{"skillIds":{"skillId":"1"}}}`, wire.JSON, "7", `{"user":{"skillIds":{"skillId":"7"}}}`},
		{"json bare becomes array", `{"user":{"skillIds":{"skillId":"1"}}}`, wire.JSON, "1, 2", `{"user":{"skillIds":{"skillId":["1","2"]}}}`},
		{"json numbers stay numbers", `{"user":{"skillIds":{"skillId":[1]}}}`, wire.JSON, "1,3", `{"user":{"skillIds":{"skillId":[1,3]}}}`},
		{"json empty object", `{"user":{"skillIds":{}}}`, wire.JSON, "4", `{"user":{"skillIds":{"skillId":["4"]}}}`},
		{"json empty array", `{"user":{"skillIds":{"skillId":[]}}}`, wire.JSON, "4", `{"user":{"skillIds":{"skillId":["4"]}}}`},
		{"xml items", `<user><skillIds><skillId>1</skillId></skillIds></user>`, wire.XML, "1, 2", `<user><skillIds><skillId>1</skillId><skillId>2</skillId></skillIds></user>`},
		{"xml empty known list", `<user><skillIds/></user>`, wire.XML, "3", `<user><skillIds><skillId>3</skillId></skillIds></user>`},
		{"xml cleared", `<user><skillIds><skillId>1</skillId></skillIds></user>`, wire.XML, "", `<user><skillIds></skillIds></user>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := mustMember(t, c.body, c.f)
			f := m.Field("skillIds")
			if f == nil || f.Kind != List {
				t.Fatalf("skillIds %+v", f)
			}
			out, err := m.Encode(map[string]string{"skillIds": c.value})
			if err != nil || string(out) != c.want {
				t.Fatalf("got %s (%v), want %s", out, err, c.want)
			}
		})
	}
}

func TestMemberRefusesValuesItsKindCannotHold(t *testing.T) {
	m := mustMember(t, skillJSON, wire.JSON)
	_, err := m.Encode(map[string]string{"maxWaitTime": "soon"})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Key != "maxWaitTime" || !strings.Contains(fe.Error(), "Max wait time: must be a number") {
		t.Fatalf("err %v", err)
	}
	m = mustMember(t, `{"a":{"on":"true","n":"4"}}`, wire.JSON)
	if _, err := m.Encode(map[string]string{"on": "yes"}); !errors.As(err, &fe) {
		t.Errorf("bool: %v", err)
	}
	// A number written as a string may be emptied: the server decides.
	if out, err := m.Encode(map[string]string{"n": ""}); err != nil || string(out) != `{"a":{"on":"true","n":""}}` {
		t.Errorf("empty string number: %s %v", out, err)
	}
}

func TestMemberChoices(t *testing.T) {
	m := mustMember(t, `{"user":{"permission":"Agent"}}`, wire.JSON)
	if f := m.Field("permission"); f.Kind != Choice || strings.Join(f.Choices, ",") != "Agent,AgentManager,Administrator" {
		t.Errorf("permission %+v", f)
	}
	m = mustMember(t, `<availability><chat>Offline</chat></availability>`, wire.XML)
	// The value on the server stays selectable even when not documented.
	if f := m.Field("chat"); f.Kind != Choice || strings.Join(f.Choices, ",") != "Online,Away,Occupied,Offline" {
		t.Errorf("chat %+v", f)
	}
}

func TestMemberShapesAFormCannotShow(t *testing.T) {
	for name, c := range map[string]struct {
		body string
		f    wire.Format
	}{
		"deep":          {`{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}`, wire.JSON},
		"mixed":         {`<a>text<b>1</b></a>`, wire.XML},
		"mixed inside":  {`<a><b>text<c>1</c></b></a>`, wire.XML},
		"scalar root":   {`<a>text</a>`, wire.XML},
		"no root":       {`{"a":1,"b":2}`, wire.JSON},
		"array root":    {`[1,2]`, wire.JSON},
		"empty":         {`<a/>`, wire.XML},
		"text beside @": {`{"a":{"@x":"1","#text":"t"}}`, wire.JSON},
	} {
		if _, err := ParseMember([]byte(c.body), c.f); !errors.Is(err, ErrShape) {
			t.Errorf("%s: err %v, want ErrShape", name, err)
		}
	}
	if _, err := ParseMember([]byte(`{"a":`), wire.JSON); !errors.Is(err, ErrSyntax) {
		t.Errorf("malformed: %v", err)
	}
}

func TestLabel(t *testing.T) {
	for in, want := range map[string]string{
		"maxWaitTime": "Max wait time", "@id": "ID", "skillIds": "Skill IDs", "loginName": "Login name",
		"x-extra": "X extra", "homeURL": "Home URL", "name": "Name",
	} {
		if got := label(in); got != want {
			t.Errorf("label(%q) = %q, want %q", in, got, want)
		}
	}
}
