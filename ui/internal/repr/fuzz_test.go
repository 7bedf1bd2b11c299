package repr

import (
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// FuzzMemberRoundTrip: any member a form can show goes back unchanged
// when nothing was edited, and an edited text field reads back with the
// new value while every other field keeps its own.
func FuzzMemberRoundTrip(f *testing.F) {
	for _, s := range []string{skillJSON, jsonMember, xmlMember, `<a b="1"><c>2</c></a>`, `{"a":{"b":null,"c":[1]}}`} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, body string, isJSON bool) {
		format := wire.XML
		if isJSON {
			format = wire.JSON
		}
		m, err := ParseMember([]byte(body), format)
		if err != nil {
			return
		}
		out, err := m.Encode(m.Values())
		if err != nil || string(out) != body {
			t.Fatalf("unchanged member re-encoded differently: %v\n%q\n%q", err, body, out)
		}
		const v = `x<&>"y ü`
		for _, fd := range m.Fields {
			if fd.ReadOnly || fd.Kind != Text {
				continue
			}
			vals := m.Values()
			vals[fd.Key] = v
			out, err := m.Encode(vals)
			if err != nil {
				t.Fatalf("encode %s: %v", fd.Key, err)
			}
			back, err := ParseMember(out, format)
			if err != nil {
				t.Fatalf("edited %s no longer parses: %v\n%s", fd.Key, err, out)
			}
			for _, g := range back.Fields {
				want := m.Values()[g.Key]
				if g.Key == fd.Key {
					want = v
				}
				if g.Kind != Nested && g.Value != want {
					t.Fatalf("after editing %s, %s = %q, want %q\n%s", fd.Key, g.Key, g.Value, want, out)
				}
			}
		}
	})
}
