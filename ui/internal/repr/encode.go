package repr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// splice replaces the source bytes of one span.
type splice struct {
	at   span
	with []byte
}

// Encode writes the member with values (by field key) in its format. For
// a member read from the server, only the values that changed are
// replaced in the bytes it was read from: everything else goes back byte
// for byte. A template (a new member) is written from scratch with its
// non-empty values. A value the field cannot hold is a *FieldError.
func (m *Member) Encode(values map[string]string) ([]byte, error) {
	if m.tree == nil {
		return m.encodeNew(values)
	}
	var edits []splice
	for _, f := range m.Fields {
		v, ok := values[f.Key]
		if !ok || f.ReadOnly || sameValue(f, v) {
			continue
		}
		s, err := m.spliceFor(f, v)
		if err != nil {
			return nil, err
		}
		edits = append(edits, s)
	}
	src := m.tree.src
	slices.SortFunc(edits, func(a, b splice) int { return b.at.start - a.at.start })
	out := append([]byte(nil), src...)
	for _, e := range edits {
		out = append(out[:e.at.start], append(append([]byte(nil), e.with...), out[e.at.end:]...)...)
	}
	return out, nil
}

// check refuses a value the field's kind cannot hold. Empty is allowed
// where the field was written as text, so that the server decides.
func check(f Field, v string) error {
	bad := func(p string) error { return &FieldError{Key: f.Key, Label: f.Label, Problem: p} }
	switch f.Kind {
	case Number:
		if v == "" && (f.valueKind == KindString || f.valueKind == KindNull) {
			return nil
		}
		if !isNumber(v) {
			return bad("must be a number, e.g. 120")
		}
	case Bool:
		if v == "" && (f.valueKind == KindString || f.valueKind == KindNull) {
			return nil
		}
		if !isBool(v) {
			return bad("must be true or false")
		}
	case List:
		if f.valueKind == KindNumber {
			for _, it := range splitList(v) {
				if !isNumber(it) {
					return bad(fmt.Sprintf("%q is not a number; separate numbers with commas", it))
				}
			}
		}
	}
	return nil
}

func (m *Member) spliceFor(f Field, v string) (splice, error) {
	if err := check(f, v); err != nil {
		return splice{}, err
	}
	if f.node == nil {
		a := m.tree.Root.Attrs[f.attr]
		if m.Format == wire.XML {
			return splice{a.val, []byte(escapeXMLAttr(v))}, nil
		}
		return splice{a.val, jsonScalar(f.valueKind, f.Kind, v)}, nil
	}
	n := f.node
	if f.Kind == List {
		return m.listSplice(f, splitList(v)), nil
	}
	if m.Format == wire.XML {
		return xmlContent(m.tree.src, n, []byte(escapeXMLText(v))), nil
	}
	return splice{n.whole, jsonScalar(f.valueKind, f.Kind, v)}, nil
}

// xmlContent replaces an element's content, opening <x/> into
// <x>…</x>.
func xmlContent(src []byte, n *Node, content []byte) splice {
	if !n.selfClosing {
		return splice{n.inner, content}
	}
	tag := src[n.whole.start:n.whole.end]
	var b []byte
	b = append(b, tag[:len(tag)-2]...) // drop "/>"
	b = append(b, '>')
	b = append(b, content...)
	b = append(b, "</"+n.rawName+">"...)
	return splice{n.whole, b}
}

func (m *Member) listSplice(f Field, items []string) splice {
	n := f.node
	if m.Format == wire.XML {
		var b bytes.Buffer
		for _, it := range items {
			fmt.Fprintf(&b, "<%s>%s</%s>", f.itemName, escapeXMLText(it), f.itemName)
		}
		return xmlContent(m.tree.src, n, b.Bytes())
	}
	enc := make([][]byte, len(items))
	for i, it := range items {
		enc[i] = jsonScalar(f.valueKind, Text, it)
	}
	array := append([]byte("["), bytes.Join(enc, []byte(","))...)
	array = append(array, ']')
	switch {
	case len(n.Kids) == 0:
		// {} — name the items.
		return splice{n.whole, append(append([]byte("{"), jsonString(f.itemName)...), append([]byte(":"), append(array, '}')...)...)}
	case n.Kids[0].arrayed:
		return splice{n.Kids[0].group, array}
	case len(items) == 1:
		return splice{n.Kids[0].whole, enc[0]}
	}
	return splice{n.Kids[0].whole, array}
}

// jsonScalar writes v as the JSON it was: a number or boolean stays one, a
// string stays a string; a null becomes what the field holds.
func jsonScalar(was ValueKind, k Kind, v string) []byte {
	switch {
	case was == KindNumber && isNumber(v), was == KindBool && isBool(v):
		return []byte(v)
	case was == KindNull && k == Number && isNumber(v), was == KindNull && k == Bool && isBool(v):
		return []byte(v)
	}
	return jsonString(v)
}

// jsonString quotes s without escaping <, > and &, which the platform
// sends as they are.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimRight(b.Bytes(), "\n")
}

var (
	xmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	xmlAttr = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;",
		"\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;")
)

func escapeXMLText(s string) string { return xmlText.Replace(s) }
func escapeXMLAttr(s string) string { return xmlAttr.Replace(s) }

// encodeNew writes a new member from scratch: its non-empty values, in
// the fields' order, written the way the collection's members write them.
func (m *Member) encodeNew(values map[string]string) ([]byte, error) {
	var b bytes.Buffer
	if m.Format == wire.XML {
		fmt.Fprintf(&b, "<%s>", m.Name)
	} else {
		fmt.Fprintf(&b, "{%s:{", jsonString(m.Name))
	}
	first := true
	for _, f := range m.Fields {
		v := strings.TrimSpace(values[f.Key])
		if f.ReadOnly || v == "" {
			continue
		}
		if err := check(f, v); err != nil {
			return nil, err
		}
		items := splitList(v)
		if f.Kind == List && len(items) == 0 {
			continue
		}
		if m.Format == wire.XML {
			fmt.Fprintf(&b, "<%s>", f.Key)
			if f.Kind == List {
				for _, it := range items {
					fmt.Fprintf(&b, "<%s>%s</%s>", f.itemName, escapeXMLText(it), f.itemName)
				}
			} else {
				b.WriteString(escapeXMLText(v))
			}
			fmt.Fprintf(&b, "</%s>", f.Key)
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.Write(jsonString(f.Key))
		b.WriteByte(':')
		if f.Kind == List {
			enc := make([][]byte, len(items))
			for i, it := range items {
				enc[i] = jsonScalar(f.valueKind, Text, it)
			}
			fmt.Fprintf(&b, "{%s:[%s]}", jsonString(f.itemName), bytes.Join(enc, []byte(",")))
			continue
		}
		b.Write(jsonScalar(f.valueKind, f.Kind, v))
	}
	if m.Format == wire.XML {
		fmt.Fprintf(&b, "</%s>", m.Name)
	} else {
		b.WriteString("}}")
	}
	return b.Bytes(), nil
}
