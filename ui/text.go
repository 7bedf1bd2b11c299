package ui

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// maxRowBytes cuts very long lines (a minified body that could not be
// pretty-printed can be one line of megabytes) into display rows, so that
// no single row costs more than a screenful of glyphs to lay out.
const maxRowBytes = 400

// span is one display row: a byte range of a document without its newline.
type span struct{ start, end int32 }

// textDoc is a body prepared for the virtualised view: the pretty-printed
// bytes and the offsets of each display row, computed once off the UI
// goroutine. Rows are rendered only when they scroll into view.
type textDoc struct {
	data   []byte
	format wire.Format
	rows   []span
	// lineNo is each row's 1-based line number; a row continuing a line
	// cut at maxRowBytes repeats its predecessor's.
	lineNo []int32
	// widest is the longest row in runes, for the column width.
	widest int
	// lower is a lower-case copy for searching, built by the first search
	// (searches run concurrently off the UI goroutine).
	lowerOnce sync.Once
	lower     []byte
}

// newTextDoc pretty-prints body (keeping it as is when it does not parse)
// and splits it into rows.
func newTextDoc(body []byte, f wire.Format) *textDoc {
	data := body
	if f == wire.JSON || f == wire.XML {
		if p, err := apiclient.PrettyPrint(body, f); err == nil {
			data = bytes.TrimRight(p, "\n")
		}
	}
	d := &textDoc{data: data, format: f}
	d.split()
	return d
}

func (d *textDoc) split() {
	data := d.data
	n := bytes.Count(data, []byte{'\n'}) + 1
	d.rows = make([]span, 0, n)
	d.lineNo = make([]int32, 0, n)
	start, line := 0, int32(0)
	for start <= len(data) {
		nl := bytes.IndexByte(data[start:], '\n')
		end := len(data)
		if nl >= 0 {
			end = start + nl
		}
		lineEnd := end
		if lineEnd > start && data[lineEnd-1] == '\r' {
			lineEnd--
		}
		line++
		first := true
		for s := start; first || s < lineEnd; first = false {
			e := s + maxRowBytes
			if e >= lineEnd {
				e = lineEnd
			} else {
				for e > s && !utf8.RuneStart(data[e]) {
					e--
				}
			}
			d.rows = append(d.rows, span{int32(s), int32(e)})
			d.lineNo = append(d.lineNo, line)
			if n := utf8.RuneCount(data[s:e]); n > d.widest {
				d.widest = n
			}
			s = e
			if s >= lineEnd {
				break
			}
		}
		if nl < 0 {
			break
		}
		start = end + 1
	}
}

// row returns the text of display row i.
func (d *textDoc) row(i int) string {
	if i < 0 || i >= len(d.rows) {
		return ""
	}
	s := d.rows[i]
	return strings.ToValidUTF8(string(d.data[s.start:s.end]), "\uFFFD")
}

// continues reports whether row i continues the previous row's line.
func (d *textDoc) continues(i int) bool {
	return i > 0 && i < len(d.lineNo) && d.lineNo[i] == d.lineNo[i-1]
}

// search returns the rows containing q, case-insensitively, in order.
func (d *textDoc) search(q string) []int {
	if q == "" {
		return nil
	}
	d.lowerOnce.Do(func() { d.lower = bytes.ToLower(d.data) })
	needle := bytes.ToLower([]byte(q))
	var hits []int
	last := -1
	for off := 0; off <= len(d.lower); {
		i := bytes.Index(d.lower[off:], needle)
		if i < 0 {
			break
		}
		pos := off + i
		r := sort.Search(len(d.rows), func(k int) bool { return int(d.rows[k].end) > pos })
		if r >= len(d.rows) {
			r = len(d.rows) - 1
		}
		if r != last {
			hits = append(hits, r)
			last = r
		}
		off = pos + len(needle)
	}
	return hits
}

// tokKind classifies a run of characters for colouring.
type tokKind int

const (
	tokPlain tokKind = iota
	tokKey
	tokString
	tokNumber
	tokLiteral
	tokTag
	tokAttr
	tokComment
)

// seg is a coloured run of one row.
type seg struct {
	text string
	kind tokKind
}

