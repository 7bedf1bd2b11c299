package xmlscan

import (
	"bytes"
	"fmt"
	"strings"
)

// bang reads what starts with "<!": a comment, a CDATA section or a
// directive such as a DOCTYPE.
func (s *scanner) bang() error {
	b := s.b
	i := s.i + 2
	if i >= len(b) {
		return s.eof()
	}
	switch b[i] {
	case '-':
		if i+1 >= len(b) {
			return s.eof()
		}
		if b[i+1] != '-' {
			return s.errAt(i, "invalid sequence <!- not part of <!--")
		}
		return s.comment(i + 2)
	case '[':
		for k := range len("CDATA[") {
			if i+1+k >= len(b) {
				return s.eof()
			}
			if b[i+1+k] != "CDATA["[k] {
				return s.errAt(i+1+k, "invalid <![ sequence")
			}
		}
		return s.cdata()
	}
	return s.directive(i)
}

// comment reads a comment whose text starts at ds; the text is copied as
// written.
func (s *scanner) comment(ds int) error {
	b := s.b
	k := bytes.Index(b[ds:], []byte("--"))
	if k < 0 {
		return s.eof()
	}
	de := ds + k
	if de+2 >= len(b) {
		return s.eof()
	}
	if b[de+2] != '>' {
		return s.errAt(de, `invalid sequence "--" not allowed in comments`)
	}
	s.i = de + 3
	if s.o.Indent {
		s.markup([]byte("<!--"), b[ds:de], []byte("-->"))
	}
	return nil
}

// procInst reads "<?target data?>"; data is copied as written. An XML
// declaration must say version 1.0 (or none) and UTF-8 (or no encoding), as
// encoding/xml requires without a CharsetReader.
func (s *scanner) procInst() error {
	b := s.b
	ts := s.i + 2
	te, err := s.name(ts, "expected target name after <?")
	if err != nil {
		return err
	}
	ds := s.skipSpace(te)
	k := bytes.Index(b[ds:], []byte("?>"))
	if k < 0 {
		return s.eof()
	}
	de := ds + k
	target, data := b[ts:te], b[ds:de]
	if string(target) == "xml" {
		content := string(data)
		if ver := procInstParam("version", content); ver != "" && ver != "1.0" {
			return s.errAt(ts, fmt.Sprintf("unsupported version %q; only version 1.0 is supported", ver))
		}
		if enc := procInstParam("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
			return s.errAt(ts, fmt.Sprintf("encoding %q declared: only UTF-8 is read", enc))
		}
	}
	s.i = de + 2
	if s.o.Indent {
		var sep []byte
		if len(data) > 0 {
			sep = []byte{' '}
		}
		s.markup([]byte("<?"), target, sep, data, []byte("?>"))
	}
	return nil
}

// procInstParam is encoding/xml's procInst: the value of param="…" in a
// processing instruction, found the way it finds it.
func procInstParam(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// directive reads "<!…>" from its first byte at i, as encoding/xml reads
// it: quoted '>' and nested <…> do not end it, and a comment inside
// becomes one space.
func (s *scanner) directive(i int) error {
	b := s.b
	buf := []byte{b[i]}
	j := i + 1
	var inquote byte
	depth := 0
	next := func() (byte, bool) {
		if j >= len(b) {
			return 0, false
		}
		j++
		return b[j-1], true
	}
	for {
		c, ok := next()
		if !ok {
			return s.eof()
		}
		if inquote == 0 && c == '>' && depth == 0 {
			break
		}
	handle:
		buf = append(buf, c)
		switch {
		case c == inquote:
			inquote = 0
		case inquote != 0:
		case c == '\'' || c == '"':
			inquote = c
		case c == '>':
			depth--
		case c == '<':
			const open = "!--"
			for k := range len(open) {
				if c, ok = next(); !ok {
					return s.eof()
				}
				if c != open[k] {
					buf = append(buf, open[:k]...)
					depth++
					goto handle
				}
			}
			buf = buf[:len(buf)-1] // the '<'
			var b0, b1 byte
			for {
				if c, ok = next(); !ok {
					return s.eof()
				}
				if b0 == '-' && b1 == '-' && c == '>' {
					break
				}
				b0, b1 = b1, c
			}
			buf = append(buf, ' ')
		}
	}
	s.i = j
	if s.o.Indent {
		s.markup([]byte("<!"), buf, []byte(">"))
	}
	return nil
}
