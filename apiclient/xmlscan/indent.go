package xmlscan

import "bytes"

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
