package repr

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// parseXML reads a document with encoding/xml, taking each token's bytes
// from the decoder's offsets: tokens are contiguous, so the offset before a
// token is where it starts.
func parseXML(body []byte) (*Node, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true // and no Entity map: custom entities are errors, not expansions
	var root *Node
	var stack []*Node
	type open struct {
		text  strings.Builder
		other bool // a comment or processing instruction inside
		chars bool // non-space text inside
	}
	var opens []*open
	for {
		before := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: XML: %v", ErrSyntax, err)
		}
		after := int(d.InputOffset())
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("%w: XML nested more than %d levels", ErrSyntax, maxDepth)
			}
			if len(stack) == 0 && root != nil {
				return nil, fmt.Errorf("%w: XML has more than one root element", ErrSyntax)
			}
			n := &Node{Name: t.Name.Local, whole: span{before, -1}}
			tag := body[before:after]
			n.selfClosing = bytes.HasSuffix(tag, []byte("/>"))
			n.inner = span{after, after}
			var vals []span
			n.rawName, vals = scanStartTag(tag, before)
			for j, a := range t.Attr {
				// XML forbids it (Unique Att Spec) though encoding/xml reads
				// it; a form has one field per name, so saving could not
				// keep both.
				for _, b := range t.Attr[:j] {
					if b.Name == a.Name {
						return nil, fmt.Errorf("%w: attribute %q appears twice in <%s>", ErrSyntax, a.Name.Local, t.Name.Local)
					}
				}
			}
			i := 0
			for _, a := range t.Attr {
				v := span{-1, -1}
				if i < len(vals) {
					v = vals[i]
				}
				i++
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				n.Attrs = append(n.Attrs, Attr{Name: a.Name.Local, Value: a.Value, val: v})
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.Kids = append(parent.Kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
			opens = append(opens, &open{})
		case xml.EndElement:
			n := stack[len(stack)-1]
			o := opens[len(opens)-1]
			stack, opens = stack[:len(stack)-1], opens[:len(opens)-1]
			if !n.selfClosing {
				n.inner.end = before
			}
			n.whole.end = after
			switch {
			case len(n.Kids) == 0:
				n.Leaf = true
				n.Text = o.text.String()
				n.Mixed = o.other
			case o.chars:
				n.Mixed = true
			}
		case xml.CharData:
			if len(opens) > 0 {
				o := opens[len(opens)-1]
				o.text.Write(t)
				if len(bytes.TrimSpace(t)) > 0 {
					o.chars = true
				}
			}
		case xml.Comment, xml.ProcInst:
			if len(opens) > 0 {
				opens[len(opens)-1].other = true
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: XML has no root element", ErrSyntax)
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("%w: XML: unexpected end of input", ErrSyntax)
	}
	return root, nil
}

// scanStartTag reads a start tag's name as written and the byte ranges of
// its attribute values, in order; base is the tag's offset in the source.
// The decoder has already checked the tag, so this only has to find things.
func scanStartTag(tag []byte, base int) (string, []span) {
	i := 1 // '<'
	isName := func(c byte) bool {
		return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '/' && c != '>' && c != '='
	}
	for i < len(tag) && isName(tag[i]) {
		i++
	}
	name := string(tag[1:i])
	var vals []span
	for {
		for i < len(tag) && !isName(tag[i]) && tag[i] != '/' && tag[i] != '>' {
			i++
		}
		if i >= len(tag) || tag[i] == '/' || tag[i] == '>' {
			return name, vals
		}
		for i < len(tag) && isName(tag[i]) {
			i++
		}
		for i < len(tag) && tag[i] != '"' && tag[i] != '\'' {
			i++
		}
		if i >= len(tag) {
			return name, vals
		}
		q := tag[i]
		i++
		start := i
		for i < len(tag) && tag[i] != q {
			i++
		}
		vals = append(vals, span{base + start, base + i})
		i++
	}
}
