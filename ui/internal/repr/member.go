package repr

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Field is one value of a member as a form shows it.
type Field struct {
	// Key names the field within its member: the element or key name, or
	// "@name" for an attribute. Keys are unique within a member.
	Key   string
	Label string
	// Value is the field's text; a List's items are joined by ", ".
	Value   string
	Kind    Kind
	Role    Role
	Choices []string
	// ReadOnly: identity, revision, and values the form cannot write back.
	ReadOnly bool

	// Items are a List's values.
	Items []string

	node *Node // the element or key; nil for an attribute or a template
	attr int   // index into the member root's Attrs, or -1
	// How the value was written, for writing it back the same way: the
	// scalar's JSON kind (for a List, its items'), and a List's item
	// element name.
	valueKind ValueKind
	itemName  string
}

// Member is a resource shown as fields, its links apart.
type Member struct {
	// Name is the root element: "skill".
	Name   string
	Format wire.Format
	Fields []Field
	Links  []wire.Link

	tree *Tree // nil for a template (a new member)
}

// ErrShape: the representation has a shape a form cannot show (deep
// nesting, mixed content); it is edited as text.
var ErrShape = errors.New("this representation cannot be shown as a form")

// ParseMember reads body as a member.
func ParseMember(body []byte, f wire.Format) (*Member, error) {
	t, err := Parse(body, f)
	if err != nil {
		return nil, err
	}
	return MemberOf(t)
}

// MemberOf reads a parsed representation as a member: a named root whose
// children are scalars, wrapped lists of scalars and links.
func MemberOf(t *Tree) (*Member, error) {
	r := t.Root
	switch {
	case r.Name == "":
		return nil, fmt.Errorf("%w: it has no single root element", ErrShape)
	case r.Leaf:
		return nil, fmt.Errorf("%w: %s holds only text", ErrShape, r.Name)
	case r.Mixed:
		return nil, fmt.Errorf("%w: %s mixes text and elements", ErrShape, r.Name)
	}
	m := &Member{Name: r.Name, Format: t.Format, tree: t}
	for i, a := range r.Attrs {
		f := Field{Key: "@" + a.Name, Label: label(a.Name), Value: a.Value, Kind: inferKind(a.kind, a.Value),
			attr: i, valueKind: a.kind}
		switch a.Name {
		case "id":
			f.Role, f.ReadOnly, f.Label = Identity, true, "ID"
		case "revision":
			f.Role, f.ReadOnly = Revision, true
		}
		if a.val.start < 0 {
			f.ReadOnly = true
		}
		m.Fields = append(m.Fields, f)
	}
	// Children of one name are one field; repeated ones are shown as they
	// were written.
	var order []string
	groups := map[string][]*Node{}
	for _, k := range r.Kids {
		if l, ok := k.link(); ok {
			m.Links = append(m.Links, l)
			continue
		}
		if _, ok := groups[k.Name]; !ok {
			order = append(order, k.Name)
		}
		groups[k.Name] = append(groups[k.Name], k)
	}
	for _, name := range order {
		f, err := fieldOf(t, m.Name, groups[name])
		if err != nil {
			return nil, err
		}
		m.Fields = append(m.Fields, f)
	}
	if len(m.Fields) == 0 && len(m.Links) == 0 {
		return nil, fmt.Errorf("%w: %s is empty", ErrShape, r.Name)
	}
	return m, nil
}

// maxFormDepth is how deeply a child may nest and still be shown (as
// written, read-only) in a form; deeper members are edited as text.
const maxFormDepth = 3

// fieldOf reads the children of one name of a member.
func fieldOf(t *Tree, member string, ks []*Node) (Field, error) {
	k := ks[0]
	f := Field{Key: k.Name, Label: label(k.Name), node: k, attr: -1}
	if len(ks) > 1 || k.arrayed {
		return nested(t, f, ks)
	}
	if item, ok := knownLists[k.Name]; ok && k.Leaf && strings.TrimSpace(k.Text) == "" && !k.Mixed {
		f.Kind, f.itemName = List, item
		return f, nil
	}
	if k.Leaf && !k.Mixed {
		f.Value, f.valueKind = k.Text, k.Kind
		f.Kind = inferKind(k.Kind, k.Text)
		if c := choicesFor(member, k.Name); c != nil {
			f.Kind, f.Choices = Choice, withValue(c, k.Text)
		}
		return f, nil
	}
	if items, ok := listItems(k); ok {
		f.Kind = List
		f.itemName = knownLists[k.Name]
		if f.itemName == "" {
			f.itemName = singular(k.Name)
		}
		for _, it := range items {
			if it.emptyArray {
				f.itemName = it.Name
				continue
			}
			f.Items = append(f.Items, it.Text)
			f.itemName, f.valueKind = it.Name, it.Kind
			if it.rawName != "" {
				f.itemName = it.rawName
			}
		}
		f.Value = strings.Join(f.Items, ", ")
		return f, nil
	}
	return nested(t, f, ks)
}