// colorize splits one row of pretty-printed JSON or XML into coloured
// runs. It looks at the row alone: a string cut across rows is coloured
// approximately, which is acceptable for display.
func colorize(line string, f wire.Format) []seg {
	switch f {
	case wire.JSON:
		return colorJSON(line)
	case wire.XML:
		return colorXML(line)
	}
	return []seg{{line, tokPlain}}
}

func colorJSON(line string) []seg {
	var out []seg
	add := func(s string, k tokKind) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].kind == k {
			out[n-1].text += s
			return
		}
		out = append(out, seg{s, k})
	}
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(line) && line[j] != '"' {
				if line[j] == '\\' {
					j++
				}
				j++
			}
			if j < len(line) {
				j++
			} else {
				j = len(line)
			}
			k := tokString
			rest := strings.TrimLeft(line[j:], " ")
			if strings.HasPrefix(rest, ":") {
				k = tokKey
			}
			add(line[i:j], k)
			i = j
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(line) && strings.IndexByte("0123456789.eE+-", line[j]) >= 0 {
				j++
			}
			add(line[i:j], tokNumber)
			i = j
		case strings.HasPrefix(line[i:], "true") || strings.HasPrefix(line[i:], "null"):
			add(line[i:i+4], tokLiteral)
			i += 4
		case strings.HasPrefix(line[i:], "false"):
			add(line[i:i+5], tokLiteral)
			i += 5
		default:
			j := i + 1
			for j < len(line) && strings.IndexByte("\"-0123456789tfn", line[j]) < 0 {
				j++
			}
			add(line[i:j], tokPlain)
			i = j
		}
	}
	return out
}

func colorXML(line string) []seg {
	var out []seg
	add := func(s string, k tokKind) {
		if s != "" {
			out = append(out, seg{s, k})
		}
	}
	i := 0
	for i < len(line) {
		if strings.HasPrefix(line[i:], "<!--") {
			j := strings.Index(line[i:], "-->")
			if j < 0 {
				add(line[i:], tokComment)
				break
			}
			add(line[i:i+j+3], tokComment)
			i += j + 3
			continue
		}
		if line[i] != '<' {
			j := strings.IndexByte(line[i:], '<')
			if j < 0 {
				j = len(line) - i
			}
			add(line[i:i+j], tokPlain)
			i += j
			continue
		}
		// A tag: its name, then attributes name="value", then > or />.
		j := i + 1
		for j < len(line) && strings.IndexByte(" \t/>", line[j]) < 0 {
			j++
		}
		add(line[i:j], tokTag)
		i = j
		for i < len(line) {
			c := line[i]
			if c == '>' || strings.HasPrefix(line[i:], "/>") || strings.HasPrefix(line[i:], "?>") {
				n := 1
				if c != '>' {
					n = 2
				}
				add(line[i:i+n], tokTag)
				i += n
				break
			}
			if c == '"' || c == '\'' {
				k := strings.IndexByte(line[i+1:], c)
				e := len(line)
				if k >= 0 {
					e = i + 1 + k + 1
				}
				add(line[i:e], tokString)
				i = e
				continue
			}
			if c == ' ' || c == '=' || c == '\t' {
				add(line[i:i+1], tokPlain)
				i++
				continue
			}
			k := i
			for k < len(line) && strings.IndexByte(" \t=/>\"'", line[k]) < 0 {
				k++
			}
			if k == i {
				k++
			}
			add(line[i:k], tokAttr)
			i = k
		}
	}
	return out
}

// bodyError is a syntax error in an edited body, positioned for people.
type bodyError struct {
	Line, Col int
	Msg       string
}

