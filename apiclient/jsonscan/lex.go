package jsonscan

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// The lexical pieces the Scanner is built from, exported for readers that
// look at JSON without checking it, such as colouring one row of a
// pretty-printed body or estimating an output's size: they find where a
// token ends the way the Scanner does.

// special marks the bytes a string scan must stop at: the closing quote,
// an escape, and the control characters JSON forbids in strings.
var special = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// QuoteEnd is the offset after the closing quote of the string whose
// opening quote is b[i] (len(b) when there is none), found without
// checking what the string holds: an unescaped quote is one after an even
// run of backslashes. It searches with bytes.IndexByte, many times faster
// than reading byte by byte.
func QuoteEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			break
		}
		j += k
		backslashes := 0
		for m := j - 1; m > i && b[m] == '\\'; m-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return j + 1
		}
	}
	return len(b)
}

// stringEnd reads and checks the string whose opening quote is b[i]: end
// is the offset after its closing quote (len(b) when there is none),
// escaped says it holds a backslash escape, and bad is the offset of its
// first fault (a control character, a malformed escape, or len(b) for a
// missing closing quote), or -1.
func stringEnd(b []byte, i int) (end int, escaped bool, bad int) {
	bad = -1
	for j := i + 1; j < len(b); j++ {
		c := b[j]
		if !special[c] {
			continue
		}
		switch {
		case c == '"':
			return j + 1, escaped, bad
		case c == '\\':
			escaped = true
			if n := escapeLen(b, j); n > 0 {
				j += n - 1
			} else {
				if bad < 0 {
					bad = escapeFault(b, j)
				}
				j++ // past the character escaped, valid or not
			}
		case bad < 0:
			bad = j
		}
	}
	if bad < 0 {
		bad = len(b)
	}
	return len(b), escaped, bad
}

// escapeLen is the length of the escape at b[j] == '\\', or 0 for a
// malformed one.
func escapeLen(b []byte, j int) int {
	if j+1 >= len(b) {
		return 0
	}
	switch b[j+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if j+5 < len(b) && isHex(b[j+2]) && isHex(b[j+3]) && isHex(b[j+4]) && isHex(b[j+5]) {
			return 6
		}
	}
	return 0
}

// escapeFault is the offset of the first byte that spoils the escape at
// b[j] == '\\': the escaped character, or the first non-hex digit of a \u.
func escapeFault(b []byte, j int) int {
	if j+1 >= len(b) || b[j+1] != 'u' {
		return min(j+1, len(b))
	}
	k := j + 2
	for k < len(b) && k < j+6 && isHex(b[k]) {
		k++
	}
	return k
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// NumberEnd is the offset after the run of number characters (digits,
// sign, point, exponent) starting at b[i], well-formed or not.
func NumberEnd(b []byte, i int) int {
	for i < len(b) {
		switch c := b[i]; {
		case '0' <= c && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			i++
		default:
			return i
		}
	}
	return i
}

// numberFault is where b stops being a JSON number: len(b) when all of it
// is one, else the offset of the first byte that does not fit (len(b) too
// for a number cut short, as "-", "1." or "1e" are), and whether b is one.
func numberFault(b []byte) (int, bool) {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digitsEnd(b, i)
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		if i++; i >= len(b) || !isDigit(b[i]) {
			return i, false
		}
		i = digitsEnd(b, i)
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		if i++; i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return i, false
		}
		i = digitsEnd(b, i)
	}
	return i, i == len(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digitsEnd(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}

// Literal reads true, false or null at b[i]: its kind and length, or kind
// 0 and the offset from i of the first byte that does not fit.
func Literal(b []byte, i int) (k Kind, n, bad int) {
	var word string
	switch {
	case i >= len(b):
		return 0, 0, 0
	case b[i] == 't':
		k, word = True, "true"
	case b[i] == 'f':
		k, word = False, "false"
	case b[i] == 'n':
		k, word = Null, "null"
	default:
		return 0, 0, 0
	}
	for m := 0; m < len(word); m++ {
		if i+m >= len(b) || b[i+m] != word[m] {
			return 0, 0, m
		}
	}
	return k, len(word), 0
}

// SpaceEnd is the offset after the JSON whitespace starting at b[i].
func SpaceEnd(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// Text is a scalar token's value as text: a String's or Key's decoded
// (invalid UTF-8 as U+FFFD, as encoding/json decodes it), a Number's as
// written, "true" or "false"; "" for null and containers. Only a string
// with an escape or invalid UTF-8 costs more than the copy.
func Text(b []byte, t Token) string {
	raw := b[t.Start:t.End]
	switch t.Kind {
	case String, Key:
		if !t.Escaped && utf8.Valid(raw) {
			return string(raw[1 : len(raw)-1])
		}
		var out string
		if json.Unmarshal(raw, &out) != nil {
			return string(raw[1 : len(raw)-1]) // the Scanner checked it: not reached
		}
		return out
	case Number, True, False:
		return string(raw)
	}
	return ""
}

// Is reports whether a String or Key token's value is s, without copying
// it.
func Is(b []byte, t Token, s string) bool {
	if !t.Escaped {
		return string(b[t.Start+1:t.End-1]) == s
	}
	return Text(b, t) == s
}

// Position turns a byte offset into b into a 1-based line and column, the
// column counted in characters, for messages to people. It serves any
// text, XML included.
func Position(b []byte, off int) (line, col int) {
	off = min(max(off, 0), len(b))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if b[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, 1 + utf8.RuneCount(b[start:off])
}
