package widget

import (
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/jsonscan"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// tokKind classifies a run of characters for colouring.
type tokKind int

const (
	tokPlain tokKind = iota
	tokKey
	tokString
	tokNumber
	tokLiteral
	tokTag
	tokAttr
	tokComment
)

// seg is a coloured run of one row.
type seg struct {
	text string
	kind tokKind
}

// colorize splits one row of pretty-printed JSON or XML into coloured
// runs. It looks at the row alone: a string cut across rows is coloured
// approximately, which is acceptable for display.
func colorize(line string, f wire.Format) []seg {
	switch f {
	case wire.JSON:
		return colorJSON(line)
	case wire.XML:
		return colorXML(line)
	}
	return []seg{{line, tokPlain}}
}

// colorJSON finds token ends with the JSON scanner's lexical pieces,
// unchecked: a row is a fragment of a document.
func colorJSON(line string) []seg {
	b := []byte(line)
	var out []seg
	add := func(s string, k tokKind) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].kind == k {
			out[n-1].text += s
			return
		}
		out = append(out, seg{s, k})
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '"':
			j, k := jsonscan.QuoteEnd(b, i), tokString
			if r := jsonscan.SpaceEnd(b, j); r < len(b) && b[r] == ':' {
				k = tokKey
			}
			add(line[i:j], k)
			i = j
		case c == '-' || '0' <= c && c <= '9':
			j := jsonscan.NumberEnd(b, i)
			add(line[i:j], tokNumber)
			i = j
		default: // a literal, or punctuation and space up to what may start a token
			k, j := tokLiteral, 0
			if _, n, _ := jsonscan.Literal(b, i); n > 0 {
				j = i + n
			} else if k, j = tokPlain, strings.IndexAny(line[i+1:], `"-0123456789tfn`); j < 0 {
				j = len(line)
			} else {
				j += i + 1
			}
			add(line[i:j], k)
			i = j
		}
	}
	return out
}

func colorXML(line string) []seg {
	var out []seg
	add := func(s string, k tokKind) {
		if s != "" {
			out = append(out, seg{s, k})
		}
	}
	i := 0
	for i < len(line) {
		if strings.HasPrefix(line[i:], "<!--") {
			j := strings.Index(line[i:], "-->")
			if j < 0 {
				add(line[i:], tokComment)
				break
			}
			add(line[i:i+j+3], tokComment)
			i += j + 3
			continue
		}
		if line[i] != '<' {
			j := strings.IndexByte(line[i:], '<')
			if j < 0 {
				j = len(line) - i
			}
			add(line[i:i+j], tokPlain)
			i += j
			continue
		}
		// A tag: its name, then attributes name="value", then > or />.
		j := i + 1
		for j < len(line) && strings.IndexByte(" \t/>", line[j]) < 0 {
			j++
		}
		add(line[i:j], tokTag)
		i = j
		for i < len(line) {
			c := line[i]
			if c == '>' || strings.HasPrefix(line[i:], "/>") || strings.HasPrefix(line[i:], "?>") {
				n := 1
				if c != '>' {
					n = 2
				}
				add(line[i:i+n], tokTag)
				i += n
				break
			}
			if c == '"' || c == '\'' {
				k := strings.IndexByte(line[i+1:], c)
				e := len(line)
				if k >= 0 {
					e = i + 1 + k + 1
				}
				add(line[i:e], tokString)
				i = e
				continue
			}
			if c == ' ' || c == '=' || c == '\t' {
				add(line[i:i+1], tokPlain)
				i++
				continue
			}
			k := i
			for k < len(line) && strings.IndexByte(" \t=/>\"'", line[k]) < 0 {
				k++
			}
			if k == i {
				k++
			}
			add(line[i:k], tokAttr)
			i = k
		}
	}
	return out
}
