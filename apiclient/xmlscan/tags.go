package xmlscan

import "fmt"

// startTag reads "<name attr="value"…>" or "…/>" at s.i.
func (s *scanner) startTag() error {
	b := s.b
	ns := s.i + 1
	ne, local, err := s.nsname(ns, "expected element name after <")
	if err != nil {
		return err
	}
	if len(s.stack) >= s.o.MaxDepth {
		return s.tooDeep(ns)
	}
	isLink := s.o.Link != nil && ne-local == 4 && string(b[local:ne]) == "link"
	if s.o.Indent {
		s.flushText(true)
		s.closeOpen()
		s.newline()
		s.out = append(s.out, '<')
		s.out = append(s.out, b[ns:ne]...)
	}
	var rel, href string
	empty := false
	i := ne
	for {
		i = s.skipSpace(i)
		if i >= len(b) {
			return s.eof()
		}
		if c := b[i]; c == '/' {
			if i+1 >= len(b) {
				return s.eof()
			}
			if b[i+1] != '>' {
				return s.errAt(i+1, "expected /> in element")
			}
			empty = true
			i += 2
			break
		} else if c == '>' {
			i++
			break
		}
		an := i
		ae, alocal, err := s.nsname(an, "expected attribute name in element")
		if err != nil {
			return err
		}
		i = s.skipSpace(ae)
		if i >= len(b) {
			return s.eof()
		}
		if b[i] != '=' {
			return s.errAt(i, "attribute name without = in element")
		}
		i = s.skipSpace(i + 1)
		if i >= len(b) {
			return s.eof()
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return s.errAt(i, "unquoted or missing attribute value in element")
		}
		vs := i + 1
		ve, decode, clean, err := s.attrValue(vs, q)
		if err != nil {
			return err
		}
		i = ve + 1
		if s.o.Indent {
			s.out = append(s.out, ' ')
			s.out = append(s.out, b[an:ae]...)
			s.out = append(s.out, '=', '"')
			if clean {
				s.out = append(s.out, b[vs:ve]...)
			} else {
				s.out = appendEscaped(s.out, s.value(vs, ve, decode), true)
			}
		}
		if isLink {
			switch string(b[alocal:ae]) {
			case "rel":
				rel = string(s.value(vs, ve, decode))
			case "href":
				href = string(s.value(vs, ve, decode))
			}
		}
		if s.o.Indent {
			s.out = append(s.out, '"')
		}
	}
	s.i = i
	s.stack = append(s.stack, span{ns, ne})
	if s.o.Indent {
		s.open, s.hadText, s.afterChild = true, false, false
	}
	if isLink && (rel != "" || href != "") {
		s.o.Link(rel, href)
	}
	if empty {
		s.closeElement()
	}
	return nil
}

// endTag reads "</name>" at s.i and checks it closes the innermost element.
func (s *scanner) endTag() error {
	b := s.b
	ns := s.i + 2
	var ne int
	if n := len(s.stack); n > 0 {
		// Most often it names the innermost element, already checked:
		// compare, then make sure the name ends there.
		top := s.stack[n-1]
		if e := ns + top.e - top.a; e < len(b) && string(b[ns:e]) == string(b[top.a:top.e]) && b[e] < 0x80 && !nameByte[b[e]] {
			ne = e
		}
	}
	if ne == 0 {
		var err error
		if ne, _, err = s.nsname(ns, "expected element name after </"); err != nil {
			return err
		}
	}
	i := s.skipSpace(ne)
	if i >= len(b) {
		return s.eof()
	}
	if b[i] != '>' {
		return s.errAt(i, "invalid characters between </"+string(b[ns:ne])+" and >")
	}
	if len(s.stack) == 0 {
		return s.errAt(ns, fmt.Sprintf("unexpected end element </%s>", b[ns:ne]))
	}
	top := s.stack[len(s.stack)-1]
	if string(b[top.a:top.e]) != string(b[ns:ne]) {
		return s.errAt(ns, fmt.Sprintf("element <%s> closed by </%s>", b[top.a:top.e], b[ns:ne]))
	}
	s.i = i + 1
	s.closeElement()
	return nil
}

