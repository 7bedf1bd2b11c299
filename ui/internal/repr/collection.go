package repr

import (
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Collection is a list of members as a table shows it.
type Collection struct {
	// Name is the collection's element ("skills"), Item its members'
	// ("skill").
	Name, Item string
	Format     wire.Format
	// Columns are the members' fields: identity first, then in the order
	// they first appear.
	Columns []Column
	Rows    []Row
	// Links are the collection's own links; Next is the href of the next
	// page ("" on the last).
	Links []wire.Link
	Next  string
	// Count is the total the server reports (its count attribute), or "".
	Count string

	shape []Field // the members' fields, typed across all of them
}

// Column is one field of the members.
type Column struct {
	Key, Label string
}

// Row is one member.
type Row struct {
	// Values are the member's fields by key, as text.
	Values map[string]string
	// Self is the member's self link ("" when it has none); ID its id.
	Self, ID string
}

// Cells are the row's values for cols.
func (r Row) Cells(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = r.Values[c.Key]
	}
	return out
}

// ParseCollection reads body as a collection; ok is false when it is not
// one.
func ParseCollection(body []byte, f wire.Format) (*Collection, bool, error) {
	t, err := Parse(body, f)
	if err != nil {
		return nil, false, err
	}
	c, ok := CollectionOf(t)
	return c, ok, nil
}

// CollectionOf reads a parsed representation as a collection: a root whose
// children, links apart, are elements of one name — several of them, a
// JSON array, a root named as their plural, or a root with a count
// (the platform sends a list of one as a bare object, so a lone member
// under a plural root is a collection of one).
func CollectionOf(t *Tree) (*Collection, bool) {
	r := t.Root
	if r.Name == "" || r.Leaf || r.Mixed {
		return nil, false
	}
	c := &Collection{Name: r.Name, Format: t.Format}
	c.Count, _ = r.Attr("count")
	var members []*Node
	item := ""
	arrayed := false
	for _, k := range r.Kids {
		if l, ok := k.link(); ok {
			c.Links = append(c.Links, l)
			if l.Rel == "next" {
				c.Next = l.Href
			}
			continue
		}
		if item != "" && k.Name != item {
			return nil, false
		}
		item = k.Name
		arrayed = arrayed || k.arrayed
		if k.emptyArray {
			continue
		}
		if k.Leaf {
			return nil, false
		}
		members = append(members, k)
	}
	_, counted := r.Attr("count")
	switch {
	case item == "" && counted:
		item = singular(r.Name)
	case item == "":
		return nil, false
	case len(members) >= 2, arrayed, counted, singular(r.Name) == item:
	default:
		return nil, false
	}
	c.Item = item
	c.shape = shapeOf(item, members)
	for _, f := range c.shape {
		if f.Role == Revision {
			continue
		}
		c.Columns = append(c.Columns, Column{Key: f.Key, Label: f.Label})
	}
	for _, m := range members {
		c.Rows = append(c.Rows, rowOf(m))
	}
	return c, true
}

// rowOf is a member's values as text: a wrapped list's items joined, a
// deeper structure as an ellipsis.
func rowOf(m *Node) Row {
	r := Row{Values: map[string]string{}}
	for _, a := range m.Attrs {
		r.Values["@"+a.Name] = a.Value
	}
	r.ID = r.Values["@id"]
	for _, k := range m.Kids {
		if l, ok := k.link(); ok {
			if l.Rel == "self" && r.Self == "" {
				r.Self = l.Href
			}
			continue
		}
		var v string
		switch items, ok := listItems(k); {
		case k.Leaf && !k.Mixed:
			v = k.Text
		case ok:
			var parts []string
			for _, it := range items {
				if !it.emptyArray {
					parts = append(parts, it.Text)
				}
			}
			v = strings.Join(parts, ", ")
		default:
			v = "…"
		}
		if prev, dup := r.Values[k.Name]; dup {
			v = prev + ", " + v
		}
		r.Values[k.Name] = v
	}
	return r
}

// shapeOf types the members' fields across all of them: identity first,
// then attributes and children in the order they first appear; a field is
// a number (or true/false) only when every member's value is one.
func shapeOf(item string, members []*Node) []Field {
	var fields []Field
	index := map[string]int{}
	add := func(f Field) *Field {
		if i, ok := index[f.Key]; ok {
			return &fields[i]
		}
		index[f.Key] = len(fields)
		fields = append(fields, f)
		return &fields[len(fields)-1]
	}
	add(Field{Key: "@id", Label: "ID", Role: Identity, ReadOnly: true, attr: -1})
	type seen struct{ number, boolean, other bool }
	kinds := map[string]*seen{}
	note := func(key string, k ValueKind, text string) {
		s := kinds[key]
		if s == nil {
			s = &seen{}
			kinds[key] = s
		}
		switch {
		case text == "" && k != KindNumber && k != KindBool:
		case inferKind(k, text) == Number:
			s.number = true
		case inferKind(k, text) == Bool:
			s.boolean = true
		default:
			s.other = true
		}
	}
	for _, m := range members {
		for _, a := range m.Attrs {
			f := add(Field{Key: "@" + a.Name, Label: label(a.Name), attr: -1, ReadOnly: true, valueKind: a.kind})
			if a.Name == "revision" {
				f.Role = Revision
			}
		}
		for _, k := range m.Kids {
			if _, ok := k.link(); ok {
				continue
			}
			f := add(Field{Key: k.Name, Label: label(k.Name), attr: -1})
			switch items, ok := listItems(k); {
			case k.Leaf && !k.Mixed:
				if _, known := knownLists[k.Name]; known && strings.TrimSpace(k.Text) == "" {
					f.Kind, f.itemName = List, knownLists[k.Name]
					continue
				}
				if k.Kind == KindNumber || k.Kind == KindBool {
					f.valueKind = k.Kind // a new member writes them the same way
				}
				note(k.Name, k.Kind, k.Text)
			case ok:
				f.Kind = List
				for _, it := range items {
					f.itemName = it.Name
					if it.rawName != "" {
						f.itemName = it.rawName
					}
					if !it.emptyArray {
						f.valueKind = it.Kind
					}
				}
				if f.itemName == "" {
					f.itemName = knownLists[k.Name]
				}
				if f.itemName == "" {
					f.itemName = singular(k.Name)
				}
			default:
				f.ReadOnly = true // shown in the table, not writable in a new member
			}
		}
	}
	for i := range fields {
		f := &fields[i]
		if f.Kind == List || strings.HasPrefix(f.Key, "@") {
			continue
		}
		s := kinds[f.Key]
		switch {
		case s == nil || s.other:
		case s.number && !s.boolean:
			f.Kind = Number
		case s.boolean && !s.number:
			f.Kind = Bool
		}
		if c := choicesFor(item, f.Key); c != nil {
			f.Kind, f.Choices = Choice, c
		}
	}
	if len(members) == 0 {
		return fields
	}
	// Without members no id column is known to exist.
	if _, ok := members[0].Attr("id"); !ok {
		fields = fields[1:]
	}
	return fields
}

// Template is an empty member shaped like the collection's members, for
// "New"; ok is false when the collection has no member to take the shape
// from.
func (c *Collection) Template() (*Member, bool) {
	m := &Member{Name: c.Item, Format: c.Format}
	for _, f := range c.shape {
		if strings.HasPrefix(f.Key, "@") || f.ReadOnly {
			continue
		}
		f.Value, f.Items = "", nil
		m.Fields = append(m.Fields, f)
	}
	return m, len(m.Fields) > 0
}
