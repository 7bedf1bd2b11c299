package sandbox

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Request bodies arrive as a node tree (either format); these helpers read
// a root element's fields with the platform's validation and messages.

// fields checks a parsed body's root element and returns its children by
// name. Read-only attributes (ignored) and link elements are tolerated so
// that a client can send back what it read. multi names fields that may
// repeat.
func fields(doc *node, root string, attrs, allowed, multi []string) (map[string][]*node, map[string]string, *apiError) {
	if doc == nil {
		return nil, nil, errorf(400, wire.CodeValidation, "a <%s> body is required", root).
			why(fmt.Sprintf(`send e.g. {"%s": {…}} as application/json or <%s>…</%s> as application/xml`, root, root, root))
	}
	if doc.Name != root {
		return nil, nil, errorf(400, wire.CodeValidation, "the body's root element must be %q, not %q", root, doc.Name)
	}
	at := map[string]string{}
	for _, a := range doc.Attrs {
		switch {
		case a.Name == "id" || a.Name == "revision":
		case contains(attrs, a.Name):
			at[a.Name] = a.Value
		default:
			return nil, nil, unknownField(root, "@"+a.Name, allowed)
		}
	}
	out := map[string][]*node{}
	for _, c := range doc.Children {
		if c.Name == "link" {
			continue
		}
		if !contains(allowed, c.Name) {
			return nil, nil, unknownField(root, c.Name, allowed)
		}
		if len(out[c.Name]) > 0 && !contains(multi, c.Name) {
			return nil, nil, errorf(400, wire.CodeValidation, "field %q of %q is given more than once", c.Name, root)
		}
		out[c.Name] = append(out[c.Name], c)
	}
	return out, at, nil
}

func unknownField(root, name string, allowed []string) *apiError {
	e := errorf(400, wire.CodeValidation, "unknown field %q in %q", name, root)
	for _, a := range allowed {
		if strings.EqualFold(a, strings.TrimPrefix(name, "@")) {
			return e.why(fmt.Sprintf("field names are case-sensitive: did you mean %q?", a))
		}
	}
	return e.why("fields: " + strings.Join(allowed, ", "))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// textField returns a field's text; elements with children are refused.
func textField(fs map[string][]*node, root, name string) (string, bool, *apiError) {
	ns := fs[name]
	if len(ns) == 0 {
		return "", false, nil
	}
	if len(ns[0].Children) > 0 || len(ns[0].Attrs) > 0 {
		return "", true, errorf(400, wire.CodeValidation, "field %q of %q must be a text value", name, root)
	}
	return ns[0].Text, true, nil
}

func requiredText(fs map[string][]*node, root, name string, maxLen int) (string, *apiError) {
	v, _, e := textField(fs, root, name)
	if e != nil {
		return "", e
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errorf(400, wire.CodeValidation, "%s is required in %q", name, root)
	}
	if len([]rune(v)) > maxLen {
		return "", errorf(400, wire.CodeValidation, "%s must be at most %d characters", name, maxLen)
	}
	return v, nil
}

func optionalText(fs map[string][]*node, root, name string, maxLen int) (string, *apiError) {
	v, _, e := textField(fs, root, name)
	if e != nil {
		return "", e
	}
	v = strings.TrimSpace(v)
	if len([]rune(v)) > maxLen {
		return "", errorf(400, wire.CodeValidation, "%s must be at most %d characters", name, maxLen)
	}
	return v, nil
}

func optionalInt(fs map[string][]*node, root, name string, lo, hi, def int) (int, *apiError) {
	v, present, e := textField(fs, root, name)
	if e != nil {
		return 0, e
	}
	if !present || strings.TrimSpace(v) == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		return 0, errorf(400, wire.CodeValidation, "%s must be an integer from %d to %d, got %q", name, lo, hi, v)
	}
	return n, nil
}

func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>,;") && strings.Count(s, "@") == 1
}

func intParam(q *apiReq, name string, lo, hi int) (int, bool, *apiError) {
	v, present := q.param(name)
	if !present {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, true, errorf(400, wire.CodeValidation, "%s must be an integer from %d to %d, got %q", name, lo, hi, v)
	}
	return n, true, nil
}

// member returns the top-level member name of a body read in bodyMembers
// mode, or a refusal showing example.
func (q *apiReq) member(name, example string) (*node, *apiError) {
	if c := q.doc.child(name); c != nil {
		return c, nil
	}
	e := errorf(400, wire.CodeValidation, "the body needs a %q member", name).why("send e.g. " + example)
	if q.page != "" {
		e.Reason += " (" + DocBase + q.page + ")"
	}
	return nil, e
}

// memberText reads a top-level member that holds text: {"visitorName": "x"}.
func (q *apiReq) memberText(name string, maxLen int, example string) (string, *apiError) {
	n, e := q.member(name, example)
	if e != nil {
		return "", e
	}
	t := fieldReader{root: name, n: &node{Name: "body", Children: []*node{n}}}
	v := t.text(name, maxLen)
	return v, t.err
}

// fieldReader reads optional fields of an element leniently: unknown
// fields are ignored (documented bodies carry fields the sandbox has no use
// for), while a field of the wrong shape or length is refused. The first
// refusal sticks in err.
type fieldReader struct {
	root string
	n    *node
	err  *apiError
}

func (t *fieldReader) text(name string, maxLen int) string {
	if t.err != nil || t.n == nil {
		return ""
	}
	c := t.n.child(name)
	if c == nil {
		return ""
	}
	if len(c.Children) > 0 {
		t.err = errorf(400, wire.CodeValidation, "field %q of %q must be a text value", name, t.root)
		return ""
	}
	v := strings.TrimSpace(c.Text)
	if len([]rune(v)) > maxLen {
		t.err = errorf(400, wire.CodeValidation, "%s must be at most %d characters", name, maxLen)
		return ""
	}
	return v
}

func (t *fieldReader) number(name string, lo, hi int) int {
	v := t.text(name, 20)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		t.err = errorf(400, wire.CodeValidation, "%s must be an integer from %d to %d, got %q", name, lo, hi, v)
		return 0
	}
	return n
}
