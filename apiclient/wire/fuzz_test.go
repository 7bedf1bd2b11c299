package wire

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets for the message shapes. Seeds live in testdata/fuzz/<target>/
// (FuzzJSONLinks, in links_test.go, also takes its table as seeds).

// xmlSafe reports whether s survives an XML round trip unchanged: valid
// UTF-8 of characters XML 1.0 allows (encoding/xml replaces the others).
func xmlSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
	}
	return true
}

// FuzzParseError: ParseError never panics; a body it accepts re-marshals,
// in either format, into one that parses to the same error (when its
// strings can travel in that format unchanged).
func FuzzParseError(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		e, ok := ParseError(body)
		if !ok {
			if e != (Error{}) {
				t.Fatalf("not ok but %+v", e)
			}
			return
		}
		strs := []string{e.Time, e.Message, e.Reason}
		for _, fm := range []Format{JSON, XML} {
			safe := true
			for _, s := range strs {
				if fm == JSON && !utf8.ValidString(s) || fm == XML && !xmlSafe(s) {
					safe = false
				}
			}
			if fm == XML && strings.Contains(e.Time+e.Message+e.Reason, "\r") {
				safe = false // XML parsers normalize line ends
			}
			if !safe {
				continue
			}
			got, ok := ParseError(e.Marshal(fm))
			if !ok || got != e {
				t.Fatalf("%s round trip of %+v: %+v ok=%v\n%s", fm, e, got, ok, e.Marshal(fm))
			}
		}
	})
}

// FuzzXMLLinks: ExtractLinks never panics on XML, refuses documents deeper
// than MaxLinkDepth, returns on error only links found before the fault,
// and on success agrees with a decode of the same document through
// encoding/xml's Unmarshal into <link> elements.
func FuzzXMLLinks(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		links, err := ExtractLinks(body, XML)
		if err != nil {
			if errors.Is(err, ErrTooDeep) && bytes.Count(body, []byte("<")) <= MaxLinkDepth {
				t.Fatalf("too deep with %d elements: %v", bytes.Count(body, []byte("<")), err)
			}
			return
		}
		if !bytes.Contains(body, []byte("link")) {
			if len(links) != 0 {
				t.Fatalf("links without the word: %v", links)
			}
			return
		}
		want, err := refXMLLinks(body)
		if err != nil {
			return // the reference is stricter about, e.g., several roots
		}
		if len(want) != len(links) {
			t.Fatalf("%q: got %v, reference %v", body, links, want)
		}
		for i := range want {
			if want[i] != links[i] {
				t.Fatalf("%q: got %v, reference %v", body, links, want)
			}
		}
	})
}

// refXMLLinks is a slower reference: a Decoder walk with Token, collecting
// every <link> start element's rel and href.
func refXMLLinks(body []byte) ([]Link, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var out []Link
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				return out, nil
			}
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "link" {
			continue
		}
		var l Link
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "rel":
				l.Rel = a.Value
			case "href":
				l.Href = a.Value
			}
		}
		if l.Rel != "" || l.Href != "" {
			out = append(out, l)
		}
	}
}
