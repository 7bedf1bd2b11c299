package widget

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/jsonscan"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// treeNode is one node of the collapsible view: an object member, array
// item, element, attribute or text.
type treeNode struct {
	label string
	kids  []*treeNode
}

// treeModel is a parsed body for widget.Tree. Node ids are paths of child
// indices ("0/3/1"); "" is the invisible root whose only child is the
// document. widget.Tree asks only for the branches the user opens, so only
// those ids are ever made.
type treeModel struct {
	root *treeNode
}

// maxTreeDepth bounds recursion on hostile input, as the JSON scanner
// does; the platform's own documents are a few levels deep.
const maxTreeDepth = jsonscan.MaxDepth

var errTreeDepth = errors.New("document nested too deeply to show as a tree")

// buildTree parses body into a tree. It runs off the UI goroutine.
func buildTree(body []byte, f wire.Format) (*treeModel, error) {
	var doc *treeNode
	var err error
	switch f {
	case wire.XML:
		doc, err = xmlTree(body)
	case wire.JSON:
		doc, err = jsonTree(body)
	default:
		return nil, errors.New("the body is neither JSON nor XML")
	}
	if err != nil {
		return nil, err
	}
	return &treeModel{root: &treeNode{kids: []*treeNode{doc}}}, nil
}

// node resolves an id.
func (m *treeModel) node(id string) *treeNode {
	n := m.root
	if id == "" {
		return n
	}
	for _, part := range strings.Split(id, "/") {
		i, err := strconv.Atoi(part)
		if err != nil || i < 0 || i >= len(n.kids) {
			return nil
		}
		n = n.kids[i]
	}
	return n
}

// childIDs lists the ids of id's children.
func (m *treeModel) childIDs(id string) []string {
	n := m.node(id)
	if n == nil {
		return nil
	}
	ids := make([]string, len(n.kids))
	for i := range n.kids {
		if id == "" {
			ids[i] = strconv.Itoa(i)
		} else {
			ids[i] = id + "/" + strconv.Itoa(i)
		}
	}
	return ids
}

func (m *treeModel) isBranch(id string) bool {
	n := m.node(id)
	return n != nil && len(n.kids) > 0
}

func (m *treeModel) label(id string) string {
	if n := m.node(id); n != nil {
		return n.label
	}
	return ""
}

func prefixed(key, s string) string {
	if key == "" {
		return s
	}
	return key + ": " + s
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// jsonTree reads the document's first value (anything after it is not
// shown) with the shared scanner.
func jsonTree(body []byte) (*treeNode, error) {
	s := jsonscan.New(body)
	t, err := s.Next()
	if err != nil {
		return nil, jsonErr(err)
	}
	return jsonNode(&s, body, t, "")
}

// jsonNode builds the node of the value that starts with t, labelled key.
func jsonNode(s *jsonscan.Scanner, b []byte, t jsonscan.Token, key string) (*treeNode, error) {
	switch t.Kind {
	case jsonscan.ObjectStart, jsonscan.ArrayStart:
		n := &treeNode{}
		for i := 0; ; i++ {
			c, err := s.Next()
			if err != nil {
				return nil, jsonErr(err)
			}
			if c.Kind == jsonscan.ObjectEnd || c.Kind == jsonscan.ArrayEnd {
				break
			}
			childKey := "[" + strconv.Itoa(i) + "]"
			if c.Kind == jsonscan.Key {
				childKey = jsonscan.Text(b, c)
				if c, err = s.Next(); err != nil {
					return nil, jsonErr(err)
				}
			}
			kid, err := jsonNode(s, b, c, childKey)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, kid)
		}
		if t.Kind == jsonscan.ObjectStart {
			n.label = prefixed(key, "{…} "+count(len(n.kids), "key", "keys"))
		} else {
			n.label = prefixed(key, "[…] "+count(len(n.kids), "item", "items"))
		}
		return n, nil
	case jsonscan.String:
		return &treeNode{label: prefixed(key, strconv.Quote(jsonscan.Text(b, t)))}, nil
	case jsonscan.Null:
		return &treeNode{label: prefixed(key, "null")}, nil
	}
	return &treeNode{label: prefixed(key, jsonscan.Text(b, t))}, nil // a number, true or false as written
}

func jsonErr(err error) error {
	if errors.Is(err, jsonscan.ErrTooDeep) {
		return errTreeDepth
	}
	return fmt.Errorf("parse JSON: %w", err)
}

func xmlTree(body []byte) (*treeNode, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	var stack []*treeNode
	var doc *treeNode
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxTreeDepth {
				return nil, errTreeDepth
			}
			var b strings.Builder
			b.WriteString("<" + t.Name.Local)
			n := &treeNode{}
			for _, a := range t.Attr {
				fmt.Fprintf(&b, " %s=%q", a.Name.Local, a.Value)
			}
			b.WriteString(">")
			n.label = b.String()
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else if doc == nil {
				doc = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			n := stack[len(stack)-1]
			// An element holding only text shows it on its own line.
			if len(n.kids) == 1 && len(n.kids[0].kids) == 0 && strings.HasPrefix(n.kids[0].label, "\"") {
				n.label += " " + n.kids[0].label
				n.kids = nil
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			txt := strings.TrimSpace(string(t))
			if txt != "" && len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, &treeNode{label: strconv.Quote(txt)})
			}
		}
	}
	if doc == nil {
		return nil, errors.New("parse XML: no root element")
	}
	return doc, nil
}
