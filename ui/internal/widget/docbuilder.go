package widget

import (
	"io"
	"unicode/utf8"

	"github.com/lpdesk/lpdesk/apiclient/jsonscan"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Slice sizes of a docBuilder: the first is a screenful or two, so the
// first screen costs the same for a body of 1 MB or 100 MB; the others
// bound each step of the background work (a few milliseconds) and so how
// much the UI goroutine takes in at once.
const (
	firstSliceBytes = 32 << 10
	sliceBytes      = 1 << 20
)

// docBuilder makes a body's display chunks a slice at a time, off the UI
// goroutine (one slice at a time: calls to next must not overlap). JSON is
// indented as it goes, token by token, into exactly what Pretty gives;
// XML is pretty-printed whole by Pretty on the first call (its indenter
// has no incremental form) and then cut up; anything else is cut up as it
// is, without a copy.
type docBuilder struct {
	body  []byte
	f     wire.Format
	split splitter
	done  bool

	json *jsonIndenter // JSON not yet indented; nil once done or failed
	text []byte        // otherwise the text to cut, from pos on
	pos  int
	rest []byte // indented text held back: the end of a line
	// restart marks the next chunk as starting over (the JSON did not
	// parse: what was shown is dropped and the body shown as it is).
	restart bool
}

func newDocBuilder(body []byte, f wire.Format) *docBuilder {
	b := &docBuilder{body: body, f: f}
	switch f {
	case wire.JSON:
		b.json = newJSONIndenter(body)
	case wire.XML:
		b.text = nil // made by the first call
	default:
		b.text = body
	}
	return b
}

// next makes the next chunk from about size bytes of shown text.
func (b *docBuilder) next(size int) *chunk {
	if b.f == wire.XML && b.text == nil {
		b.text = Pretty(b.body, wire.XML)
	}
	if b.json != nil {
		out := append(make([]byte, 0, size+len(b.rest)+64), b.rest...)
		out, done, err := b.json.indent(out, size)
		if err == nil {
			c, rest := b.split.split(out, done)
			b.rest = rest
			b.done = done
			if done {
				b.json = nil
			}
			return c
		}
		// Shown as it is, as Pretty shows a body that does not parse.
		b.json, b.rest, b.text, b.pos = nil, nil, b.body, 0
		b.split = splitter{}
		b.restart = true
	}
	// At least a whole row, or a long line would never come out.
	end := min(b.pos+max(size, maxRowBytes+utf8.UTFMax), len(b.text))
	final := end == len(b.text)
	c, rest := b.split.split(b.text[b.pos:end], final)
	b.pos = end - len(rest)
	b.done = final
	c.restart, b.restart = b.restart, false
	return c
}

// jsonIndenter is apiclient's JSON pretty-printer (prettyJSON) taken apart
// so it can stop after any token and go on later: two spaces per level,
// tokens copied byte for byte, no final newline (Pretty trims it). A test
// checks the two agree.
type jsonIndenter struct {
	body     []byte
	s        jsonscan.Scanner
	opened   bool // the last token opened a container: no item yet
	afterKey bool // the value follows "key": on the same line
	written  int
	limit    int
}

func newJSONIndenter(body []byte) *jsonIndenter {
	// apiclient's bound on indented output: 8× the body plus 1 MiB.
	return &jsonIndenter{body: body, s: jsonscan.New(body), limit: 8*len(body) + 1<<20}
}

// indent appends about size bytes of tokens to out, or the rest of the
// document (done).
func (x *jsonIndenter) indent(out []byte, size int) (_ []byte, done bool, err error) {
	body := x.body
	for stop := len(out) + size; len(out) < stop; {
		t, err := x.s.Next()
		if err == io.EOF {
			return out, true, nil
		}
		if err != nil {
			return nil, false, err
		}
		before := len(out)
		switch t.Kind {
		case jsonscan.ObjectEnd, jsonscan.ArrayEnd:
			if !x.opened { // an empty container stays "{}"
				out = indentJSON(out, x.s.Depth())
			}
			out = append(out, body[t.Start])
			x.opened = false
			x.written += len(out) - before
			continue
		}
		opens := t.Kind == jsonscan.ObjectStart || t.Kind == jsonscan.ArrayStart
		depth := x.s.Depth() // of the containers around t
		if opens {
			depth--
		}
		switch {
		case x.afterKey:
			x.afterKey = false
		case x.opened:
			out = indentJSON(out, depth)
		case depth > 0:
			out = append(out, ',')
			out = indentJSON(out, depth)
		}
		if x.written+len(out)-before > x.limit {
			return nil, false, errTooLarge
		}
		out = append(out, body[t.Start:t.End]...)
		x.opened = opens
		if t.Kind == jsonscan.Key {
			out = append(out, ':', ' ')
			x.afterKey = true
		}
		x.written += len(out) - before
	}
	return out, false, nil
}

// indentJSON starts a line at depth.
func indentJSON(out []byte, depth int) []byte {
	out = append(out, '\n')
	for range depth {
		out = append(out, ' ', ' ')
	}
	return out
}

type tooLargeError struct{}

func (tooLargeError) Error() string { return "the indented body would be too large" }

var errTooLarge error = tooLargeError{}

// progress is how much of the body is made, from 0 to 1.
func (b *docBuilder) progress() float64 {
	switch {
	case b.done:
		return 1
	case b.json != nil && len(b.body) > 0:
		return float64(b.json.s.Offset()) / float64(len(b.body))
	case len(b.text) > 0:
		return float64(b.pos) / float64(len(b.text))
	}
	return 0
}
