// Package jsonscan reads JSON straight from the byte slice, one token at a
// time: no tree, no allocation per token, the grammar checked as it goes
// (what encoding/json accepts) and nesting bounded. Response bodies run to
// tens of megabytes, and every reader of JSON in lpdesk (pretty-printing,
// link extraction, the tree view, the sandbox's body parser, the
// colouring of one row) works from this one scanner or its lexical pieces
// instead of a hand-written copy, so they agree on what JSON is.
//
// Like wire and oauthsig it does no I/O.
package jsonscan

import (
	"errors"
	"fmt"
	"io"
)

// MaxDepth bounds how many containers may be open at once, so a hostile
// body of nested brackets cannot exhaust a recursive reader's stack. No
// response of the platform comes near it.
const MaxDepth = 512

// ErrTooDeep is wrapped by the error for a document nested deeper than
// MaxDepth.
var ErrTooDeep = errors.New("document nested too deeply")

// Kind is what a Token is.
type Kind uint8

// The token kinds. A Key is an object member's name; its value follows as
// the next token.
const (
	ObjectStart Kind = iota + 1
	ObjectEnd
	ArrayStart
	ArrayEnd
	Key
	String
	Number
	True
	False
	Null
)

// Token is one token: its kind and where it stands in the document.
type Token struct {
	Kind Kind
	// Start and End delimit the token's bytes; a String or Key includes
	// its quotes.
	Start, End int
	// Escaped says a String or Key holds a backslash escape, so its text
	// must be decoded (Text) rather than sliced.
	Escaped bool
}

