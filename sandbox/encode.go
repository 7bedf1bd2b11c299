package sandbox

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/lpdesk/lpdesk/apiclient/jsonscan"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// kind says how a leaf element's text is written in JSON. XML has no types,
// so the platform's JSON mapping carried some numbers as numbers and many as
// strings; the sandbox does both on purpose so clients learn to accept both.
type kind uint8

const (
	kindObject kind = iota // an element; empty renders as {}
	kindString
	kindNumber
	kindBool
)

type attr struct{ Name, Value string }

// node is the one representation every response is built as, and every
// request body is parsed into, so XML and JSON can never drift apart.
type node struct {
	Name     string
	Attrs    []attr
	Text     string
	Kind     kind
	Children []*node
}

func el(name string, children ...*node) *node {
	n := &node{Name: name}
	for _, c := range children {
		if c != nil {
			n.Children = append(n.Children, c)
		}
	}
	return n
}

func textEl(name, text string) *node { return &node{Name: name, Text: text, Kind: kindString} }

func numEl(name string, v int) *node {
	return &node{Name: name, Text: fmt.Sprint(v), Kind: kindNumber}
}

func boolEl(name string, v bool) *node {
	return &node{Name: name, Text: fmt.Sprint(v), Kind: kindBool}
}

func linkEl(rel, href string) *node {
	return &node{Name: "link", Attrs: []attr{{"rel", rel}, {"href", href}}}
}

func (n *node) attr(name, value string) *node {
	n.Attrs = append(n.Attrs, attr{name, value})
	return n
}

func (n *node) add(children ...*node) *node {
	for _, c := range children {
		if c != nil {
			n.Children = append(n.Children, c)
		}
	}
	return n
}