func (e *bodyError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// validateBody checks that body is one well-formed JSON value or XML
// document before it is sent, so the user sees where the mistake is instead
// of a server error.
func validateBody(body []byte, f wire.Format) *bodyError {
	if len(bytes.TrimSpace(body)) == 0 {
		return &bodyError{Line: 1, Col: 1, Msg: "the body is empty"}
	}
	switch f {
	case wire.XML:
		return validateXML(body)
	default:
		return validateJSON(body)
	}
}

func validateJSON(body []byte) *bodyError {
	dec := json.NewDecoder(bytes.NewReader(body))
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			off := int(se.Offset) - 1
			if off < 0 {
				off = 0
			}
			return positioned(body, off, se.Error())
		case errors.Is(err, io.ErrUnexpectedEOF):
			return positioned(body, len(body), "unexpected end of the body (a bracket or quote is not closed)")
		default:
			return positioned(body, int(dec.InputOffset()), err.Error())
		}
	}
	off := int(dec.InputOffset())
	for off < len(body) && (body[off] == ' ' || body[off] == '\n' || body[off] == '\t' || body[off] == '\r') {
		off++
	}
	if off < len(body) {
		return positioned(body, off, "unexpected text after the JSON value")
	}
	return nil
}

// positioned converts a byte offset into a 1-based line and column
// (columns count characters, not bytes).
func positioned(body []byte, off int, msg string) *bodyError {
	if off > len(body) {
		off = len(body)
	}
	line := 1 + bytes.Count(body[:off], []byte{'\n'})
	ls := bytes.LastIndexByte(body[:off], '\n') + 1
	return &bodyError{Line: line, Col: 1 + utf8.RuneCount(body[ls:off]), Msg: msg}
}

func validateXML(body []byte) *bodyError {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, col := d.InputPos()
			msg := err.Error()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				msg = se.Msg
			}
			return &bodyError{Line: line, Col: col, Msg: msg}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots > 1 {
					line, col := d.InputPos()
					return &bodyError{Line: line, Col: col, Msg: fmt.Sprintf("a second root element <%s>; an XML body has exactly one", t.Name.Local)}
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				line, col := d.InputPos()
				return &bodyError{Line: line, Col: col, Msg: "text outside the root element"}
			}
		}
	}
	if roots == 0 {
		line, col := d.InputPos()
		return &bodyError{Line: line, Col: col, Msg: "no root element"}
	}
	return nil
}

// maskToken shows enough of a token to recognise it: abcd…wxyz.
func maskToken(t string) string {
	r := []rune(t)
	switch {
	case len(r) == 0:
		return "(none)"
	case len(r) <= 8:
		return string(r[:min(2, len(r))]) + "…"
	}
	return string(r[:4]) + "…" + string(r[len(r)-4:])
}

// relativeAddress turns an absolute URL under the account base into the
// address-bar form (path relative to the base plus query, without v=1);
// anything else is returned as given.
func relativeAddress(base, href string) string {
	base = strings.TrimSuffix(base, "/")
	u, err := url.Parse(href)
	if err != nil || base == "" {
		return href
	}
	q := u.Query()
	q.Del("v")
	u.RawQuery = ""
	abs := u.String()
	rest, ok := strings.CutPrefix(abs, base)
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		if enc := q.Encode(); enc != "" {
			return abs + "?" + enc
		}
		return abs
	}
	rest = strings.TrimPrefix(rest, "/")
	if enc := q.Encode(); enc != "" {
		rest += "?" + enc
	}
	return rest
}

// addressPath is the address without its query, the resource an edit
// goes to.
func addressPath(addr string) string {
	p, _, _ := strings.Cut(addr, "?")
	return p
}

// newBodyTemplate is a starting point for creating a member of the
// collection shown in body: {"skill": {}} for {"skills": …}.
func newBodyTemplate(body []byte, f wire.Format) string {
	name := "item"
	switch f {
	case wire.XML:
		d := xml.NewDecoder(bytes.NewReader(body))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				name = se.Name.Local
				break
			}
		}
	default:
		dec := json.NewDecoder(bytes.NewReader(body))
		if t, err := dec.Token(); err == nil && t == json.Delim('{') {
			if k, err := dec.Token(); err == nil {
				if s, ok := k.(string); ok {
					name = s
				}
			}
		}
	}
	if s, ok := strings.CutSuffix(name, "s"); ok && s != "" {
		name = s
	}
	if f == wire.XML {
		return fmt.Sprintf("<%s>\n  \n</%s>\n", name, name)
	}
	return fmt.Sprintf("{\n  %q: {\n    \n  }\n}\n", name)
}
