package xmlscan

import (
	"bytes"
	"encoding/xml"
	"fmt"
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
