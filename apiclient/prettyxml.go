package apiclient

import (
	"errors"
	"io"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/apiclient/xmlscan"
)

// prettyXML indents an XML document with xmlscan, which writes names and
// attributes as written (prefixes kept, values re-escaped, no entity
// expansion beyond the predefined five), one element per line.
// Whitespace-only text between elements is dropped; an element holding only
// text stays on one line, and an empty one collapses to <name/>. In mixed
// content, text loses the whitespace that faces a sibling element, which the
// indentation replaces, so the output pretty-prints to itself. With w the
// output goes there in pieces instead of into the returned slice; with links
// each <link> is appended as it is read, in the same pass.
func prettyXML(w io.Writer, body []byte, links *wire.LinkList) ([]byte, error) {
	o := xmlscan.Options{
		Indent:   true,
		Out:      w,
		SizeHint: len(body) + len(body)/4 + 64,
		Limit:    maxPrettyOutput(len(body)),
		MaxDepth: MaxPrettyDepth,
	}
	if links != nil {
		o.Link = func(rel, href string) { links.Add(wire.Link{Rel: rel, Href: href}) }
	}
	out, err := xmlscan.Scan(body, o)
	if errors.Is(err, xmlscan.ErrTooLarge) {
		return nil, tooLarge(o.Limit)
	}
	return out, err
}
