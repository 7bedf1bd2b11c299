package apiclient

import (
	"bytes"
	"encoding/json"
	"fmt"
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
