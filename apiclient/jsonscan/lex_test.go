package jsonscan

import (
	"testing"
)

func TestText(t *testing.T) {
	b := []byte(`["plain","es\"c\u00e9","caf` + "\xe9" + `",-1.5e3,true,false,null,{}]`)
	s := New(b)
	var got []string
	for {
		tok, err := s.Next()
		if err != nil {
			break
		}
		if tok.Kind != ArrayStart && tok.Kind != ArrayEnd && tok.Kind != ObjectEnd {
			got = append(got, Text(b, tok))
		}
	}
	want := []string{"plain", `es"cé`, "caf\uFFFD", "-1.5e3", "true", "false", "", ""}
	if len(got) != len(want) {
		t.Fatalf("%q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("token %d: %q, want %q", i, got[i], want[i])
		}
	}
	if !Is([]byte(`"\u006cink"`), Token{Kind: Key, End: 11, Escaped: true}, "link") || Is([]byte(`"links"`), Token{Kind: Key, End: 7}, "link") {
		t.Error("Is")
	}
}

// The lexical pieces find a token's end in a string as in bytes, and a
// string's end even where it is malformed (for colouring one row).
func TestLexicalPieces(t *testing.T) {
	for _, c := range []struct {
		in       string
		end, bad int
		escaped  bool
	}{
		{`"ab" x`, 4, -1, false},
		{`"a\"b"`, 6, -1, true},
		{`"a\qb"`, 6, 3, true},
		{`"open`, 5, 5, false},
		{"\"a\tb\"", 5, 2, false},
		{`"\u12"`, 6, 5, true},
	} {
		end, esc, bad := stringEnd([]byte(c.in), 0)
		if end != c.end || esc != c.escaped || bad != c.bad {
			t.Errorf("stringEnd(%q) = %d %v %d, want %d %v %d", c.in, end, esc, bad, c.end, c.escaped, c.bad)
		}
		if q := QuoteEnd([]byte(c.in), 0); q != end {
			t.Errorf("QuoteEnd(%q) = %d, want %d", c.in, q, end)
		}
	}
	for in, want := range map[string]int{`"a\\"b"`: 5, `"a\\\"b"`: 8, `"\\\\"`: 6, `""`: 2, `"`: 1} {
		if q := QuoteEnd([]byte(in), 0); q != want {
			t.Errorf("QuoteEnd(%q) = %d, want %d", in, q, want)
		}
	}
	if n := NumberEnd([]byte("-1.5e+3,"), 0); n != 7 {
		t.Errorf("NumberEnd = %d", n)
	}
	if k, n, _ := Literal([]byte("false]"), 0); k != False || n != 5 {
		t.Errorf("Literal(false) = %v %d", k, n)
	}
	if k, _, bad := Literal([]byte("nul}"), 0); k != 0 || bad != 3 {
		t.Errorf("Literal(nul}) = %v bad %d", k, bad)
	}
}

func TestPosition(t *testing.T) {
	b := []byte("ab\n  é x\n")
	for off, want := range map[int][2]int{0: {1, 1}, 2: {1, 3}, 3: {2, 1}, 7: {2, 4}, 8: {2, 5}, 100: {3, 1}, -1: {1, 1}} {
		if l, c := Position(b, off); l != want[0] || c != want[1] {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", off, l, c, want[0], want[1])
		}
	}
}
