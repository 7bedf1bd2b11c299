package xmlscan

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Byte classes. textPlain: a byte of character data that needs no second
// look (printable ASCII other than & < >, tab, newline). attrPlain: the same
// inside a quoted value that is copied as written between double quotes
// (no quote, tab or newline, which the output escapes). nameByte: the ASCII
// bytes encoding/xml reads as part of a name.
var textPlain, attrPlain, nameByte [256]bool

func init() {
	for c := 0x20; c <= 0x7f; c++ {
		textPlain[c] = c != '&' && c != '<' && c != '>'
		attrPlain[c] = textPlain[c] && c != '"' && c != '\''
		nameByte[c] = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '_' || c == ':' || c == '.' || c == '-'
	}
	textPlain['\t'], textPlain['\n'] = true, true
}

// text reads character data from s.i up to the next '<' (or the end).
func (s *scanner) text() error {
	b := s.b
	start := s.i
	j := start
	decode, clean := false, true
	for j < len(b) {
		c := b[j]
		if textPlain[c] {
			j++
			continue
		}
		switch {
		case c == '<':
			goto done
		case c == '&':
			_, k, err := s.entity(j)
			if err != nil {
				return err
			}
			decode, clean = true, false
			j = k
		case c == '>':
			if j-2 >= start && b[j-1] == ']' && b[j-2] == ']' {
				return s.errAt(j, "unescaped ]]> not in CDATA section")
			}
			clean = false
			j++
		case c == '\r':
			decode, clean = true, false
			j++
		case c >= 0x80:
			k, err := s.utf8At(j)
			if err != nil {
				return err
			}
			j = k
		default:
			return s.errAt(j, fmt.Sprintf("illegal character code %U", rune(c)))
		}
	}
done:
	s.i = j
	if !s.o.Indent {
		return nil
	}
	t := b[start:j]
	if decode {
		s.dec = s.decode(s.dec[:0], start, j, false)
		t = s.dec
	}
	s.addText(t, clean, decode)
	return nil
}

// cdata reads "<![CDATA[…]]>" at s.i; its text joins the surrounding text
// (and is escaped like it).
func (s *scanner) cdata() error {
	b := s.b
	start := s.i + len("<![CDATA[")
	end := bytes.Index(b[start:], []byte("]]>"))
	if end < 0 {
		return s.errAt(len(b), "unexpected EOF in CDATA section")
	}
	end += start
	decode, clean := false, true
	for j := start; j < end; {
		c := b[j]
		switch {
		case c >= 0x80:
			k, err := s.utf8At(j)
			if err != nil {
				return err
			}
			j = k
			continue
		case c == '\r':
			decode = true
			clean = false
		case c == '&' || c == '<' || c == '>':
			clean = false
		case c < 0x20 && c != '\t' && c != '\n':
			return s.errAt(j, fmt.Sprintf("illegal character code %U", rune(c)))
		}
		j++
	}
	s.i = end + 3
	if !s.o.Indent {
		return nil
	}
	t := b[start:end]
	if decode {
		s.dec = s.decode(s.dec[:0], start, end, true)
		t = s.dec
	}
	s.addText(t, clean, decode)
	return nil
}

// utf8At checks the encoded character at j (a byte >= 0x80) and returns
// the index after it.
func (s *scanner) utf8At(j int) (int, error) {
	r, size := utf8.DecodeRune(s.b[j:])
	if r == utf8.RuneError && size == 1 {
		return 0, s.errAt(j, "invalid UTF-8")
	}
	if !inCharRange(r) {
		return 0, s.errAt(j, fmt.Sprintf("illegal character code %U", r))
	}
	return j + size, nil
}

// entity reads the reference at b[j] == '&': one of the five predefined
// entities or a character reference, as encoding/xml reads them without
// an Entity map. Anything else is an error that names it: entities are
// never expanded.
func (s *scanner) entity(j int) (rune, int, error) {
	b := s.b
	k := j + 1
	if k >= len(b) {
		return 0, 0, s.eof()
	}
	if b[k] == '#' {
		k++
		if k >= len(b) {
			return 0, 0, s.eof()
		}
		base := uint64(10)
		if b[k] == 'x' {
			base = 16
			k++
		}
		ds := k
		var v uint64
		for ; k < len(b); k++ {
			d, ok := digit(b[k], base)
			if !ok {
				break
			}
			if v <= unicode.MaxRune {
				v = v*base + d
			}
		}
		if k >= len(b) {
			return 0, 0, s.eof()
		}
		if b[k] != ';' {
			return 0, 0, s.errAt(j, "invalid character entity "+string(b[j:k])+" (no semicolon)")
		}
		if k == ds || v > unicode.MaxRune {
			return 0, 0, s.errAt(j, "invalid character entity "+string(b[j:k+1]))
		}
		r := rune(v)
		if !utf8.ValidRune(r) {
			r = utf8.RuneError // what string(rune(v)) makes of a surrogate
		}
		if !inCharRange(r) {
			return 0, 0, s.errAt(j, fmt.Sprintf("illegal character code %U", r))
		}
		return r, k + 1, nil
	}
	ns := k
	for k < len(b) && (b[k] >= 0x80 || nameByte[b[k]]) {
		k++
	}
	if k >= len(b) {
		return 0, 0, s.eof()
	}
	if b[k] != ';' {
		return 0, 0, s.errAt(j, "invalid character entity "+string(b[j:k])+" (no semicolon)")
	}
	var r rune
	switch string(b[ns:k]) {
	case "lt":
		r = '<'
	case "gt":
		r = '>'
	case "amp":
		r = '&'
	case "apos":
		r = '\''
	case "quot":
		r = '"'
	default:
		return 0, 0, s.errAt(j, "invalid character entity "+string(b[j:k+1]))
	}
	return r, k + 1, nil
}

