package repr

import (
	"encoding/json"
	"fmt"
	"strings"
)

// jsonParser is a recursive-descent reader that keeps every value's byte
// range, which encoding/json's Decoder cannot give exactly.
type jsonParser struct {
	b []byte
	i int
}

// parseJSON reads a document. A top-level object with one key (the
// platform's {"skill": {…}}) becomes that key's node; anything else becomes
// a node without a name.
func parseJSON(body []byte) (*Node, error) {
	p := &jsonParser{b: body}
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '{' {
		start := p.i
		top := &Node{}
		if err := p.object(top, 1); err != nil {
			return nil, err
		}
		top.whole = span{start, p.i}
		top.inner = top.whole
		if err := p.end(); err != nil {
			return nil, err
		}
		if len(top.Kids) == 1 && len(top.Attrs) == 0 && !top.Kids[0].arrayed {
			return top.Kids[0], nil
		}
		return top, nil
	}
	n := &Node{}
	if err := p.value(n, 1); err != nil {
		return nil, err
	}
	return n, p.end()
}

func (p *jsonParser) end() error {
	p.ws()
	if p.i != len(p.b) {
		return p.errorf("data after the top-level value")
	}
	return nil
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: JSON offset %d: %s", ErrSyntax, p.i, fmt.Sprintf(format, args...))
}

func (p *jsonParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value reads one value into n (whose Name is set by the caller).
func (p *jsonParser) value(n *Node, depth int) error {
	if depth > maxDepth {
		return p.errorf("nested more than %d levels", maxDepth)
	}
	if p.i >= len(p.b) {
		return p.errorf("unexpected end of input")
	}
	start := p.i
	switch c := p.b[p.i]; {
	case c == '{':
		if err := p.object(n, depth); err != nil {
			return err
		}
	case c == '[':
		// An array inside an array has no element name to map to.
		n.Mixed = true
		var scratch Node
		if err := p.array(&scratch, "", depth); err != nil {
			return err
		}
	default:
		text, kind, err := p.scalar()
		if err != nil {
			return err
		}
		n.Leaf, n.Text, n.Kind = true, text, kind
	}
	n.whole = span{start, p.i}
	n.inner = n.whole
	return nil
}

func (p *jsonParser) object(n *Node, depth int) error {
	p.i++ // {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return nil
	}
	for {
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return p.errorf("want a key")
		}
		key, _, err := p.scalar()
		if err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return p.errorf("want : after key %q", key)
		}
		p.i++
		p.ws()
		if err := p.member(n, key, depth); err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.b) {
			return p.errorf("unexpected end of input in object")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return nil
		default:
			return p.errorf("want , or } in object, got %q", p.b[p.i])
		}
	}
}

// member reads the value of key into n: an attribute, a child, or one
// child per array item.
func (p *jsonParser) member(n *Node, key string, depth int) error {
	if p.i >= len(p.b) {
		return p.errorf("unexpected end of input")
	}
	if p.b[p.i] == '[' {
		return p.array(n, key, depth)
	}
	kid := &Node{Name: key}
	if err := p.value(kid, depth+1); err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(key, "@") && kid.Leaf:
		n.Attrs = append(n.Attrs, Attr{Name: key[1:], Value: kid.Text, kind: kid.Kind, val: kid.whole})
	case key == "#text" || key == "$" || strings.HasPrefix(key, "@"):
		// Text beside attributes, or a structured attribute: not a shape
		// of fields.
		n.Mixed = true
		n.Kids = append(n.Kids, kid)
	default:
		n.Kids = append(n.Kids, kid)
	}
	return nil
}

// array reads [ … ] as one child of n per item, named key.
func (p *jsonParser) array(n *Node, key string, depth int) error {
	start := p.i
	p.i++ // [
	var items []*Node
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
	} else {
		for {
			p.ws()
			kid := &Node{Name: key, arrayed: true}
			if err := p.value(kid, depth+1); err != nil {
				return err
			}
			items = append(items, kid)
			p.ws()
			if p.i >= len(p.b) {
				return p.errorf("unexpected end of input in array")
			}
			if p.b[p.i] == ',' {
				p.i++
				continue
			}
			if p.b[p.i] == ']' {
				p.i++
				break
			}
			return p.errorf("want , or ] in array, got %q", p.b[p.i])
		}
	}
	g := span{start, p.i}
	for _, k := range items {
		k.group = g
	}
	if len(items) == 0 {
		// An empty list still names its items' key; keep it as a marker
		// so that the key is not lost from the shape.
		n.Kids = append(n.Kids, &Node{Name: key, arrayed: true, group: g, whole: g, inner: g, Mixed: true, emptyArray: true})
		return nil
	}
	n.Kids = append(n.Kids, items...)
	return nil
}

// scalar reads a string, number, true, false or null.
func (p *jsonParser) scalar() (string, ValueKind, error) {
	start := p.i
	switch c := p.b[p.i]; {
	case c == '"':
		p.i++
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case '\\':
				p.i += 2
				continue
			case '"':
				p.i++
				var s string
				if err := json.Unmarshal(p.b[start:p.i], &s); err != nil {
					return "", 0, p.errorf("bad string: %v", err)
				}
				return s, KindString, nil
			}
			if p.b[p.i] < 0x20 {
				return "", 0, p.errorf("control character in string")
			}
			p.i++
		}
		return "", 0, p.errorf("unterminated string")
	case c == '-' || (c >= '0' && c <= '9'):
		for p.i < len(p.b) && strings.IndexByte("+-.eE0123456789", p.b[p.i]) >= 0 {
			p.i++
		}
		raw := string(p.b[start:p.i])
		if !json.Valid([]byte(raw)) {
			return "", 0, p.errorf("bad number %q", raw)
		}
		return raw, KindNumber, nil
	}
	for _, lit := range []string{"true", "false", "null"} {
		if strings.HasPrefix(string(p.b[p.i:min(p.i+5, len(p.b))]), lit) {
			p.i += len(lit)
			if lit == "null" {
				return "", KindNull, nil
			}
			return lit, KindBool, nil
		}
	}
	return "", 0, p.errorf("unexpected %q", p.b[p.i])
}