// closeElement pops the innermost element and, when indenting, closes it:
// "/>" when it stayed empty, on the same line after text only, else on a
// line of its own.
func (s *scanner) closeElement() {
	top := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	if !s.o.Indent {
		return
	}
	s.flushText(false)
	switch {
	case s.open:
		s.out = append(s.out, '/', '>')
		s.open = false
	case s.hadText:
		s.out = append(s.out, '<', '/')
		s.out = append(s.out, s.b[top.a:top.e]...)
		s.out = append(s.out, '>')
	default:
		s.newline()
		s.out = append(s.out, '<', '/')
		s.out = append(s.out, s.b[top.a:top.e]...)
		s.out = append(s.out, '>')
	}
	s.hadText, s.afterChild = false, true
}

// nsname reads an element or attribute name at i, as encoding/xml's
// nsname does: a valid XML name with at most one colon. It returns where
// the name ends and where its local part starts (after "prefix:", when
// both sides are non-empty). missing is the error for no name at all.
func (s *scanner) nsname(i int, missing string) (end, local int, err error) {
	b := s.b
	j := i
	colons, colon := 0, 0
	ascii := true
	for ; j < len(b); j++ {
		c := b[j]
		if c >= 0x80 {
			ascii = false
			continue
		}
		if !nameByte[c] {
			break
		}
		if c == ':' {
			colons++
			colon = j
		}
	}
	if err := s.checkName(i, j, ascii, missing); err != nil {
		return 0, 0, err
	}
	if colons > 1 {
		return 0, 0, s.errAt(i, missing)
	}
	local = i
	if colons == 1 && colon > i && colon < j-1 {
		local = colon + 1
	}
	return j, local, nil
}

// name reads a name at i (a processing instruction's target: any number
// of colons) and returns where it ends.
func (s *scanner) name(i int, missing string) (int, error) {
	b := s.b
	j := i
	ascii := true
	for ; j < len(b); j++ {
		if c := b[j]; c >= 0x80 {
			ascii = false
		} else if !nameByte[c] {
			break
		}
	}
	return j, s.checkName(i, j, ascii, missing)
}

// checkName checks the name b[i:j] that encoding/xml's readName would take
// (ASCII name characters and any non-ASCII byte) as its isName checks it.
func (s *scanner) checkName(i, j int, ascii bool, missing string) error {
	b := s.b
	if j >= len(b) {
		return s.eof() // a name runs up to the byte after it
	}
	if j == i {
		return s.errAt(i, missing)
	}
	if ascii {
		if c := b[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == ':') {
			return s.errAt(i, "invalid XML name: "+string(b[i:j]))
		}
	} else if !s.nonASCIIName(b[i:j]) {
		return s.errAt(i, "invalid XML name: "+string(b[i:j]))
	}
	return nil
}

// nonASCIIName is isXMLName with the valid names remembered: a document
// repeats its few element names, and asking encoding/xml costs a Decoder.
func (s *scanner) nonASCIIName(name []byte) bool {
	if s.names[string(name)] {
		return true
	}
	if !isXMLName(name) {
		return false
	}
	if s.names == nil {
		s.names = map[string]bool{}
	}
	if len(s.names) < 1024 {
		s.names[string(name)] = true
	}
	return true
}

// attrValue reads a quoted value from vs up to the closing quote q and
// returns that quote's index; decode says it holds references or CRs to
// decode, clean that it can be written as it is between double quotes.
func (s *scanner) attrValue(vs int, q byte) (end int, decode, clean bool, err error) {
	b := s.b
	clean = true
	j := vs
	for j < len(b) {
		c := b[j]
		if attrPlain[c] {
			j++
			continue
		}
		switch {
		case c == q:
			return j, decode, clean, nil
		case c == '<':
			return 0, false, false, s.errAt(j, "unescaped < inside quoted string")
		case c == '&':
			_, k, err := s.entity(j)
			if err != nil {
				return 0, false, false, err
			}
			decode, clean = true, false
			j = k
		case c == '\r':
			decode, clean = true, false
			j++
		case c == '"' || c == '>' || c == '\t' || c == '\n':
			clean = false
			j++
		case c == '\'':
			j++
		case c >= 0x80:
			k, err := s.utf8At(j)
			if err != nil {
				return 0, false, false, err
			}
			j = k
		default:
			return 0, false, false, s.errAt(j, fmt.Sprintf("illegal character code %U", rune(c)))
		}
	}
	return 0, false, false, s.eof()
}

// value is the decoded attribute value b[vs:ve] (in s.dec when it needed
// decoding: use it before the next decode).
func (s *scanner) value(vs, ve int, decode bool) []byte {
	if !decode {
		return s.b[vs:ve]
	}
	s.dec = s.decode(s.dec[:0], vs, ve, false)
	return s.dec
}