func digit(c byte, base uint64) (uint64, bool) {
	switch {
	case c >= '0' && c <= '9':
		return uint64(c - '0'), true
	case base == 16 && c >= 'a' && c <= 'f':
		return uint64(c-'a') + 10, true
	case base == 16 && c >= 'A' && c <= 'F':
		return uint64(c-'A') + 10, true
	}
	return 0, false
}

// decode appends the text b[i:e], already checked, as encoding/xml returns
// it: references replaced (not in CDATA) and "\r\n" or a lone "\r" read as
// "\n".
func (s *scanner) decode(dst []byte, i, e int, cdata bool) []byte {
	b := s.b
	for i < e {
		c := b[i]
		switch {
		case c == '&' && !cdata:
			r, k, _ := s.entity(i)
			dst = utf8.AppendRune(dst, r)
			i = k
		case c == '\r':
			dst = append(dst, '\n')
			i++
			if i < e && b[i] == '\n' {
				i++
			}
		default:
			dst = append(dst, c)
			i++
		}
	}
	return dst
}

// inCharRange reports whether r is a Char of XML 1.0.
func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// isXMLName checks a name with non-ASCII characters the way encoding/xml
// does, by asking it: its Unicode tables are not exported, and such names
// are rare enough for the cost.
func isXMLName(name []byte) bool {
	doc := make([]byte, 0, len(name)+3)
	doc = append(append(append(doc, '<'), name...), '/', '>')
	tok, err := xml.NewDecoder(bytes.NewReader(doc)).RawToken()
	se, ok := tok.(xml.StartElement)
	if err != nil || !ok {
		return false
	}
	got := se.Name.Local
	if se.Name.Space != "" {
		got = se.Name.Space + ":" + got
	}
	return got == string(name)
}

// addText holds decoded text t back until what follows decides its
// trimming. clean says t needs no escaping; decoded that it lives in s.dec.
func (s *scanner) addText(t []byte, clean, decoded bool) {
	if !s.pendSet {
		if isSpace(t) {
			return
		}
		if s.afterChild {
			t = bytes.TrimLeft(t, " \t\r\n")
		}
		s.closeOpen()
		s.pendSet, s.pendClean, s.pendOwned = true, clean, decoded
		if decoded {
			s.pendBuf = append(s.pendBuf[:0], t...)
			t = s.pendBuf
		}
		s.pend = t
		s.hadText = true
		return
	}
	s.closeOpen()
	if !s.pendOwned {
		s.pendBuf = append(s.pendBuf[:0], s.pend...)
		s.pendOwned = true
	}
	s.pendBuf = append(s.pendBuf, t...)
	s.pend = s.pendBuf
	s.pendClean = s.pendClean && clean
	s.hadText = true
}

// isSpace reports whether t is empty or white space only, as bytes.TrimSpace
// sees it (Unicode spaces included).
func isSpace(t []byte) bool {
	for i, c := range t {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if c < 0x80 {
			return false
		}
		return len(bytes.TrimSpace(t[i:])) == 0
	}
	return true
}

// flushText writes pending text; before markup its trailing white space
// goes, since a newline and indentation follow.
func (s *scanner) flushText(beforeMarkup bool) {
	if !s.pendSet {
		return
	}
	t := s.pend
	if beforeMarkup {
		t = bytes.TrimRight(t, " \t\r\n")
	}
	if s.pendClean {
		s.out = append(s.out, t...)
	} else {
		s.out = appendEscaped(s.out, t, false)
	}
	s.pendSet, s.pend = false, nil
}

func (s *scanner) closeOpen() {
	if s.open {
		s.out = append(s.out, '>')
		s.open = false
	}
}

const spaces = "                                                                " // 64

// newline starts a line indented for the open elements.
func (s *scanner) newline() {
	if !s.first {
		s.out = append(s.out, '\n')
	}
	s.first = false
	for n := 2 * len(s.stack); n > 0; n -= len(spaces) {
		s.out = append(s.out, spaces[:min(n, len(spaces))]...)
	}
}

// markup writes a comment, processing instruction or directive on a line
// of its own, copied as written.
func (s *scanner) markup(parts ...[]byte) {
	s.flushText(true)
	s.closeOpen()
	s.newline()
	for _, p := range parts {
		s.out = append(s.out, p...)
	}
	s.afterChild = true
}

// appendEscaped escapes what must be escaped; text keeps its newlines
// readable, attribute values escape them so they survive attribute
// normalisation.
func appendEscaped(dst, t []byte, attr bool) []byte {
	last := 0
	for i, c := range t {
		var esc string
		switch c {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		case '"':
			if attr {
				esc = "&quot;"
			}
		case '\n':
			if attr {
				esc = "&#xA;"
			}
		case '\t':
			if attr {
				esc = "&#x9;"
			}
		}
		if esc != "" {
			dst = append(dst, t[last:i]...)
			dst = append(dst, esc...)
			last = i + 1
		}
	}
	return append(dst, t[last:]...)
}
