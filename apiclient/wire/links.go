package wire

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Link is one hypermedia link of a resource: <link rel="…" href="…"/> in XML,
// {"@rel":"…","@href":"…"} (or without the "@") in JSON.
type Link struct {
	Rel, Href string
}

// MaxLinkDepth bounds how deeply ExtractLinks descends into a document, so a
// hostile body of nested brackets cannot exhaust the stack.
const MaxLinkDepth = 512

// ErrTooDeep is returned by ExtractLinks for a document nested deeper than
// MaxLinkDepth.
var ErrTooDeep = errors.New("document nested too deeply")

// ExtractLinks returns the links of body in document order. JSON: every
// object member named "link" whose value is an object, or an array of
// objects, carrying "@rel"/"rel" and "@href"/"href" (the platform served
// both spellings and collapsed one-item lists into a bare object). XML: every
// <link> element's rel and href attributes.
//
// Both formats are read token by token rather than unmarshalled into a tree,
// because response bodies can be tens of megabytes. XML entities other than
// the five predefined ones are refused, never expanded (a billion-laughs
// body fails at its first reference, naming the entity). Nesting deeper
// than MaxLinkDepth fails with ErrTooDeep. Invalid UTF-8 in a JSON rel or
// href becomes U+FFFD, as encoding/json decodes it; in XML it is an error.
// On a malformed body the links found before the error are returned with
// it.
func ExtractLinks(body []byte, f Format) ([]Link, error) {
	// Fast path: a document without the word cannot hold a link. In JSON a
	// key could spell it with \u escapes, so only skip when there are none.
	if !bytes.Contains(body, []byte("link")) && (f == XML || !bytes.Contains(body, []byte(`\u`))) {
		return nil, nil
	}
	switch f {
	case XML:
		return xmlLinks(body)
	case JSON:
		return jsonLinks(body)
	}
	return nil, fmt.Errorf("extract links: unsupported format %q", f)
}

func xmlLinks(body []byte) ([]Link, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true // and no Entity map: custom entities are errors, not expansions
	var links []Link
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return links, nil
		}
		if err != nil {
			return links, fmt.Errorf("extract links: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxLinkDepth {
				return links, fmt.Errorf("extract links: %w (over %d levels)", ErrTooDeep, MaxLinkDepth)
			}
			if t.Name.Local == "link" {
				var l Link
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

// jsonScanner walks a JSON document byte by byte, collecting links. It is
// a recursive-descent reader over the slice (no tree, no per-token
// allocation except for the few strings it keeps), several times faster than
// json.Decoder.Token on large bodies; it checks syntax as it goes.
type jsonScanner struct {
	b     []byte
	i     int
	links []Link
}

func jsonLinks(body []byte) ([]Link, error) {
	s := &jsonScanner{b: body}
	s.ws()
	if err := s.value(1, false); err != nil {
		return s.links, fmt.Errorf("extract links: %w", err)
	}
	s.ws()
	if s.i != len(s.b) {
		return s.links, fmt.Errorf("extract links: %w", s.errorf("data after the top-level value"))
	}
	return s.links, nil
}

func (s *jsonScanner) errorf(format string, args ...any) error {
	return fmt.Errorf("JSON offset %d: %s", s.i, fmt.Sprintf(format, args...))
}

func (s *jsonScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// value consumes one value. inLink says the value sits under a "link" key,
// so an object here is a link object (and an array holds link objects).
func (s *jsonScanner) value(depth int, inLink bool) error {
	_, err := s.valueText(depth, inLink, false)
	return err
}

// valueText is value that also returns a scalar's text when want is set.
func (s *jsonScanner) valueText(depth int, inLink, want bool) (string, error) {
	if depth > MaxLinkDepth {
		return "", fmt.Errorf("%w (over %d levels)", ErrTooDeep, MaxLinkDepth)
	}
	if s.i >= len(s.b) {
		return "", s.errorf("unexpected end of input")
	}
	switch c := s.b[s.i]; {
	case c == '{':
		s.i++
		return "", s.object(depth, inLink)
	case c == '[':
		s.i++
		s.ws()
		if s.i < len(s.b) && s.b[s.i] == ']' {
			s.i++
			return "", nil
		}
		for {
			s.ws()
			if err := s.value(depth+1, inLink); err != nil {
				return "", err
			}
			s.ws()
			if s.i >= len(s.b) {
				return "", s.errorf("unexpected end of input in array")
			}
			switch s.b[s.i] {
			case ',':
				s.i++
			case ']':
				s.i++
				return "", nil
			default:
				return "", s.errorf("want , or ] in array, got %q", s.b[s.i])
			}
		}
	case c == '"':
		return s.str(want)
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number(want)
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
				s.i += len(lit)
				if lit == "null" {
					return "", nil
				}
				return lit, nil
			}
		}
	}
	return "", s.errorf("unexpected %q", s.b[s.i])
}

func (s *jsonScanner) object(depth int, isLink bool) error {
	var l Link
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return nil
	}
	for {
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			return s.errorf("want an object key")
		}
		key, err := s.str(true)
		if err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return s.errorf("want : after object key")
		}
		s.i++
		s.ws()
		field := isLink && (key == "@rel" || key == "rel" || key == "@href" || key == "href")
		v, err := s.valueText(depth+1, key == "link", field)
		if err != nil {
			return err
		}
		if field {
			if key == "@rel" || key == "rel" {
				l.Rel = v
			} else {
				l.Href = v
			}
		}
		s.ws()
		if s.i >= len(s.b) {
			return s.errorf("unexpected end of input in object")
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			if isLink && (l.Rel != "" || l.Href != "") {
				s.links = append(s.links, l)
			}
			return nil
		default:
			return s.errorf("want , or } in object, got %q", s.b[s.i])
		}
	}
}

// str consumes a string at s.i (on the opening quote) and, when want,
// returns it decoded. Strings without escapes are sliced, not decoded.
func (s *jsonScanner) str(want bool) (string, error) {
	start := s.i
	s.i++
	escaped := false
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			raw := s.b[start:s.i]
			if !want {
				if escaped && !json.Valid(raw) {
					return "", s.errorf("bad escape in string")
				}
				return "", nil
			}
			if !escaped && utf8.Valid(raw) {
				return string(raw[1 : len(raw)-1]), nil
			}
			var out string
			if err := json.Unmarshal(raw, &out); err != nil {
				return "", s.errorf("bad string: %v", err)
			}
			return out, nil
		case c == '\\':
			escaped = true
			s.i += 2
		case c < 0x20:
			return "", s.errorf("control character in string")
		default:
			s.i++
		}
	}
	return "", s.errorf("unterminated string")
}

func (s *jsonScanner) number(want bool) (string, error) {
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			s.i++
			continue
		}
		break
	}
	text := s.b[start:s.i]
	if !json.Valid(text) {
		return "", s.errorf("bad number %q", text)
	}
	if !want {
		return "", nil
	}
	return string(text), nil
}
