package wire

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
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
// the five predefined ones are refused, never expanded. On a malformed body
// the links found before the error are returned with it.
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

// jsonScanner walks a JSON document with json.Decoder.Token, collecting links.
type jsonScanner struct {
	d     *json.Decoder
	links []Link
}

func jsonLinks(body []byte) ([]Link, error) {
	s := &jsonScanner{d: json.NewDecoder(bytes.NewReader(body))}
	s.d.UseNumber() // numbers stay as their text; nothing is converted
	tok, err := s.d.Token()
	if err != nil {
		return nil, fmt.Errorf("extract links: %w", err)
	}
	if err := s.value(tok, 1, false); err != nil {
		return s.links, fmt.Errorf("extract links: %w", err)
	}
	if _, err := s.d.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("data after the top-level value")
		}
		return s.links, fmt.Errorf("extract links: %w", err)
	}
	return s.links, nil
}

// value consumes the value that starts with tok. inLink says the value sits
// under a "link" key, so an object here is a link object (and an array holds
// link objects).
func (s *jsonScanner) value(tok json.Token, depth int, inLink bool) error {
	if depth > MaxLinkDepth {
		return fmt.Errorf("%w (over %d levels)", ErrTooDeep, MaxLinkDepth)
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil // scalar
	}
	switch delim {
	case '{':
		return s.object(depth, inLink)
	case '[':
		for s.d.More() {
			t, err := s.d.Token()
			if err != nil {
				return err
			}
			if err := s.value(t, depth+1, inLink); err != nil {
				return err
			}
		}
		_, err := s.d.Token() // ']'
		return err
	}
	return fmt.Errorf("unexpected %v", delim)
}

func (s *jsonScanner) object(depth int, isLink bool) error {
	var l Link
	for s.d.More() {
		kt, err := s.d.Token()
		if err != nil {
			return err
		}
		key, _ := kt.(string)
		vt, err := s.d.Token()
		if err != nil {
			return err
		}
		if isLink {
			switch key {
			case "@rel", "rel":
				if v, ok := scalarText(vt); ok {
					l.Rel = v
				}
			case "@href", "href":
				if v, ok := scalarText(vt); ok {
					l.Href = v
				}
			}
		}
		if err := s.value(vt, depth+1, key == "link"); err != nil {
			return err
		}
	}
	if _, err := s.d.Token(); err != nil { // '}'
		return err
	}
	if isLink && (l.Rel != "" || l.Href != "") {
		s.links = append(s.links, l)
	}
	return nil
}

func scalarText(t json.Token) (string, bool) {
	switch v := t.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}
