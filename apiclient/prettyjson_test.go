package apiclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestPrettyPrintJSON(t *testing.T) {
	got, err := PrettyPrint([]byte(`{"a":{"link":[{"@rel":"self","@href":"h"}],"n":"1"}}`), wire.JSON)
	want := `{
  "a": {
    "link": [
      {
        "@rel": "self",
        "@href": "h"
      }
    ],
    "n": "1"
  }
}
`
	if err != nil || string(got) != want {
		t.Fatalf("got %v\n%s", err, got)
	}
	if _, err := PrettyPrint([]byte(`{"a":`), wire.JSON); err == nil {
		t.Error("malformed JSON accepted")
	}
}

var prettyCorpus = []string{
	`{"a":{"link":[{"@rel":"self","@href":"h"}],"n":"1"}}`,
	` [ 1 , -2.5e+3 , true , false , null , "s\"\\\u00e9" , { } , [ ] , {"k":[[]]} ] `,
	`"just a string"`, `0`, `{"a":1}x`, `{"a":01}`, `{"a":}`, `[1,]`, `{"a" 1}`, `{"a":"` + "\x01" + `"}`,
	`{"a":"\x"}`, `{"a":"\u12"}`, `[`, `"unterminated`, `nul`, `{"a":"é\xff"}`, "{\"a\":\n\t1\r}",
}

func TestPrettyJSONMatchesIndent(t *testing.T) {
	for _, in := range prettyCorpus {
		checkPrettyJSON(t, in)
	}
}

func checkPrettyJSON(t *testing.T, in string) {
	t.Helper()
	got, gerr := prettyJSON(nil, []byte(in))
	// Streamed to a writer (as WritePretty does), the output is the same.
	var streamed bytes.Buffer
	if _, serr := prettyJSON(&streamed, []byte(in)); (serr == nil) != (gerr == nil) || gerr == nil && !bytes.Equal(streamed.Bytes(), got) {
		t.Fatalf("%q: streamed %v %q, in one slice %v %q", in, serr, streamed.Bytes(), gerr, got)
	}
	// Our bounds are tighter than json.Indent's: past them, only check that
	// the input really is that deep or that large an expansion.
	if errors.Is(gerr, wire.ErrTooDeep) {
		if strings.Count(in, "[")+strings.Count(in, "{") < MaxPrettyDepth {
			t.Fatalf("%q: too deep with fewer than %d brackets: %v", in, MaxPrettyDepth, gerr)
		}
		return
	}
	if errors.Is(gerr, ErrPrettyTooLarge) {
		var ind bytes.Buffer
		if json.Indent(&ind, []byte(in), "", "  ") == nil && ind.Len() <= maxPrettyOutput(len(in)) {
			t.Fatalf("%q: too large, but json.Indent gives %d bytes: %v", in, ind.Len(), gerr)
		}
		return
	}
	var want bytes.Buffer
	werr := json.Indent(&want, []byte(in), "", "  ")
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%q: ours %v, json.Indent %v", in, gerr, werr)
	}
	if gerr == nil && string(bytes.TrimSpace(got)) != string(bytes.TrimSpace(want.Bytes())) {
		t.Fatalf("%q:\nours\n%s\njson.Indent\n%s", in, got, want.Bytes())
	}
}

func FuzzPrettyJSON(f *testing.F) {
	for _, in := range prettyCorpus {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) { checkPrettyJSON(t, in) })
}

// The JSON output buffer is sized from the body once: large enough that the
// indenter never regrows it, and not much larger than what it needs.
func TestPrettyJSONSized(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"user":[`)
	for i := range 500 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"user \"%d\"","skills":[1,2,{"a":[]}],"link":{"@rel":"self","@href":"https://x/users/%d"}}`, i, i, i)
	}
	b.WriteString(`],"empty":{}}`)
	for _, body := range []string{b.String(), `[]`, `"x"`, `{"a" : [ 1 , 2 ] }`} {
		out, err := PrettyPrint([]byte(body), wire.JSON)
		if err != nil {
			t.Fatal(err)
		}
		est := prettyJSONSize([]byte(body))
		if est < len(out) || est > len(out)+len(out)/10+16 {
			t.Errorf("body of %d bytes: estimate %d for %d bytes of output", len(body), est, len(out))
		}
		if cap(out) != est {
			t.Errorf("output capacity %d, estimate %d: the buffer was regrown", cap(out), est)
		}
	}
}