// nested is a read-only field showing ks as they were written, or
// ErrShape when they are too deep or mix text and elements.
func nested(t *Tree, f Field, ks []*Node) (Field, error) {
	for _, k := range ks {
		if d, mixed := depth(k); mixed {
			return Field{}, fmt.Errorf("%w: %s mixes text and elements", ErrShape, k.Name)
		} else if d > maxFormDepth {
			return Field{}, fmt.Errorf("%w: %s is nested too deeply", ErrShape, k.Name)
		}
	}
	from, to := ks[0].whole, ks[len(ks)-1].whole
	if ks[0].arrayed {
		from, to = ks[0].group, ks[0].group
	}
	f.Kind, f.ReadOnly, f.node = Nested, true, nil
	f.Value = summary(t.src[from.start:to.end])
	return f, nil
}

// depth is how many levels of elements n holds (0 for a scalar), and
// whether text and elements are mixed anywhere in it.
func depth(n *Node) (int, bool) {
	if n.Leaf {
		return 0, false
	}
	d, mixed := 0, n.Mixed && !n.emptyArray
	for _, k := range n.Kids {
		kd, km := depth(k)
		d, mixed = max(d, kd), mixed || km
	}
	return d + 1, mixed
}

// maxSummary bounds how much of a nested structure a form shows.
const maxSummary = 160

// summary is source bytes on one line, shortened.
func summary(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if r := []rune(s); len(r) > maxSummary {
		s = string(r[:maxSummary-1]) + "…"
	}
	return s
}

// listItems reports whether n wraps a list of scalars of one name, and
// returns them.
func listItems(n *Node) ([]*Node, bool) {
	if n.Leaf || n.Mixed || len(n.Attrs) > 0 {
		return nil, false
	}
	for _, k := range n.Kids {
		if k.Name != n.Kids[0].Name || !(k.Leaf && !k.Mixed || k.emptyArray) {
			return nil, false
		}
	}
	return n.Kids, true
}

// withValue is choices with v added when it is not one of them, so that
// showing a member never changes it.
func withValue(choices []string, v string) []string {
	for _, c := range choices {
		if c == v {
			return choices
		}
	}
	if v == "" {
		return choices
	}
	return append(append([]string(nil), choices...), v)
}

// Field returns the field with key, or nil.
func (m *Member) Field(key string) *Field {
	for i := range m.Fields {
		if m.Fields[i].Key == key {
			return &m.Fields[i]
		}
	}
	return nil
}

// Values are the fields' current values by key.
func (m *Member) Values() map[string]string {
	v := make(map[string]string, len(m.Fields))
	for _, f := range m.Fields {
		v[f.Key] = f.Value
	}
	return v
}

// IsNew reports whether m is a template for a member not yet created.
func (m *Member) IsNew() bool { return m.tree == nil }

// Changed reports whether values differ from the member's.
func (m *Member) Changed(values map[string]string) bool {
	for _, f := range m.Fields {
		if v, ok := values[f.Key]; ok && !f.ReadOnly && !sameValue(f, v) {
			return true
		}
	}
	return false
}

// sameValue compares a form value with a field's; lists compare item by
// item, as the form splits them, so that "1,2" and "1, 2" are the same.
func sameValue(f Field, v string) bool {
	if f.Kind == List {
		return slices.Equal(splitList(v), splitList(f.Value))
	}
	return v == f.Value
}

// splitList reads comma-separated items, trimmed, without empty ones.
func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// FieldError is a value the form cannot send.
type FieldError struct {
	Key, Label, Problem string
}

func (e *FieldError) Error() string { return e.Label + ": " + e.Problem }
