package wire

import (
	"bytes"
	"fmt"
	"io"

	"github.com/lpdesk/lpdesk/apiclient/jsonscan"
	"github.com/lpdesk/lpdesk/apiclient/xmlscan"
)

// Link is one hypermedia link of a resource: <link rel="…" href="…"/> in XML,
// {"@rel":"…","@href":"…"} (or without the "@") in JSON.
type Link struct {
	Rel, Href string
}

// MaxLinkDepth bounds how deeply ExtractLinks descends into a document, so a
// hostile body of nested brackets cannot exhaust the stack.
const MaxLinkDepth = jsonscan.MaxDepth

// ErrTooDeep is returned by ExtractLinks for a document nested deeper than
// MaxLinkDepth.
var ErrTooDeep = jsonscan.ErrTooDeep

// ExtractLinks returns the links of body in document order. JSON: every
// object member named "link" whose value is an object, or an array of
// objects, carrying "@rel"/"rel" and "@href"/"href" (the platform served
// both spellings and collapsed one-item lists into a bare object). XML: every
// <link> element's rel and href attributes.
//
// Both formats are read token by token rather than unmarshalled into a tree,
// because response bodies can be tens of megabytes: JSON by jsonscan, XML
// by xmlscan (the scanner that also indents it, in the same pass, for
// apiclient.WritePretty), which accepts what encoding/xml's strict Decoder
// accepts. XML entities other than
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

// xmlLinks reads the document with the shared scanner, which reports each
// <link> as its start tag is read, so a malformed body still yields the
// links before the fault.
func xmlLinks(body []byte) ([]Link, error) {
	var links LinkList
	_, err := xmlscan.Scan(body, xmlscan.Options{MaxDepth: MaxLinkDepth, Link: func(rel, href string) {
		links.Add(Link{Rel: rel, Href: href})
	}})
	if err != nil {
		return links.Links(), fmt.Errorf("extract links: %w", err)
	}
	return links.Links(), nil
}

// jsonLinks walks the document with the shared scanner; links are taken
// as each link object closes, so a malformed body still yields the links
// before the fault.
func jsonLinks(body []byte) ([]Link, error) {
	r := linkReader{b: body, s: jsonscan.New(body)}
	t, err := r.s.Next()
	if err == nil {
		err = r.value(t, false)
	}
	if err == nil {
		if _, err = r.s.Next(); err == io.EOF {
			return r.links.Links(), nil
		}
	}
	return r.links.Links(), fmt.Errorf("extract links: JSON %w", err)
}

type linkReader struct {
	b     []byte
	s     jsonscan.Scanner
	links LinkList
}

// value reads the value that starts with t. inLink says it sits under a
// "link" key, so an object here is a link object (and an array holds link
// objects).
func (r *linkReader) value(t jsonscan.Token, inLink bool) error {
	switch t.Kind {
	case jsonscan.ObjectStart:
		return r.object(inLink)
	case jsonscan.ArrayStart:
		for {
			t, err := r.s.Next()
			if err != nil || t.Kind == jsonscan.ArrayEnd {
				return err
			}
			if err := r.value(t, inLink); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *linkReader) object(isLink bool) error {
	var l Link
	for {
		k, err := r.s.Next()
		if err != nil {
			return err
		}
		if k.Kind == jsonscan.ObjectEnd {
			if isLink && (l.Rel != "" || l.Href != "") {
				r.links.Add(l)
			}
			return nil
		}
		v, err := r.s.Next()
		if err != nil {
			return err
		}
		if isLink {
			// A rel or href that is not a scalar counts as empty.
			switch {
			case jsonscan.Is(r.b, k, "@rel") || jsonscan.Is(r.b, k, "rel"):
				l.Rel = jsonscan.Text(r.b, v)
			case jsonscan.Is(r.b, k, "@href") || jsonscan.Is(r.b, k, "href"):
				l.Href = jsonscan.Text(r.b, v)
			}
		}
		if err := r.value(v, jsonscan.Is(r.b, k, "link")); err != nil {
			return err
		}
	}
}
