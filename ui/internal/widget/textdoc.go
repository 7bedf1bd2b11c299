package widget

import (
	"bytes"
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

// Pretty is body as the viewer shows it: JSON and XML pretty-printed
// without a final newline, anything else (or a body that does not parse)
// as it is. The editor opens the same text.
func Pretty(body []byte, f wire.Format) []byte {
	if f == wire.JSON || f == wire.XML {
		if p, err := apiclient.PrettyPrint(body, f); err == nil {
			return bytes.TrimRight(p, "\n")
		}
	}
	return body
}

// newTextDoc pretty-prints body and splits it into rows.
func newTextDoc(body []byte, f wire.Format) *textDoc {
	d := &textDoc{data: Pretty(body, f), format: f}
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
