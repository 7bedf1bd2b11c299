// Package xmlscan reads an XML document in one pass over its bytes and, in
// that same pass, writes it indented and reports its <link> elements. It
// replaces encoding/xml's Decoder for the client's two uses of a response
// body (links on every response, indentation for display), which cost a
// Decoder walk each and several allocations per token: on a 20 MB body the
// two walks took longer than xmllint --format.
//
// It accepts exactly what encoding/xml's strict Decoder.Token accepts
// (matched end tags, the five predefined entities and character references
// only, valid UTF-8 and XML characters in text, attribute values and names)
// and indents as the client always did: names and attributes as written,
// one element per line, text re-escaped. apiclient's tests check both
// against encoding/xml byte for byte.
package xmlscan

import (
	"errors"
	"fmt"
	"io"

	"github.com/lpdesk/lpdesk/apiclient/jsonscan"
)

// ErrTooDeep is wrapped by the error for a document nested deeper than
// Options.MaxDepth: the same sentinel as jsonscan's (and wire's).
var ErrTooDeep = jsonscan.ErrTooDeep

// ErrTooLarge is returned when the indented output would exceed
// Options.Limit.
var ErrTooLarge = errors.New("indented output over the limit")

// Options say what one Scan produces.
type Options struct {
	// Indent writes the document indented, two spaces per level: to Out
	// when set (in pieces of about 64 KiB, so the whole indented copy never
	// exists at once), else into the slice Scan returns.
	Indent bool
	Out    io.Writer
	// SizeHint presizes the returned slice when Indent is set and Out is not.
	SizeHint int
	// Limit bounds the indented output in bytes (0: no bound).
	Limit int
	// MaxDepth bounds how many elements may be open at once (0: 512).
	MaxDepth int
	// Link, when set, is called for every element named link (any prefix)
	// with its rel and href attributes (by local name, decoded), unless both
	// are empty, in document order as each start tag is read.
	Link func(rel, href string)
}

// SyntaxError is a malformed document: where and why.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// flushAt is the size at which buffered output goes to Options.Out.
const flushAt = 64 << 10

// Scan reads body once and does what o asks. With Indent and no Out it
// returns the indented document, which ends in a newline. A malformed body
// is a *SyntaxError (or an error wrapping ErrTooDeep or ErrTooLarge, or
// Out's write error); links found before the fault have been reported, and
// Out may have received the output up to it.
func Scan(body []byte, o Options) ([]byte, error) {
	if o.MaxDepth <= 0 {
		o.MaxDepth = jsonscan.MaxDepth
	}
	s := &scanner{b: body, o: o, first: true}
	s.stack = s.stackBuf[:0]
	if o.Indent && o.Out == nil {
		s.out = make([]byte, 0, max(o.SizeHint, 64))
	} else if o.Indent {
		s.out = make([]byte, 0, flushAt+4<<10)
	}
	if err := s.run(); err != nil {
		return nil, err
	}
	if o.Indent && o.Out != nil {
		if err := s.flushOut(); err != nil {
			return nil, err
		}
		return nil, nil
	}
	return s.out, nil
}

// span is a name in the body: b[a:e].
type span struct{ a, e int }

// scanner is Scan's state: the position in the body and, when indenting,
// the state between tokens that decides where lines break.
type scanner struct {
	b        []byte
	i        int
	o        Options
	stack    []span // open elements
	stackBuf [16]span

	out     []byte // indented output not yet written to o.Out
	written int    // bytes already written to o.Out

	open       bool // "<name attrs" written, ">" not yet
	hadText    bool // the current element's content so far is text only
	afterChild bool // the current element already holds a child, comment or PI
	first      bool // nothing written yet: no newline before the next line

	// Text is held back until it is known what follows it (that decides
	// its trimming). pend is its decoded form: a slice of the body while it
	// is one segment that needed no decoding, else pendBuf.
	pendSet   bool
	pend      []byte
	pendClean bool // pend needs no escaping
	pendOwned bool // pend is pendBuf
	pendBuf   []byte
	dec       []byte          // decoding scratch
	names     map[string]bool // valid non-ASCII names seen
}

func (s *scanner) run() error {
	b := s.b
	for s.i < len(b) {
		if s.o.Indent && s.o.Limit > 0 && s.written+len(s.out) > s.o.Limit {
			return ErrTooLarge
		}
		var err error
		if b[s.i] != '<' {
			err = s.text()
		} else if s.i+1 >= len(b) {
			return s.eof()
		} else {
			switch b[s.i+1] {
			case '/':
				err = s.endTag()
			case '?':
				err = s.procInst()
			case '!':
				err = s.bang()
			default:
				err = s.startTag()
			}
		}
		if err != nil {
			return err
		}
		if s.o.Out != nil && len(s.out) >= flushAt {
			if err := s.flushOut(); err != nil {
				return err
			}
		}
	}
	if !s.o.Indent {
		if len(s.stack) != 0 {
			return s.errAt(len(b), "unexpected EOF")
		}
		return nil
	}
	s.flushText(true)
	if len(s.stack) != 0 {
		return s.errAt(len(b), fmt.Sprintf("unexpected end of document (%d elements open)", len(s.stack)))
	}
	if s.o.Limit > 0 && s.written+len(s.out) > s.o.Limit {
		return ErrTooLarge
	}
	s.out = append(s.out, '\n')
	return nil
}

func (s *scanner) flushOut() error {
	if len(s.out) == 0 {
		return nil
	}
	n, err := s.o.Out.Write(s.out)
	s.written += n
	s.out = s.out[:0]
	if err != nil {
		return fmt.Errorf("write the indented body: %w", err)
	}
	return nil
}

// errAt is a syntax error at offset off.
func (s *scanner) errAt(off int, msg string) error {
	off = min(off, len(s.b))
	line, lineStart := 1, 0
	for i, c := range s.b[:off] {
		if c == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return &SyntaxError{Line: line, Column: off - lineStart + 1, Msg: msg}
}

func (s *scanner) eof() error { return s.errAt(len(s.b), "unexpected EOF") }

func (s *scanner) tooDeep(off int) error {
	e := s.errAt(off, "").(*SyntaxError)
	return fmt.Errorf("line %d, column %d: %w (over %d levels)", e.Line, e.Column, ErrTooDeep, s.o.MaxDepth)
}

// skipSpace returns the first index at or after i that is not XML white
// space.
func (s *scanner) skipSpace(i int) int {
	for i < len(s.b) {
		switch s.b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}
