package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

var corpus = []string{
	`{"a":{"link":[{"@rel":"self","@href":"h"}],"n":"1"}}`,
	` [ 1 , -2.5e+3 , true , false , null , "s\"\\\u00e9" , { } , [ ] , {"k":[[]]} ] `,
	`"just a string"`, `0`, `-0.0e-0`, `{"a":1}x`, `{"a":01}`, `{"a":}`, `[1,]`, `{"a" 1}`, `{"a":"` + "\x01" + `"}`,
	`{"a":"\x"}`, `{"a":"\u12"}`, `[`, `"unterminated`, `nul`, `{"a":"é\xff"}`, "{\"a\":\n\t1\r}",
	`-`, `1.`, `1e`, `1e+`, `.5`, `+1`, `[1 2]`, `{"a":1,}`, `{,}`, `{"a":1 "b":2}`, `[}`, `{]`, `}`, ``, `  `,
	`tru`, `truex`, `[true,false,null]`, `"\/\b\f\n\r\t\uABCD"`, `{"":""}`, `[[[[]]]]`, `{"a":[{"b":{"c":[]}}]}`,
}

func tokens(b []byte) ([]Kind, error) {
	s := New(b)
	var out []Kind
	for {
		t, err := s.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, t.Kind)
	}
}

// refTokens is encoding/json's reading of the same document, as kinds.
func refTokens(b []byte) []Kind {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out []Kind
	var stack []bool // in object
	key := false     // the next string is a key
	for {
		t, err := d.Token()
		if err != nil {
			return out
		}
		switch v := t.(type) {
		case json.Delim:
			switch v {
			case '{':
				out, stack = append(out, ObjectStart), append(stack, true)
			case '[':
				out, stack = append(out, ArrayStart), append(stack, false)
			case '}':
				out, stack = append(out, ObjectEnd), stack[:len(stack)-1]
			case ']':
				out, stack = append(out, ArrayEnd), stack[:len(stack)-1]
			}
		case string:
			if len(stack) > 0 && stack[len(stack)-1] && key {
				out = append(out, Key)
			} else {
				out = append(out, String)
			}
		case json.Number:
			out = append(out, Number)
		case bool:
			if v {
				out = append(out, True)
			} else {
				out = append(out, False)
			}
		case nil:
			out = append(out, Null)
		}
		key = len(stack) > 0 && stack[len(stack)-1] && (out[len(out)-1] != Key)
	}
}

// checkAgainstEncodingJSON: the scanner accepts exactly what json.Valid
// accepts (below MaxDepth), with the same tokens.
func checkAgainstEncodingJSON(t *testing.T, in string) {
	t.Helper()
	got, err := tokens([]byte(in))
	if errors.Is(err, ErrTooDeep) {
		if strings.Count(in, "[")+strings.Count(in, "{") <= MaxDepth {
			t.Fatalf("%q: too deep with at most %d brackets", in, MaxDepth)
		}
		return
	}
	if valid := json.Valid([]byte(in)); valid != (err == nil) {
		t.Fatalf("%q: scanner error %v, json.Valid %v", in, err, valid)
	}
	var se *SyntaxError
	if err != nil && (!errors.As(err, &se) || se.Offset < 0 || se.Offset > len(in)) {
		t.Fatalf("%q: error %v is not a SyntaxError within the document", in, err)
	}
	if err == nil {
		want := refTokens([]byte(in))
		if len(got) != len(want) {
			t.Fatalf("%q: tokens %v, encoding/json %v", in, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%q: tokens %v, encoding/json %v", in, got, want)
			}
		}
	}
}

func TestScannerMatchesEncodingJSON(t *testing.T) {
	for _, in := range corpus {
		checkAgainstEncodingJSON(t, in)
	}
}

func FuzzScanner(f *testing.F) {
	for _, in := range corpus {
		f.Add(in)
	}
	f.Fuzz(checkAgainstEncodingJSON)
}

func TestDepthBound(t *testing.T) {
	at := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if err := Check([]byte(at)); err != nil {
		t.Errorf("%d levels: %v", MaxDepth, err)
	}
	over := strings.Repeat(`{"a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1)
	err := Check([]byte(over))
	if !errors.Is(err, ErrTooDeep) || !strings.Contains(err.Error(), "512") {
		t.Errorf("%d levels: %v", MaxDepth+1, err)
	}
}

func TestErrorOffsets(t *testing.T) {
	for in, off := range map[string]int{
		"{\"a\":\n  {\"b\": tru}}": 17, // at the byte "true" wanted
		`{"a" 1}`:                  5,
		`{"a": {`:                  7, // the end
		`{"a":{}} x`:               9,
		`["a"`:                     4,
		`"ab`:                      3,
		"\"a\x01\"":                2,
		"[-A]":                     2, // the byte after the sign
		"[01]":                     2,
		`"\0"`:                     2, // the escaped character
		`"\u12x4"`:                 5, // the first non-hex digit
	} {
		var se *SyntaxError
		if err := Check([]byte(in)); !errors.As(err, &se) || se.Offset != off {
			t.Errorf("%q: %v, want offset %d", in, err, off)
		}
	}
}

func TestSkip(t *testing.T) {
	b := []byte(`{"skip":[1,{"a":[2]},3],"keep":"x"}`)
	s := New(b)
	s.Next() // {
	s.Next() // "skip"
	v, _ := s.Next()
	if err := s.Skip(v); err != nil {
		t.Fatal(err)
	}
	if k, _ := s.Next(); k.Kind != Key || !Is(b, k, "keep") {
		t.Errorf("after Skip: %+v", k)
	}
}
