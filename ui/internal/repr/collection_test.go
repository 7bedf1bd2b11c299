package repr

import (
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

const skillsJSON = `{"skills":{"@count":"3","@offset":"0","@limit":"2","link":[{"@rel":"self","@href":"http://h/skills?offset=0&limit=2"},{"@rel":"next","@href":"http://h/skills?offset=2&limit=2"}],"skill":[{"@id":"1","@revision":"1","name":"Support","description":"Chats about support","maxWaitTime":60,"link":{"@rel":"self","@href":"http://h/skills/1"}},{"@id":"2","@revision":"4","name":"Sales","description":"","maxWaitTime":120,"link":{"@rel":"self","@href":"http://h/skills/2"}}]}}`

const usersXML = `<?xml version="1.0" encoding="UTF-8"?>
<users count="5" offset="0" limit="2"><link rel="self" href="http://h/users?offset=0&amp;limit=2"/><link rel="next" href="http://h/users?offset=2&amp;limit=2"/><user id="1" revision="1"><loginName>alice</loginName><permission>Agent</permission><maxChats>4</maxChats><skillIds><skillId>1</skillId><skillId>2</skillId></skillIds><link rel="self" href="http://h/users/1"/></user><user id="2" revision="1"><loginName>bruno</loginName><permission>Administrator</permission><maxChats>3</maxChats><skillIds/><link rel="self" href="http://h/users/2"/></user></users>`

func mustCollection(t *testing.T, body string, f wire.Format) *Collection {
	t.Helper()
	c, ok, err := ParseCollection([]byte(body), f)
	if err != nil || !ok {
		t.Fatalf("not a collection (%v)", err)
	}
	return c
}

func columnKeys(c *Collection) string {
	var keys []string
	for _, col := range c.Columns {
		keys = append(keys, col.Key)
	}
	return strings.Join(keys, " ")
}

func TestCollectionJSONPage(t *testing.T) {
	c := mustCollection(t, skillsJSON, wire.JSON)
	if c.Name != "skills" || c.Item != "skill" || c.Count != "3" || c.Next != "http://h/skills?offset=2&limit=2" {
		t.Fatalf("collection %+v", c)
	}
	// Identity first; the revision is not a column.
	if got := columnKeys(c); got != "@id name description maxWaitTime" {
		t.Errorf("columns %q", got)
	}
	if c.Columns[3].Label != "Max wait time" {
		t.Errorf("label %q", c.Columns[3].Label)
	}
	if len(c.Rows) != 2 || c.Rows[1].ID != "2" || c.Rows[1].Self != "http://h/skills/2" {
		t.Fatalf("rows %+v", c.Rows)
	}
	if got := strings.Join(c.Rows[0].Cells(c.Columns), "|"); got != "1|Support|Chats about support|60" {
		t.Errorf("cells %q", got)
	}
}

func TestCollectionXMLWithLists(t *testing.T) {
	c := mustCollection(t, usersXML, wire.XML)
	if c.Item != "user" || c.Next != "http://h/users?offset=2&limit=2" {
		t.Fatalf("collection %+v", c)
	}
	if got := columnKeys(c); got != "@id loginName permission maxChats skillIds" {
		t.Errorf("columns %q", got)
	}
	if got := strings.Join(c.Rows[0].Cells(c.Columns), "|"); got != "1|alice|Agent|4|1, 2" {
		t.Errorf("cells %q", got)
	}
}

func TestCollectionOfOneArrivesAsAnObject(t *testing.T) {
	c := mustCollection(t, `{"skills":{"skill":{"@id":"9","name":"Only"}}}`, wire.JSON)
	if len(c.Rows) != 1 || c.Rows[0].ID != "9" {
		t.Fatalf("rows %+v", c.Rows)
	}
	c = mustCollection(t, `<skills count="0"><link rel="self" href="x"/></skills>`, wire.XML)
	if c.Item != "skill" || len(c.Rows) != 0 {
		t.Fatalf("empty collection %+v", c)
	}
}

func TestNotACollection(t *testing.T) {
	for _, c := range []struct {
		body string
		f    wire.Format
	}{
		{skillJSON, wire.JSON},
		{`{"account":{"@id":"1","link":[{"@rel":"self","@href":"x"},{"@rel":"skills","@href":"y"}]}}`, wire.JSON},
		{`<availability><chat>Online</chat></availability>`, wire.XML},
		{`<xml-of>skills</xml-of>`, wire.XML},
		{`{"error":{"message":"no"}}`, wire.JSON},
	} {
		if _, ok, err := ParseCollection([]byte(c.body), c.f); ok || err != nil {
			t.Errorf("%s: collection=%v err=%v", c.body, ok, err)
		}
	}
}

func TestTemplateShapedLikeTheMembers(t *testing.T) {
	c := mustCollection(t, skillsJSON, wire.JSON)
	m, ok := c.Template()
	if !ok || !m.IsNew() || m.Name != "skill" {
		t.Fatalf("template %+v", m)
	}
	var keys []string
	for _, f := range m.Fields {
		keys = append(keys, f.Key+":"+f.Kind.String())
		if f.Value != "" {
			t.Errorf("template field %s has value %q", f.Key, f.Value)
		}
	}
	if got := strings.Join(keys, " "); got != "name:text description:text maxWaitTime:number" {
		t.Fatalf("template fields %q", got)
	}
	out, err := m.Encode(map[string]string{"name": "Billing & more", "maxWaitTime": "90", "description": " "})
	if err != nil || string(out) != `{"skill":{"name":"Billing & more","maxWaitTime":90}}` {
		t.Fatalf("new JSON %s %v", out, err)
	}
	if _, err := m.Encode(map[string]string{"name": "x", "maxWaitTime": "later"}); err == nil {
		t.Error("a new member with a non-number was written")
	}

	u := mustCollection(t, usersXML, wire.XML)
	m, _ = u.Template()
	if f := m.Field("permission"); f == nil || f.Kind != Choice {
		t.Fatalf("permission %+v", f)
	}
	out, err = m.Encode(map[string]string{"loginName": "cara", "permission": "Agent", "skillIds": "2, 3", "maxChats": ""})
	want := `<user><loginName>cara</loginName><permission>Agent</permission><skillIds><skillId>2</skillId><skillId>3</skillId></skillIds></user>`
	if err != nil || string(out) != want {
		t.Fatalf("new XML %s %v", out, err)
	}
}
