package apiclient

import (
	"errors"
	"fmt"
	"io"

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
// json.Indent would, several times faster; XML by xmlscan, a byte scanner
// that accepts what encoding/xml's strict Decoder accepts. A malformed body
// is an error; a body in another format is returned unchanged.
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
		out, err := prettyJSON(nil, body)
		if err != nil {
			return nil, fmt.Errorf("pretty-print JSON: %w", err)
		}
		return out, nil
	case wire.XML:
		out, err := prettyXML(nil, body, nil)
		if err != nil {
			return nil, fmt.Errorf("pretty-print XML: %w", err)
		}
		return out, nil
	}
	return body, nil
}

// WritePretty writes body to w indented as PrettyPrint indents it, and
// returns its links as wire.ExtractLinks finds them: for a caller that both
// shows a body and wants its links (pair it with Request.NoLinks), at less
// cost than the two calls. The indented copy never exists whole: it goes to
// w in pieces of about 64 KiB. XML is read once for both; JSON's links take
// a quick pass of their own.
//
// A body in neither format is written unchanged, with no links. On a
// malformed body the error is PrettyPrint's, w has received the output up
// to the fault, and the links found before it are returned (for JSON, all
// that ExtractLinks finds).
func WritePretty(w io.Writer, body []byte, f wire.Format) ([]wire.Link, error) {
	switch f {
	case wire.JSON:
		links, _ := wire.ExtractLinks(body, f)
		if _, err := prettyJSON(w, body); err != nil {
			return links, fmt.Errorf("pretty-print JSON: %w", err)
		}
		return links, nil
	case wire.XML:
		var links wire.LinkList
		if _, err := prettyXML(w, body, &links); err != nil {
			return links.Links(), fmt.Errorf("pretty-print XML: %w", err)
		}
		return links.Links(), nil
	}
	if _, err := w.Write(body); err != nil {
		return nil, fmt.Errorf("write the body: %w", err)
	}
	return nil, nil
}

func tooDeep() error { return fmt.Errorf("%w (over %d levels)", wire.ErrTooDeep, MaxPrettyDepth) }

func tooLarge(limit int) error {
	return fmt.Errorf("%w (over %d bytes, 8× the body plus 1 MiB)", ErrPrettyTooLarge, limit)
}
