package apiclient

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// MaxPrettyDepth bounds how deeply PrettyPrint descends into a document,
// the same bound as wire.MaxLinkDepth: no response of the platform comes
// near it, and each level adds two spaces to every line below it.
const MaxPrettyDepth = wire.MaxLinkDepth

// ErrPrettyTooLarge is returned by PrettyPrint when the indented output
// would exceed maxPrettyOutput(len(body)): a hostile body of many short,
// deeply indented lines would otherwise cost hundreds of times its size.
var ErrPrettyTooLarge = errors.New("the indented body would be too large")

// maxPrettyOutput is the output bound for an n-byte body: 8×n plus 1 MiB,
// far above what indenting a real response costs (about 2×).
func maxPrettyOutput(n int) int { return 8*n + 1<<20 }

// PrettyPrint indents a JSON or XML body with two spaces per level, in one
// pass over the input: JSON by a byte-level reader that produces what
// json.Indent would, several times faster; XML from encoding/xml's token
// stream. A malformed body is an error; a body in another format is returned
// unchanged.
//
// Hostile input ends in an error, never in unbounded work or memory:
// nesting deeper than MaxPrettyDepth fails with an error wrapping
// wire.ErrTooDeep, output past maxPrettyOutput with ErrPrettyTooLarge. XML
// entities other than the five predefined ones (and character references)
// are never expanded: a reference to one declared in a DOCTYPE (the
// "billion laughs") is an error naming it, and a DOCTYPE that only declares
// them is copied through verbatim. JSON strings are copied byte for byte, so
// invalid UTF-8 in them is preserved as json.Indent preserves it; XML with
// invalid UTF-8 is an error, as encoding/xml requires.
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

func tooDeep() error { return fmt.Errorf("%w (over %d levels)", wire.ErrTooDeep, MaxPrettyDepth) }

func tooLarge(limit int) error {
	return fmt.Errorf("%w (over %d bytes, 8× the body plus 1 MiB)", ErrPrettyTooLarge, limit)
}

// prettyXML re-emits the raw token stream (prefixes kept as written, no
// entity expansion beyond the predefined five) with one element per line.
// Whitespace-only text between elements is dropped; an element holding only
// text stays on one line, exactly as written, and an empty one collapses to
// <name/>. In mixed content, text loses the whitespace that faces a sibling
// element, which the indentation replaces, so the output pretty-prints to
// itself. RawToken does not match end tags to start tags, so a stack of
// names does (FuzzPrettyXML found "<a></b>" rewritten as "<a/>").
func prettyXML(body []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true // and no Entity map: custom entities are errors, not expansions
	var out bytes.Buffer
	out.Grow(len(body) + len(body)/2)
	limit := maxPrettyOutput(len(body))
	var stack []xml.Name // open elements, as written
	open := false        // "<name attrs" written, ">" not yet
	hadText := false     // the current element's content so far is text only
	afterChild := false  // the current element already holds a child, comment or PI
	var pending []byte   // text not yet written: how to trim it depends on what follows
	first := true
	newline := func() {
		if !first {
			out.WriteByte('\n')
		}
		first = false
		for range stack {
			out.WriteString("  ")
		}
	}
	closeOpen := func() {
		if open {
			out.WriteByte('>')
			open = false
		}
	}
	// flush writes pending text; before markup its trailing whitespace
	// goes, since a newline and indentation follow.
	flush := func(beforeMarkup bool) {
		if pending == nil {
			return
		}
		t := pending
		if beforeMarkup {
			t = bytes.TrimRight(t, " \t\r\n")
		}
		escapeXML(&out, string(t), false)
		pending = nil
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if out.Len() > limit {
			return nil, tooLarge(limit)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= MaxPrettyDepth {
				line, col := d.InputPos()
				return nil, fmt.Errorf("line %d, column %d: %w", line, col, tooDeep())
			}
			flush(true)
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
			stack = append(stack, t.Name)
			open, hadText, afterChild = true, false, false
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1] != t.Name {
				line, _ := d.InputPos()
				if len(stack) == 0 {
					return nil, fmt.Errorf("line %d: unexpected end element </%s>", line, qname(t.Name))
				}
				return nil, fmt.Errorf("line %d: element <%s> closed by </%s>", line, qname(stack[len(stack)-1]), qname(t.Name))
			}
			flush(false)
			stack = stack[:len(stack)-1]
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
			hadText, afterChild = false, true
		case xml.CharData:
			if pending == nil {
				if len(bytes.TrimSpace(t)) == 0 {
					continue
				}
				if afterChild {
					t = bytes.TrimLeft(t, " \t\r\n")
				}
				pending = []byte{}
			}
			closeOpen()
			pending = append(pending, t...)
			hadText = true
		case xml.Comment:
			flush(true)
			closeOpen()
			newline()
			out.WriteString("<!--")
			out.Write(t)
			out.WriteString("-->")
			afterChild = true
		case xml.ProcInst:
			flush(true)
			closeOpen()
			newline()
			out.WriteString("<?" + t.Target)
			if len(t.Inst) > 0 {
				out.WriteByte(' ')
				out.Write(t.Inst)
			}
			out.WriteString("?>")
			afterChild = true
		case xml.Directive:
			flush(true)
			closeOpen()
			newline()
			out.WriteString("<!")
			out.Write(t)
			out.WriteByte('>')
			afterChild = true
		}
	}
	flush(true)
	if len(stack) != 0 {
		return nil, fmt.Errorf("unexpected end of document (%d elements open)", len(stack))
	}
	if out.Len() > limit {
		return nil, tooLarge(limit)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
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

// jsonIndenter copies a JSON document token by token, re-indenting it. It
// checks the grammar as it goes, so malformed input fails like json.Indent.
type jsonIndenter struct {
	b     []byte
	i     int
	out   []byte
	limit int // output bound
}

func prettyJSON(body []byte) ([]byte, error) {
	p := &jsonIndenter{b: body, out: make([]byte, 0, prettyJSONSize(body)), limit: maxPrettyOutput(len(body))}
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

// prettyJSONSize predicts the indented size of body from one quick pass over
// its structural characters, so the output is allocated once: a fixed
// factor either wastes memory or, when too small, copies the whole output
// again (indented JSON of the platform's lists runs about 1.6× the body).
// Empty containers make it overestimate slightly; the guess is capped so a
// hostile body cannot make it allocate more than a few times its size
// before the indenter's own checks refuse it.
func prettyJSONSize(b []byte) int {
	n, depth := 1, 0
	inStr, esc, justOpened := false, false, false
	for _, c := range b {
		if inStr {
			n++
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			inStr = true
			n++
		case '{', '[':
			depth++
			n += 2 + 2*depth // the bracket, a newline and the indent
		case ',':
			n += 2 + 2*depth
		case '}', ']':
			if depth > 0 {
				depth--
			}
			if justOpened { // empty: "{}" with no newline, take back the opener's
				n -= 1 + 2*(depth+1)
				n++
			} else {
				n += 2 + 2*depth
			}
		case ':':
			n += 2
		default:
			n++
		}
		justOpened = c == '{' || c == '['
	}
	return min(n, 3*len(b)+64)
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
	if p.i >= len(p.b) {
		return p.errorf("unexpected end of input")
	}
	switch c := p.b[p.i]; {
	case c == '{' || c == '[':
		if depth >= MaxPrettyDepth { // this container would be level depth+1
			return fmt.Errorf("offset %d: %w", p.i, tooDeep())
		}
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
		if len(p.out) > p.limit {
			return fmt.Errorf("offset %d: %w", p.i, tooLarge(p.limit))
		}
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
