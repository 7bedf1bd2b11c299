package apiclient

import (
	"errors"
	"fmt"
	"io"

	"github.com/lpdesk/lpdesk/apiclient/jsonscan"
)

// prettyJSON re-indents a JSON document token by token from the shared
// scanner, which checks the grammar as it goes, so malformed input fails
// as json.Indent fails. Tokens are copied byte for byte (strings keep
// their escapes and any invalid UTF-8). With w the output goes there in
// pieces of about 64 KiB and none is returned; without, it is returned in
// one slice sized by prettyJSONSize.
func prettyJSON(w io.Writer, body []byte) ([]byte, error) {
	var out []byte
	if w != nil {
		out = make([]byte, 0, prettyFlushAt+4<<10)
	} else {
		out = make([]byte, 0, prettyJSONSize(body))
	}
	written := 0
	limit := maxPrettyOutput(len(body))
	s := jsonscan.New(body)
	opened := false   // the last token opened a container: no item yet
	afterKey := false // the value follows "key": on the same line
	for {
		if w != nil && len(out) >= prettyFlushAt {
			n, err := w.Write(out)
			written += n
			if err != nil {
				return nil, fmt.Errorf("write the indented body: %w", err)
			}
			out = out[:0]
		}
		t, err := s.Next()
		if err == io.EOF {
			out = append(out, '\n')
			if w != nil {
				if _, err := w.Write(out); err != nil {
					return nil, fmt.Errorf("write the indented body: %w", err)
				}
				return nil, nil
			}
			return out, nil
		}
		if err != nil {
			return nil, prettyJSONError(err)
		}
		switch t.Kind {
		case jsonscan.ObjectEnd, jsonscan.ArrayEnd:
			if !opened { // an empty container stays "{}"
				out = indentJSON(out, s.Depth())
			}
			out = append(out, body[t.Start])
			opened = false
			continue
		}
		opens := t.Kind == jsonscan.ObjectStart || t.Kind == jsonscan.ArrayStart
		depth := s.Depth() // of the containers around t
		if opens {
			depth--
		}
		switch {
		case afterKey:
			afterKey = false
		case opened:
			out = indentJSON(out, depth)
		case depth > 0:
			out = append(out, ',')
			out = indentJSON(out, depth)
		}
		if written+len(out) > limit {
			return nil, fmt.Errorf("offset %d: %w", t.Start, tooLarge(limit))
		}
		out = append(out, body[t.Start:t.End]...)
		opened = opens
		if t.Kind == jsonscan.Key {
			out = append(out, ':', ' ')
			afterKey = true
		}
	}
}

// prettyFlushAt is the size at which buffered output goes to the writer.
const prettyFlushAt = 64 << 10

// prettyJSONSize predicts the indented size of body from one quick pass over
// its structural characters, so the output is allocated once: a fixed
// factor either wastes memory or, when too small, copies the whole output
// again (indented JSON of the platform's lists runs about 1.6× the body).
// Empty containers make it overestimate slightly; the guess is capped so a
// hostile body cannot make it allocate more than a few times its size
// before the indenter's own checks refuse it.
func prettyJSONSize(b []byte) int {
	n, depth := 1, 0
	justOpened := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"': // copied as it is, quotes included
			end := jsonscan.QuoteEnd(b, i)
			n += end - i
			i = end - 1
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

// indentJSON starts a line at depth.
func indentJSON(out []byte, depth int) []byte {
	out = append(out, '\n')
	for range depth {
		out = append(out, ' ', ' ')
	}
	return out
}

// prettyJSONError says a nesting error with PrettyPrint's limit.
func prettyJSONError(err error) error {
	var se *jsonscan.SyntaxError
	if errors.As(err, &se) && errors.Is(err, jsonscan.ErrTooDeep) {
		return fmt.Errorf("offset %d: %w", se.Offset, tooDeep())
	}
	return err
}
