package agent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// node is a decoded JSON answer. The platform's JSON is its XML mapped by
// rule: attributes are "@name" (some pages print them without the "@"),
// a list of one arrives as a bare object, and numbers often arrive as
// strings. The accessors here hide those differences.
type node struct{ v any }

func decode(body []byte) (node, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return node{}, fmt.Errorf("the answer is not JSON: %w", err)
	}
	return node{v}, nil
}

// get is member name of an object, or "@name" (or name without "@").
func (n node) get(name string) node {
	m, ok := n.v.(map[string]any)
	if !ok {
		return node{}
	}
	if v, ok := m[name]; ok {
		return node{v}
	}
	if alt, ok := strings.CutPrefix(name, "@"); ok {
		return node{m[alt]}
	}
	return node{m["@"+name]}
}

// path follows members in turn.
func (n node) path(names ...string) node {
	for _, name := range names {
		n = n.get(name)
	}
	return n
}

func (n node) exists() bool { return n.v != nil }

// list is the node as a list: an array's items, a bare object as one.
func (n node) list() []node {
	switch x := n.v.(type) {
	case nil:
		return nil
	case []any:
		out := make([]node, 0, len(x))
		for _, v := range x {
			out = append(out, node{v})
		}
		return out
	}
	return []node{n}
}

// str is a scalar as text ("" for an object, a list or nothing).
func (n node) str() string {
	switch x := n.v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// num is a scalar as an integer, 0 when it is not one.
func (n node) num() int {
	i, err := strconv.Atoi(strings.TrimSpace(n.str()))
	if err != nil {
		return 0
	}
	return i
}

// link is the href of the link with rel among the node's "link" members.
func (n node) link(rel string) string {
	for _, l := range n.get("link").list() {
		if l.get("@rel").str() == rel {
			return l.get("@href").str()
		}
	}
	return ""
}

// scalars are the node's scalar members by name (attributes without their
// "@"), for showing an object as name–value pairs.
func (n node) scalars() map[string]string {
	m, ok := n.v.(map[string]any)
	if !ok {
		return nil
	}
	out := map[string]string{}
	for k, v := range m {
		if s := (node{v}).str(); s != "" || isScalar(v) {
			out[strings.TrimPrefix(k, "@")] = s
		}
	}
	return out
}

func isScalar(v any) bool {
	switch v.(type) {
	case string, json.Number, bool:
		return true
	}
	return false
}
