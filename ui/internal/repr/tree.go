package repr

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// ValueKind is how a scalar was written: in XML always text; in JSON a
// string, number, boolean or null.
type ValueKind int

const (
	KindString ValueKind = iota
	KindNumber
	KindBool
	KindNull
)

// span is a half-open byte range of the source.
type span struct{ start, end int }

// Attr is an XML attribute or a JSON "@"-key with a scalar value.
type Attr struct {
	Name  string
	Value string
	kind  ValueKind
	// val is the value's bytes: in JSON the whole token, in XML what is
	// between the quotes.
	val span
}

// Node is an element (XML) or an object member (JSON). A JSON array
// becomes one node per item, all with the array's key as their name.
type Node struct {
	Name  string
	Attrs []Attr
	Kids  []*Node
	// Leaf: the node holds a scalar (Text, Kind) and no children.
	Leaf bool
	Text string
	Kind ValueKind
	// Mixed: XML text (or a comment) beside child elements, or a JSON
	// object with a text key; such a node cannot be shown as fields.
	Mixed bool

	// whole is the node's bytes: in XML the element from '<' to '>', in
	// JSON the value (the key is not part of it).
	whole span
	// inner is an XML element's content between its tags (empty for
	// <x/>); in JSON it equals whole.
	inner span
	// selfClosing: an XML element written <x/>.
	selfClosing bool
	// rawName is the element name as written, with its prefix.
	rawName string
	// arrayed: in JSON the node is an item of an array; group is the
	// array's bytes.
	arrayed bool
	group   span
	// emptyArray: a JSON key whose value is [] (kept so that the key is
	// known; it has no value of its own).
	emptyArray bool
}

// Tree is a parsed representation.
type Tree struct {
	Format wire.Format
	Root   *Node
	src    []byte
}

// maxDepth bounds recursion on hostile input; the platform's documents are
// a few levels deep.
const maxDepth = 256

// ErrSyntax wraps a representation that is not well-formed.
var ErrSyntax = errors.New("malformed representation")

// Parse reads body in format f.
func Parse(body []byte, f wire.Format) (*Tree, error) {
	var root *Node
	var err error
	switch f {
	case wire.JSON:
		root, err = parseJSON(body)
	case wire.XML:
		root, err = parseXML(body)
	default:
		return nil, fmt.Errorf("%w: format %q is neither JSON nor XML", ErrSyntax, f)
	}
	if err != nil {
		return nil, err
	}
	return &Tree{Format: f, Root: root, src: body}, nil
}

// Source is the bytes the tree was read from.
func (t *Tree) Source() []byte { return t.src }

// Attr returns the value of the attribute named name.
func (n *Node) Attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// Link reads n as a link: rel and href from attributes or, as some JSON
// answers have them, from plain keys.
func (n *Node) link() (wire.Link, bool) {
	if n.Name != "link" || (n.Leaf && strings.TrimSpace(n.Text) != "") {
		return wire.Link{}, false
	}
	var l wire.Link
	l.Rel, _ = n.Attr("rel")
	l.Href, _ = n.Attr("href")
	for _, k := range n.Kids {
		if k.Leaf && k.Name == "rel" {
			l.Rel = k.Text
		}
		if k.Leaf && k.Name == "href" {
			l.Href = k.Text
		}
	}
	return l, l.Rel != "" || l.Href != ""
}
