package xmlscan

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

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
