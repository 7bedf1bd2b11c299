package apiclient

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// PrettyPrint indents a JSON or XML body with two spaces per level, in one
// pass over the input: JSON by a byte-level reader that produces what
// json.Indent would, several times faster; XML from encoding/xml's token
// stream. A malformed body is an error; a body in another format is returned
// unchanged.
func PrettyPrint(body []byte, f wire.Format) ([]byte, error) {
	switch f {
	case wire.JSON:
		out, err := prettyJSON(body)
		if err != nil {
			return nil, fmt.Errorf("pretty-print JSON: %w", err)
		}
		return out, nil
	case wire.XML:
		out, err := prettyXML(body)
		if err != nil {
			return nil, fmt.Errorf("pretty-print XML: %w", err)
		}
		return out, nil
	}
	return body, nil
}

// prettyXML re-emits the raw token stream (prefixes kept as written, no
// entity expansion beyond the predefined five) with one element per line.
// Whitespace-only text between elements is dropped; an element holding only
// text stays on one line, and an empty one collapses to <name/>.
func prettyXML(body []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	var out bytes.Buffer
	out.Grow(len(body) + len(body)/2)
	depth := 0
	open := false    // "<name attrs" written, ">" not yet
	hadText := false // the current element's content so far is text only
	first := true
	newline := func() {
		if !first {
			out.WriteByte('\n')
		}
		first = false
		for i := 0; i < depth; i++ {
			out.WriteString("  ")
		}
	}
	closeOpen := func() {
		if open {
			out.WriteByte('>')
			open = false
		}
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			closeOpen()
			newline()
			out.WriteByte('<')
			writeName(&out, t.Name)
			for _, a := range t.Attr {
				out.WriteByte(' ')
				writeName(&out, a.Name)
				out.WriteString(`="`)
				escapeXML(&out, a.Value, true)
				out.WriteByte('"')
			}
			open, hadText = true, false
			depth++
		case xml.EndElement:
			depth--
			switch {
			case open:
				out.WriteString("/>")
				open = false
			case hadText:
				out.WriteString("</")
				writeName(&out, t.Name)
				out.WriteByte('>')
			default:
				newline()
				out.WriteString("</")
				writeName(&out, t.Name)
				out.WriteByte('>')
			}
			hadText = false
		case xml.CharData:
			if len(bytes.TrimSpace(t)) == 0 {
				continue
			}
			closeOpen()
			escapeXML(&out, string(t), false)
			hadText = true
		case xml.Comment:
			closeOpen()
			newline()
			out.WriteString("<!--")
			out.Write(t)
			out.WriteString("-->")
		case xml.ProcInst:
			closeOpen()
			newline()
			out.WriteString("<?" + t.Target)
			if len(t.Inst) > 0 {
				out.WriteByte(' ')
				out.Write(t.Inst)
			}
			out.WriteString("?>")
		case xml.Directive:
			closeOpen()
			newline()
			out.WriteString("<!")
			out.Write(t)
			out.WriteByte('>')
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("unexpected end of document (%d elements open)", depth)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func writeName(b *bytes.Buffer, n xml.Name) {
	if n.Space != "" {
		b.WriteString(n.Space)
		b.WriteByte(':')
	}
	b.WriteString(n.Local)
}

// escapeXML escapes what must be escaped; text keeps its newlines readable,
// attribute values escape them so they survive attribute normalisation.
func escapeXML(b *bytes.Buffer, s string, attr bool) {
	var r *strings.Replacer
	if attr {
		r = attrEscaper
	} else {
		r = textEscaper
	}
	_, _ = r.WriteString(b, s)
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\r", "&#xD;", "\n", "&#xA;", "\t", "&#x9;")
)

// maxJSONDepth matches encoding/json's nesting limit.
const maxJSONDepth = 10000

// jsonIndenter copies a JSON document token by token, re-indenting it. It
// checks the grammar as it goes, so malformed input fails like json.Indent.
type jsonIndenter struct {
	b   []byte
	i   int
	out []byte
}

func prettyJSON(body []byte) ([]byte, error) {
	p := &jsonIndenter{b: body, out: make([]byte, 0, len(body)+len(body)/2+1)}
	p.ws()
	if err := p.value(0); err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.b) {
		return nil, p.errorf("data after the top-level value")
	}
	return append(p.out, '\n'), nil
}

func (p *jsonIndenter) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *jsonIndenter) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonIndenter) newline(depth int) {
	p.out = append(p.out, '\n')
	for range depth {
		p.out = append(p.out, ' ', ' ')
	}
}

func (p *jsonIndenter) value(depth int) error {
	if depth > maxJSONDepth {
		return p.errorf("nested too deeply")
	}
	if p.i >= len(p.b) {
		return p.errorf("unexpected end of input")
	}
	switch c := p.b[p.i]; {
	case c == '{' || c == '[':
		return p.container(depth, c)
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		for p.i < len(p.b) {
			c := p.b[p.i]
			if (c < '0' || c > '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E' {
				break
			}
			p.i++
		}
		if !json.Valid(p.b[start:p.i]) {
			return p.errorf("bad number %q", p.b[start:p.i])
		}
		p.out = append(p.out, p.b[start:p.i]...)
		return nil
	}
	for _, lit := range []string{"true", "false", "null"} {
		if bytes.HasPrefix(p.b[p.i:], []byte(lit)) {
			p.i += len(lit)
			p.out = append(p.out, lit...)
			return nil
		}
	}
	return p.errorf("unexpected %q", p.b[p.i])
}

func (p *jsonIndenter) container(depth int, open byte) error {
	closer := byte('}')
	if open == '[' {
		closer = ']'
	}
	p.i++
	p.out = append(p.out, open)
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == closer {
		p.i++
		p.out = append(p.out, closer)
		return nil
	}
	for {
		p.newline(depth + 1)
		p.ws()
		if open == '{' {
			if p.i >= len(p.b) || p.b[p.i] != '"' {
				return p.errorf("want an object key")
			}
			if err := p.str(); err != nil {
				return err
			}
			p.ws()
			if p.i >= len(p.b) || p.b[p.i] != ':' {
				return p.errorf("want : after object key")
			}
			p.i++
			p.out = append(p.out, ':', ' ')
			p.ws()
		}
		if err := p.value(depth + 1); err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.b) {
			return p.errorf("unexpected end of input")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
			p.out = append(p.out, ',')
		case closer:
			p.i++
			p.newline(depth)
			p.out = append(p.out, closer)
			return nil
		default:
			return p.errorf("unexpected %q", p.b[p.i])
		}
	}
}

// str copies a string verbatim (escapes kept as written), checking that its
// escapes are valid and that it holds no raw control character.
func (p *jsonIndenter) str() error {
	start := p.i
	p.i++
	escaped := false
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if escaped && !json.Valid(p.b[start:p.i]) {
				return p.errorf("bad escape in string")
			}
			p.out = append(p.out, p.b[start:p.i]...)
			return nil
		case c == '\\':
			escaped = true
			p.i += 2
		case c < 0x20:
			return p.errorf("control character in string")
		default:
			p.i++
		}
	}
	return p.errorf("unterminated string")
}
