package conformance

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// The documentation's examples are compared with the sandbox's answers by
// shape: every member the example has, the answer has (recursively), with
// objects where the example has objects and scalars where it has scalars.
// Values are not compared (they are the example's data), except link rels.
// Where the pages disagree with each other the comparison is lenient in
// the way the README's choices say: "@" or not on attribute names, a
// number or a string for a scalar, and the platform's one-item rule (a
// list of one is an object).

var (
	numeric       = regexp.MustCompile(`^[0-9]+$`)
	lineComment   = regexp.MustCompile(`(?m)^\s*//.*$|\s//[^"\n]*$`)
	trailingComma = regexp.MustCompile(`,(\s*[\]}])`)
)

// lenientJSON parses a documentation example, dropping the // comments and
// trailing commas some pages print.
func lenientJSON(s string) (any, error) {
	clean := lineComment.ReplaceAllString(s, "")
	clean = trailingComma.ReplaceAllString(clean, "$1")
	var v any
	if err := json.Unmarshal([]byte(clean), &v); err != nil {
		return nil, fmt.Errorf("%w in %s", err, clean)
	}
	return v, nil
}

// cleanJSON is a documentation request body as it can be sent: verbatim
// when it is valid JSON, without comments and trailing commas otherwise.
func cleanJSON(s string) string {
	if json.Valid([]byte(s)) {
		return s
	}
	clean := lineComment.ReplaceAllString(s, "")
	return trailingComma.ReplaceAllString(clean, "$1")
}

// xmlTree reads XML into the JSON mapping's shape: {root: value}, where an
// element with attributes or children is an object ("@attr", child names;
// repeated children an array) and a leaf is its text.
func xmlTree(data []byte) (any, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	type frame struct {
		name string
		obj  map[string]any
		text strings.Builder
	}
	var stack []*frame
	var root any
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			f := &frame{name: t.Name.Local, obj: map[string]any{}}
			for _, a := range t.Attr {
				f.obj["@"+a.Name.Local] = a.Value
			}
			stack = append(stack, f)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			var v any = f.obj
			if len(f.obj) == 0 {
				v = strings.TrimSpace(f.text.String())
			}
			if len(stack) == 0 {
				root = map[string]any{f.name: v}
				continue
			}
			parent := stack[len(stack)-1].obj
			switch prev := parent[f.name].(type) {
			case nil:
				parent[f.name] = v
			case []any:
				parent[f.name] = append(prev, v)
			default:
				parent[f.name] = []any{prev, v}
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// notLinked are rels the documentation shows that the sandbox does not
// link, with why (the README lists them).
var notLinked = map[string]string{
	"custom-variables": "deprecated and not supported, as the page itself says",
}

// shapeDiff lists where got lacks the shape of doc; optional names members
// the answer may lack (path-independent).
func shapeDiff(path string, doc, got any, optional map[string]bool) []string {
	if list, isList := got.([]any); isList && len(list) > 1 {
		if _, isObj := doc.(map[string]any); isObj {
			// One item in the example, several in the answer.
			return shapeDiff(path, []any{doc}, list, optional)
		}
	}
	switch d := doc.(type) {
	case map[string]any:
		g, ok := asObject(got)
		if !ok {
			return []string{fmt.Sprintf("%s: an object in the example, %s in the answer", path, kindOf(got))}
		}
		var out []string
		keys := make([]string, 0, len(d))
		for k := range d {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			name := strings.TrimPrefix(k, "@")
			if numeric.MatchString(name) {
				continue // a member named by an id is data, not shape
			}
			gv, present := lookup(g, name)
			if !present {
				if !optional[name] && d[k] != nil { // null: no value to have
					out = append(out, fmt.Sprintf("%s.%s: missing", path, name))
				}
				continue
			}
			if name == "link" {
				out = append(out, relDiff(path+".link", d[k], gv)...)
			}
			out = append(out, shapeDiff(path+"."+name, d[k], gv, optional)...)
		}
		return out
	case []any:
		if len(d) == 0 {
			return nil
		}
		items := asList(got)
		if len(items) == 0 {
			return []string{fmt.Sprintf("%s: %d items in the example, none in the answer", path, len(d))}
		}
		var out []string
		for i, di := range d {
			// Some item of the answer has the shape of each item of the
			// example (events of several types share one list).
			var best []string
			for _, gi := range items {
				diff := shapeDiff(fmt.Sprintf("%s[%d]", path, i), di, gi, optional)
				if len(diff) == 0 {
					best = nil
					break
				}
				if best == nil || len(diff) < len(best) {
					best = diff
				}
			}
			out = append(out, best...)
		}
		return out
	case nil:
		return nil // null in the example: anything goes
	default:
		if _, isObj := got.(map[string]any); isObj {
			return []string{fmt.Sprintf("%s: a scalar in the example, an object in the answer", path)}
		}
		if _, isList := got.([]any); isList {
			return []string{fmt.Sprintf("%s: a scalar in the example, a list in the answer", path)}
		}
		return nil
	}
}

// relDiff checks that every rel of the example's links is linked.
func relDiff(path string, doc, got any) []string {
	have := map[string]bool{}
	for _, l := range asList(got) {
		if m, ok := asObject(l); ok {
			if r, ok := lookup(m, "rel"); ok {
				have[fmt.Sprint(r)] = true
			}
		}
	}
	var out []string
	for _, l := range asList(doc) {
		m, ok := asObject(l)
		if !ok {
			continue
		}
		r, ok := lookup(m, "rel")
		if !ok {
			continue
		}
		rel := fmt.Sprint(r)
		if !have[rel] && notLinked[rel] == "" {
			out = append(out, fmt.Sprintf("%s: no link rel %q", path, rel))
		}
	}
	return out
}

// lookup finds name or "@"+name.
func lookup(m map[string]any, name string) (any, bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	v, ok := m["@"+name]
	return v, ok
}

func asObject(v any) (map[string]any, bool) {
	switch t := v.(type) {
	case map[string]any:
		return t, true
	case []any:
		if len(t) == 1 {
			return asObject(t[0])
		}
	}
	return nil, false
}

func asList(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case nil:
		return nil
	}
	return []any{v}
}

func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case nil:
		return "null"
	}
	return "a scalar"
}
