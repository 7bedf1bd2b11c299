package apiclient

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// refPrettyXML is the encoding/xml-based indenter that xmlscan replaced,
// kept as the reference the scanner must agree with byte for byte. It
// re-emits the raw token stream (prefixes kept as written, no
// entity expansion beyond the predefined five) with one element per line.
// Whitespace-only text between elements is dropped; an element holding only
// text stays on one line, exactly as written, and an empty one collapses to
// <name/>. In mixed content, text loses the whitespace that faces a sibling
// element, which the indentation replaces, so the output pretty-prints to
// itself. RawToken does not match end tags to start tags, so a stack of
// names does (FuzzPrettyXML found "<a></b>" rewritten as "<a/>").
func refPrettyXML(body []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true // and no Entity map: custom entities are errors, not expansions
	x := &refXMLIndenter{d: d, first: true, limit: maxPrettyOutput(len(body))}
	x.stack = x.stackBuf[:0]
	x.out.Grow(len(body) + len(body)/2)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if x.out.Len() > x.limit {
			return nil, tooLarge(x.limit)
		}
		if err := x.token(tok); err != nil {
			return nil, err
		}
	}
	x.flush(true)
	if len(x.stack) != 0 {
		return nil, fmt.Errorf("unexpected end of document (%d elements open)", len(x.stack))
	}
	if x.out.Len() > x.limit {
		return nil, tooLarge(x.limit)
	}
	x.out.WriteByte('\n')
	return x.out.Bytes(), nil
}

// refXMLIndenter is refPrettyXML's state between tokens.
type refXMLIndenter struct {
	d          *xml.Decoder // for error positions
	out        bytes.Buffer
	limit      int
	stack      []xml.Name  // open elements, as written
	stackBuf   [8]xml.Name // stack's first home: most documents are shallower
	open       bool        // "<name attrs" written, ">" not yet
	hadText    bool        // the current element's content so far is text only
	afterChild bool        // the current element already holds a child, comment or PI
	pending    []byte      // text not yet written: how to trim it depends on what follows
	first      bool        // nothing written yet: no newline before the next line
}

func (x *refXMLIndenter) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		return x.start(t)
	case xml.EndElement:
		return x.end(t)
	case xml.CharData:
		x.text(t)
	case xml.Comment:
		x.markup("<!--", "", t, "-->")
	case xml.ProcInst:
		sep := ""
		if len(t.Inst) > 0 {
			sep = " "
		}
		x.markup("<?"+t.Target, sep, t.Inst, "?>")
	case xml.Directive:
		x.markup("<!", "", t, ">")
	}
	return nil
}

func (x *refXMLIndenter) start(t xml.StartElement) error {
	if len(x.stack) >= MaxPrettyDepth {
		line, col := x.d.InputPos()
		return fmt.Errorf("line %d, column %d: %w", line, col, tooDeep())
	}
	x.flush(true)
	x.closeOpen()
	x.newline()
	x.out.WriteByte('<')
	refWriteName(&x.out, t.Name)
	for _, a := range t.Attr {
		x.out.WriteByte(' ')
		refWriteName(&x.out, a.Name)
		x.out.WriteString(`="`)
		refEscapeXML(&x.out, a.Value, true)
		x.out.WriteByte('"')
	}
	x.stack = append(x.stack, t.Name)
	x.open, x.hadText, x.afterChild = true, false, false
	return nil
}

// end closes the innermost element: "/>" when it stayed empty, on the
// same line after text only, else on a line of its own.
func (x *refXMLIndenter) end(t xml.EndElement) error {
	if len(x.stack) == 0 || x.stack[len(x.stack)-1] != t.Name {
		line, _ := x.d.InputPos()
		if len(x.stack) == 0 {
			return fmt.Errorf("line %d: unexpected end element </%s>", line, refQName(t.Name))
		}
		return fmt.Errorf("line %d: element <%s> closed by </%s>", line, refQName(x.stack[len(x.stack)-1]), refQName(t.Name))
	}
	x.flush(false)
	x.stack = x.stack[:len(x.stack)-1]
	switch {
	case x.open:
		x.out.WriteString("/>")
		x.open = false
	case x.hadText:
		x.out.WriteString("</")
		refWriteName(&x.out, t.Name)
		x.out.WriteByte('>')
	default:
		x.newline()
		x.out.WriteString("</")
		refWriteName(&x.out, t.Name)
		x.out.WriteByte('>')
	}
	x.hadText, x.afterChild = false, true
	return nil
}

// text holds character data back until it is known what follows it.
func (x *refXMLIndenter) text(t xml.CharData) {
	if x.pending == nil {
		if len(bytes.TrimSpace(t)) == 0 {
			return
		}
		if x.afterChild {
			t = bytes.TrimLeft(t, " \t\r\n")
		}
		x.pending = []byte{}
	}
	x.closeOpen()
	x.pending = append(x.pending, t...)
	x.hadText = true
}

// markup writes a comment, processing instruction or directive on a line
// of its own, copied as written.
func (x *refXMLIndenter) markup(open, sep string, data []byte, close string) {
	x.flush(true)
	x.closeOpen()
	x.newline()
	x.out.WriteString(open)
	x.out.WriteString(sep)
	x.out.Write(data)
	x.out.WriteString(close)
	x.afterChild = true
}

func (x *refXMLIndenter) newline() {
	if !x.first {
		x.out.WriteByte('\n')
	}
	x.first = false
	for range x.stack {
		x.out.WriteString("  ")
	}
}

func (x *refXMLIndenter) closeOpen() {
	if x.open {
		x.out.WriteByte('>')
		x.open = false
	}
}

// flush writes pending text; before markup its trailing whitespace goes,
// since a newline and indentation follow.
func (x *refXMLIndenter) flush(beforeMarkup bool) {
	if x.pending == nil {
		return
	}
	t := x.pending
	if beforeMarkup {
		t = bytes.TrimRight(t, " \t\r\n")
	}
	refEscapeXML(&x.out, string(t), false)
	x.pending = nil
}

func refQName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func refWriteName(b *bytes.Buffer, n xml.Name) {
	if n.Space != "" {
		b.WriteString(n.Space)
		b.WriteByte(':')
	}
	b.WriteString(n.Local)
}

// refEscapeXML escapes what must be escaped; text keeps its newlines readable,
// attribute values escape them so they survive attribute normalisation.
func refEscapeXML(b *bytes.Buffer, s string, attr bool) {
	var r *strings.Replacer
	if attr {
		r = refAttrEscaper
	} else {
		r = refTextEscaper
	}
	_, _ = r.WriteString(b, s)
}

var (
	refTextEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	refAttrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\r", "&#xD;", "\n", "&#xA;", "\t", "&#x9;")
)

// refXMLLinks is wire's encoding/xml-based link reader that xmlscan
// replaced, kept as the reference: a Decoder.Token walk, strict, with the
// same depth bound.
func refXMLLinks(body []byte) ([]wire.Link, error) {
	if !bytes.Contains(body, []byte("link")) {
		return nil, nil
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	var links []wire.Link
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return links, nil
		}
		if err != nil {
			return links, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > wire.MaxLinkDepth {
				return links, wire.ErrTooDeep
			}
			if t.Name.Local == "link" {
				var l wire.Link
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "rel":
						l.Rel = a.Value
					case "href":
						l.Href = a.Value
					}
				}
				if l.Rel != "" || l.Href != "" {
					links = append(links, l)
				}
			}
		case xml.EndElement:
			depth--
		}
	}
}