// child returns the first child called name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// render writes n in format f.
func render(n *node, f wire.Format) []byte {
	var b bytes.Buffer
	if f == wire.XML {
		b.WriteString(xml.Header)
		writeXML(&b, n)
	} else {
		b.WriteString(`{`)
		writeJSONString(&b, n.Name)
		b.WriteByte(':')
		writeJSONValue(&b, n)
		b.WriteByte('}')
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// renderMembers writes n's attributes and children as a JSON object
// without n's own name: the documented responses that have no root.
func renderMembers(n *node) []byte {
	var b bytes.Buffer
	writeJSONValue(&b, n)
	b.WriteByte('\n')
	return b.Bytes()
}

func writeXML(b *bytes.Buffer, n *node) {
	b.WriteByte('<')
	b.WriteString(n.Name)
	for _, a := range n.Attrs {
		b.WriteByte(' ')
		b.WriteString(a.Name)
		b.WriteString(`="`)
		_ = xml.EscapeText(b, []byte(a.Value))
		b.WriteByte('"')
	}
	if n.Text == "" && len(n.Children) == 0 {
		b.WriteString("/>")
		return
	}
	b.WriteByte('>')
	_ = xml.EscapeText(b, []byte(n.Text))
	for _, c := range n.Children {
		writeXML(b, c)
	}
	b.WriteString("</")
	b.WriteString(n.Name)
	b.WriteByte('>')
}

// writeJSONValue is the platform's mapping: attributes become "@name",
// children are grouped by name (one child → a value, several → an array),
// and text next to attributes or children goes under "$".
func writeJSONValue(b *bytes.Buffer, n *node) {
	if len(n.Attrs) == 0 && len(n.Children) == 0 {
		switch n.Kind {
		case kindObject:
			if n.Text == "" {
				b.WriteString("{}")
			} else {
				writeJSONString(b, n.Text)
			}
		case kindNumber, kindBool:
			b.WriteString(n.Text)
		default:
			writeJSONString(b, n.Text)
		}
		return
	}
	b.WriteByte('{')
	first := true
	sep := func() {
		if !first {
			b.WriteByte(',')
		}
		first = false
	}
	for _, a := range n.Attrs {
		sep()
		writeJSONString(b, "@"+a.Name)
		b.WriteByte(':')
		writeJSONString(b, a.Value)
	}
	if n.Text != "" {
		sep()
		b.WriteString(`"$":`)
		writeJSONString(b, n.Text)
	}
	// Group children by name in order of first appearance.
	var order []string
	groups := map[string][]*node{}
	for _, c := range n.Children {
		if _, ok := groups[c.Name]; !ok {
			order = append(order, c.Name)
		}
		groups[c.Name] = append(groups[c.Name], c)
	}
	for _, name := range order {
		sep()
		writeJSONString(b, name)
		b.WriteByte(':')
		g := groups[name]
		if len(g) == 1 {
			writeJSONValue(b, g[0])
			continue
		}
		b.WriteByte('[')
		for i, c := range g {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONValue(b, c)
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
}

// writeJSONString writes s as a JSON string. Unlike encoding/json it does
// not escape <, > and &, so links read "?a=1&b=2" rather than "\u0026".
func writeJSONString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 are valid JSON but break JavaScript parsers.
		if r == '\u2028' || r == '\u2029' {
			b.WriteString(s[start:i])
			b.WriteString(`\u202`)
			b.WriteByte(hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// bodyError is a body that does not parse; Line and Col are 1-based.
type bodyError struct {
	Line, Col int
	Msg       string
}

func (e *bodyError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// parseBody parses a request body in format f into a node tree.
func parseBody(data []byte, f wire.Format) (*node, error) {
	if f == wire.XML {
		return parseXML(data)
	}
	return parseJSON(data)
}

func parseXML(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var stack []*node
	var root *node
	fail := func(msg string) error {
		line, col := d.InputPos()
		return &bodyError{Line: line, Col: col, Msg: msg}
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			msg := err.Error()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				msg = se.Msg
			}
			return nil, fail(msg)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, fail("more than one root element")
			}
			n := &node{Name: t.Name.Local, Kind: kindString}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				n.Attrs = append(n.Attrs, attr{a.Name.Local, a.Value})
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(n.Children) > 0 {
				if strings.TrimSpace(n.Text) == "" {
					n.Text = ""
				}
				n.Kind = kindObject
			}
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, fail("text outside the root element")
				}
				continue
			}
			stack[len(stack)-1].Text += string(t)
		}
	}
	if root == nil {
		line, col := jsonscan.Position(data, len(data))
		return nil, &bodyError{Line: line, Col: col, Msg: "no root element"}
	}
	return root, nil
}

// parseJSON reads the platform's JSON mapping back into a node tree. Member
// order is kept (a map would lose it), "@x" members become attributes, "$"
// or "#text" the text, arrays repeated children.
func parseJSON(data []byte) (*node, error) {
	// Syntax first, over the whole document: a fault anywhere is named
	// before what the body means.
	if err := jsonscan.Check(data); err != nil {
		return nil, syntaxError(data, err)
	}
	p := &jsonParser{s: jsonscan.New(data), data: data}
	tok, err := p.token()
	if err != nil {
		return nil, err
	}
	if tok.Kind != jsonscan.ObjectStart {
		line, col := jsonscan.Position(data, tok.Start)
		return nil, &bodyError{Line: line, Col: col, Msg: "the body must be a JSON object with one member, the root element"}
	}
	tok, err = p.token()
	if err != nil {
		return nil, err
	}
	if tok.Kind != jsonscan.Key {
		return nil, p.fail("the body must name its root element, e.g. {\"skill\": {…}}")
	}
	nodes, err := p.value(jsonscan.Text(data, tok))
	if err != nil {
		return nil, err
	}
	if len(nodes) != 1 {
		return nil, p.fail("the root element must be an object, not an array or null")
	}
	tok, err = p.token()
	if err != nil {
		return nil, err
	}
	if tok.Kind != jsonscan.ObjectEnd {
		return nil, p.fail("the body must have exactly one root member")
	}
	if _, err := p.s.Next(); !errors.Is(err, io.EOF) {
		return nil, p.fail("unexpected data after the root object")
	}
	return nodes[0], nil
}

// parseJSONMembers reads a JSON object whose members are the body, as
// several documented requests are ({} to accept a chat, {"authChatConnId":
// …, "ssoKey": …} to authenticate a visitor): they become the children of
// a node called "body".
func parseJSONMembers(data []byte) (*node, error) {
	wrapped := make([]byte, 0, len(data)+10)
	wrapped = append(wrapped, `{"body":`...)
	wrapped = append(wrapped, data...)
	wrapped = append(wrapped, '}')
	n, err := parseJSON(wrapped)
	var be *bodyError
	if errors.As(err, &be) && be.Line == 1 {
		be.Col = max(be.Col-len(`{"body":`), 1)
	}
	if err == nil && (n.Text != "" || n.Kind != kindObject && len(n.Children) == 0 && len(n.Attrs) == 0) {
		return nil, &bodyError{Line: 1, Col: 1, Msg: "the body must be a JSON object"}
	}
	return n, err
}

// syntaxError places a scanner's error for people.
func syntaxError(data []byte, err error) error {
	var se *jsonscan.SyntaxError
	if !errors.As(err, &se) {
		return err
	}
	line, col := jsonscan.Position(data, se.Offset)
	return &bodyError{Line: line, Col: col, Msg: se.Msg}
}

type jsonParser struct {
	s    jsonscan.Scanner
	data []byte
	end  int // where the last token ended, where a fault is placed
}

func (p *jsonParser) fail(msg string) error {
	line, col := jsonscan.Position(p.data, p.end)
	return &bodyError{Line: line, Col: col, Msg: msg}
}

func (p *jsonParser) token() (jsonscan.Token, error) {
	tok, err := p.s.Next()
	switch {
	case err == nil:
		p.end = tok.End
		return tok, nil
	case errors.Is(err, io.EOF):
		return tok, p.fail("unexpected end of JSON input")
	}
	return tok, syntaxError(p.data, err)
}

// value reads one JSON value named name. Arrays yield one node per item;
// null yields none.
func (p *jsonParser) value(name string) ([]*node, error) {
	tok, err := p.token()
	if err != nil {
		return nil, err
	}
	return p.valueFrom(name, tok, true)
}

func (p *jsonParser) valueFrom(name string, tok jsonscan.Token, arrayOK bool) ([]*node, error) {
	switch tok.Kind {
	case jsonscan.Null:
		return nil, nil
	case jsonscan.String:
		return []*node{{Name: name, Text: jsonscan.Text(p.data, tok), Kind: kindString}}, nil
	case jsonscan.Number:
		return []*node{{Name: name, Text: jsonscan.Text(p.data, tok), Kind: kindNumber}}, nil
	case jsonscan.True, jsonscan.False:
		return []*node{{Name: name, Text: jsonscan.Text(p.data, tok), Kind: kindBool}}, nil
	case jsonscan.ArrayStart:
		if !arrayOK {
			return nil, p.fail(fmt.Sprintf("nested arrays are not allowed in %q", name))
		}
		var out []*node
		for {
			tok, err := p.token()
			if err != nil {
				return nil, err
			}
			if tok.Kind == jsonscan.ArrayEnd {
				return out, nil
			}
			ns, err := p.valueFrom(name, tok, false)
			if err != nil {
				return nil, err
			}
			out = append(out, ns...)
		}
	case jsonscan.ObjectStart:
		n := &node{Name: name}
		for {
			tok, err := p.token()
			if err != nil {
				return nil, err
			}
			if tok.Kind == jsonscan.ObjectEnd {
				return []*node{n}, nil
			}
			key := jsonscan.Text(p.data, tok)
			switch {
			case strings.HasPrefix(key, "@"):
				v, err := p.scalar(key)
				if err != nil {
					return nil, err
				}
				n.Attrs = append(n.Attrs, attr{key[1:], v})
			case key == "$" || key == "#text":
				v, err := p.scalar(key)
				if err != nil {
					return nil, err
				}
				n.Text = v
			default:
				kids, err := p.value(key)
				if err != nil {
					return nil, err
				}
				n.Children = append(n.Children, kids...)
			}
		}
	}
	return nil, p.fail(fmt.Sprintf("unexpected %s", p.data[tok.Start:tok.End]))
}

func (p *jsonParser) scalar(key string) (string, error) {
	tok, err := p.token()
	if err != nil {
		return "", err
	}
	switch tok.Kind {
	case jsonscan.String, jsonscan.Number, jsonscan.True, jsonscan.False, jsonscan.Null:
		return jsonscan.Text(p.data, tok), nil
	}
	return "", p.fail(fmt.Sprintf("%q must be a string, number or boolean", key))
}
