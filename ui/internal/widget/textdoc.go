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

// span is one display row: a byte range of a chunk without its newline.
type span struct{ start, end int32 }

// chunk is a run of the shown text, cut into display rows. Chunks are
// immutable once made, so a search may read them off the UI goroutine while
// the document grows.
type chunk struct {
	data []byte
	rows []span
	// lineNo is each row's 1-based line number in the whole document; a
	// row continuing a line cut at maxRowBytes repeats its predecessor's.
	lineNo []int32
	widest int // the longest row in runes
	// first is the document row of rows[0], set when the chunk is added.
	first int
	// restart: the chunks before this one are void (the body turned out
	// not to parse, and is shown as it is from the start).
	restart bool

	lowerOnce sync.Once
	lower     []byte
}

// textDoc is a body prepared for the virtualised view: the shown text in
// chunks, each with the offsets of its display rows. A docBuilder makes the
// chunks off the UI goroutine a slice at a time and the view adds them as
// they come, so the first screen does not wait for the rest of the body.
// Rows are coloured only when they scroll into view.
type textDoc struct {
	format wire.Format
	chunks []*chunk
	nrows  int
	widest int
	// done: every chunk is in.
	done bool
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

// newTextDoc builds the whole document at once (small bodies, tests).
func newTextDoc(body []byte, f wire.Format) *textDoc {
	d := &textDoc{format: f}
	b := newDocBuilder(body, f)
	for !b.done {
		d.add(b.next(sliceBytes))
	}
	d.done = true
	return d
}

// add appends c (a restarting chunk first drops what was shown: the body
// turned out not to parse and is shown as it is instead).
func (d *textDoc) add(c *chunk) {
	if c.restart {
		d.chunks, d.nrows, d.widest = nil, 0, 0
	}
	c.first = d.nrows
	d.chunks = append(d.chunks, c)
	d.nrows += len(c.rows)
	d.widest = max(d.widest, c.widest)
}

// rowCount is the number of display rows so far.
func (d *textDoc) rowCount() int { return d.nrows }

// at finds the chunk holding row i and i's index in it.
func (d *textDoc) at(i int) (*chunk, int) {
	if i < 0 || i >= d.nrows {
		return nil, 0
	}
	k := sort.Search(len(d.chunks), func(k int) bool { return d.chunks[k].first+len(d.chunks[k].rows) > i })
	c := d.chunks[k]
	return c, i - c.first
}

// row returns the text of display row i.
func (d *textDoc) row(i int) string {
	c, j := d.at(i)
	if c == nil {
		return ""
	}
	s := c.rows[j]
	return strings.ToValidUTF8(string(c.data[s.start:s.end]), "\uFFFD")
}

// lineNo is row i's 1-based line number.
func (d *textDoc) lineNo(i int) int32 {
	c, j := d.at(i)
	if c == nil {
		return 0
	}
	return c.lineNo[j]
}

// continues reports whether row i continues the previous row's line.
func (d *textDoc) continues(i int) bool {
	return i > 0 && i < d.nrows && d.lineNo(i) == d.lineNo(i-1)
}

// text is the whole text shown so far (tests).
func (d *textDoc) text() string {
	var b strings.Builder
	for _, c := range d.chunks {
		b.Write(c.data)
	}
	return b.String()
}

// search returns the rows containing q, case-insensitively, in order, among
// the chunks given (a snapshot taken on the UI goroutine).
func search(chunks []*chunk, q string) []int {
	if q == "" {
		return nil
	}
	needle := bytes.ToLower([]byte(q))
	var hits []int
	for _, c := range chunks {
		c.lowerOnce.Do(func() { c.lower = bytes.ToLower(c.data) })
		last := -1
		for off := 0; off <= len(c.lower); {
			i := bytes.Index(c.lower[off:], needle)
			if i < 0 {
				break
			}
			pos := off + i
			r := sort.Search(len(c.rows), func(k int) bool { return int(c.rows[k].end) > pos })
			if r >= len(c.rows) {
				r = len(c.rows) - 1
			}
			if r >= 0 && r != last {
				hits = append(hits, c.first+r)
				last = r
			}
			off = pos + len(needle)
		}
	}
	return hits
}

// search returns the rows of the whole document containing q.
func (d *textDoc) search(q string) []int { return search(d.chunks, q) }

// splitter cuts text into display rows as it arrives, remembering across
// calls the line it is in.
type splitter struct {
	line int32 // the number of the last line begun
	// cont: the next text continues line `line`, which has rows already.
	cont bool
}

// split cuts data into a chunk of display rows. Unless final, the last line
// (with no newline yet) is kept back as rest, all but its whole
// maxRowBytes rows: rows come out as they would from the whole text at once.
func (s *splitter) split(data []byte, final bool) (c *chunk, rest []byte) {
	c = &chunk{data: data}
	start := 0
	for {
		nl := bytes.IndexByte(data[start:], '\n')
		end := len(data)
		if nl >= 0 {
			end = start + nl
		}
		open := nl < 0 && !final // the line goes on in text not here yet
		lineEnd := end
		if !open && lineEnd > start && data[lineEnd-1] == '\r' {
			lineEnd--
		}
		wasCont := s.cont
		if !wasCont {
			s.line++
		}
		s.cont = false
		for r, first := start, !wasCont; first || r < lineEnd; first = false {
			e := r + maxRowBytes
			if e >= lineEnd {
				if open { // the rest of this row may still come
					if r > start || wasCont {
						s.cont = true
					} else {
						s.line--
					}
					c.data = data[:r]
					return c, data[r:]
				}
				e = lineEnd
			} else {
				for e > r && !utf8.RuneStart(data[e]) {
					e--
				}
			}
			c.rows = append(c.rows, span{int32(r), int32(e)})
			c.lineNo = append(c.lineNo, s.line)
			c.widest = max(c.widest, utf8.RuneCount(data[r:e]))
			r = e
			if r >= lineEnd {
				break
			}
		}
		if nl < 0 {
			return c, nil
		}
		start = end + 1
	}
}