// SyntaxError is a document that is not JSON, or nested too deeply; Offset
// is the byte where reading stopped (see Position).
type SyntaxError struct {
	Offset int
	Msg    string
	Err    error // ErrTooDeep, or nil
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

// Unwrap returns ErrTooDeep for a nesting error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// Scanner reads one document. The zero value is not usable; use New.
type Scanner struct {
	b     []byte
	i     int
	depth int
	next  expect
	inObj bool // the innermost open container is an object
	// objects has bit d set when the container at depth d+1 is an object.
	objects [MaxDepth / 64]uint64
}

// expect is what may come next.
type expect uint8

const (
	wantValue      expect = iota // the document, a member's value, an array item after ','
	wantValueOrEnd               // after '['
	wantKeyOrEnd                 // after '{'
	wantKey                      // after ',' in an object
	wantCommaOrEnd               // after a value in a container
	wantEOF                      // after the document
)

// New returns a Scanner over b.
func New(b []byte) Scanner { return Scanner{b: b} }

// Offset is the byte where the scanner stands.
func (s *Scanner) Offset() int { return s.i }

// Depth is how many containers are open after the last token.
func (s *Scanner) Depth() int { return s.depth }

// Next returns the next token, io.EOF after the document's last one, or a
// *SyntaxError. After an error the scanner stays where it stopped.
func (s *Scanner) Next() (Token, error) {
	s.skipSpace()
	switch s.next {
	case wantEOF:
		if s.i < len(s.b) {
			return Token{}, s.errorf("data after the top-level value")
		}
		return Token{}, io.EOF
	case wantCommaOrEnd:
		if s.i >= len(s.b) {
			return Token{}, s.errorf("unexpected end of input")
		}
		switch c := s.b[s.i]; {
		case c == ',':
			s.i++
			s.skipSpace()
			if s.inObj {
				return s.key()
			}
			return s.value()
		case c == s.closer():
			return s.end(), nil
		case s.inObj:
			return Token{}, s.errorf("want , or } in object, got %q", c)
		default:
			return Token{}, s.errorf("want , or ] in array, got %q", c)
		}
	case wantKeyOrEnd, wantValueOrEnd:
		if s.i < len(s.b) && s.b[s.i] == s.closer() {
			return s.end(), nil
		}
		if s.next == wantKeyOrEnd {
			return s.key()
		}
	case wantKey:
		return s.key()
	}
	return s.value()
}

// Skip reads past the value whose first token was t (all of it, for a
// container).
func (s *Scanner) Skip(t Token) error {
	if t.Kind != ObjectStart && t.Kind != ArrayStart {
		return nil
	}
	for depth := s.depth; s.depth >= depth; {
		if _, err := s.Next(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Scanner) value() (Token, error) {
	if s.i >= len(s.b) {
		return Token{}, s.errorf("unexpected end of input")
	}
	start := s.i
	switch c := s.b[s.i]; {
	case c == '{' || c == '[':
		if s.depth >= MaxDepth {
			return Token{}, &SyntaxError{Offset: s.i, Msg: fmt.Sprintf("%v (over %d levels)", ErrTooDeep, MaxDepth), Err: ErrTooDeep}
		}
		word, bit := s.depth/64, uint64(1)<<(s.depth%64)
		s.depth++
		s.i++
		s.inObj = c == '{'
		if s.inObj {
			s.objects[word] |= bit
			s.next = wantKeyOrEnd
			return Token{Kind: ObjectStart, Start: start, End: s.i}, nil
		}
		s.objects[word] &^= bit
		s.next = wantValueOrEnd
		return Token{Kind: ArrayStart, Start: start, End: s.i}, nil
	case c == '"':
		t, err := s.str(String)
		if err == nil {
			s.afterValue()
		}
		return t, err
	case c == '-' || '0' <= c && c <= '9':
		end := NumberEnd(s.b, s.i)
		if n, ok := numberFault(s.b[s.i:end]); !ok {
			s.i += n
			return Token{}, s.errorf("bad number %q", s.b[start:end])
		}
		s.i = end
		s.afterValue()
		return Token{Kind: Number, Start: start, End: end}, nil
	}
	k, n, bad := Literal(s.b, s.i)
	if k == 0 {
		if s.i += bad; s.i >= len(s.b) {
			return Token{}, s.errorf("unexpected end of input")
		}
		return Token{}, s.errorf("unexpected %q", s.b[s.i])
	}
	s.i += n
	s.afterValue()
	return Token{Kind: k, Start: start, End: s.i}, nil
}

// key reads a member name and the colon after it.
func (s *Scanner) key() (Token, error) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return Token{}, s.errorf("want an object key")
	}
	t, err := s.str(Key)
	if err != nil {
		return t, err
	}
	s.skipSpace()
	if s.i >= len(s.b) || s.b[s.i] != ':' {
		return Token{}, s.errorf("want : after object key")
	}
	s.i++
	s.next = wantValue
	return t, nil
}

func (s *Scanner) str(k Kind) (Token, error) {
	start := s.i
	end, escaped, bad := stringEnd(s.b, s.i)
	if bad >= 0 {
		s.i = bad
		switch {
		case bad == len(s.b):
			return Token{}, s.errorf("unterminated string")
		case s.b[bad] < 0x20:
			return Token{}, s.errorf("control character in string")
		}
		return Token{}, s.errorf("bad escape in string")
	}
	s.i = end
	return Token{Kind: k, Start: start, End: end, Escaped: escaped}, nil
}

func (s *Scanner) end() Token {
	t := Token{Kind: ArrayEnd, Start: s.i, End: s.i + 1}
	if s.inObj {
		t.Kind = ObjectEnd
	}
	s.i++
	s.depth--
	if d := s.depth - 1; d >= 0 {
		s.inObj = s.objects[d/64]&(1<<(d%64)) != 0
	}
	s.afterValue()
	return t
}

func (s *Scanner) afterValue() {
	if s.depth == 0 {
		s.next = wantEOF
	} else {
		s.next = wantCommaOrEnd
	}
}

func (s *Scanner) closer() byte {
	if s.inObj {
		return '}'
	}
	return ']'
}

func (s *Scanner) skipSpace() {
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return // the common case: no space at all
	}
	s.i = SpaceEnd(s.b, s.i)
}

func (s *Scanner) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: s.i, Msg: fmt.Sprintf(format, args...)}
}

// Check reads the whole of b and returns its first fault, or nil for one
// well-formed JSON value.
func Check(b []byte) error {
	s := New(b)
	for {
		if _, err := s.Next(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}
