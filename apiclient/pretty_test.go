package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
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

func TestPrettyPrintXML(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8"?><!-- c --><account id="1" x:y="a&amp;&quot;b"><link rel="self" href="h?a=1&amp;b=2"/>` +
		`<name>Tom &amp; Jerry &lt;3</name><empty></empty>` + "\n  " + `<chat><event type="line"><text>hi</text></event></chat></account>`
	got, err := PrettyPrint([]byte(in), wire.XML)
	want := `<?xml version="1.0" encoding="UTF-8"?>
<!-- c -->
<account id="1" x:y="a&amp;&quot;b">
  <link rel="self" href="h?a=1&amp;b=2"/>
  <name>Tom &amp; Jerry &lt;3</name>
  <empty/>
  <chat>
    <event type="line">
      <text>hi</text>
    </event>
  </chat>
</account>
`
	if err != nil || string(got) != want {
		t.Fatalf("got %v\n%s\nwant\n%s", err, got, want)
	}
	// The output is the same document.
	var a, b struct {
		Name string `xml:"name"`
		Text string `xml:"chat>event>text"`
	}
	if xml.Unmarshal([]byte(in), &a) != nil || xml.Unmarshal(got, &b) != nil || a != b || a.Name != "Tom & Jerry <3" {
		t.Errorf("content changed: %+v vs %+v", a, b)
	}
	for _, bad := range []string{`<a><b></a>`, `<a>`, `<a>&custom;</a>`} {
		if _, err := PrettyPrint([]byte(bad), wire.XML); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if got, err := PrettyPrint([]byte("plain"), ""); err != nil || string(got) != "plain" {
		t.Errorf("unknown format: %q %v", got, err)
	}
}

func TestXMLEscape(t *testing.T) {
	if got := XMLEscape(`a & b < c > "d"`); got != `a &amp; b &lt; c &gt; &#34;d&#34;` {
		t.Errorf("XMLEscape = %q", got)
	}
	el := XMLElement("description", "R&D <team>")
	var v struct {
		XMLName xml.Name `xml:"description"`
		Text    string   `xml:",chardata"`
	}
	if err := xml.Unmarshal([]byte(el), &v); err != nil || v.Text != "R&D <team>" {
		t.Errorf("XMLElement %q: %v %q", el, err, v.Text)
	}
}

func TestDiscoverUnit(t *testing.T) {
	ctx := context.Background()
	target := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "1" {
			w.WriteHeader(400)
			return
		}
		w.WriteHeader(http.StatusUnauthorized) // unsigned: the URL is still the answer
	})
	global := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/account/42":
			http.Redirect(w, r, target.URL+"/api/account/42?v=1", http.StatusFound)
		case "/api/account/7":
			http.Redirect(w, r, "http://example.com/api/account/7", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(404)
			w.Write(wire.Error{Message: "no account", InternalCode: wire.CodeNotFound}.Marshal(wire.XML))
		}
	})
	got, err := Discover(ctx, nil, global.URL, "42")
	if err != nil || got.Account != target.URL+"/api/account/42" || len(got.Services) != 0 {
		t.Fatalf("Discover = %q %v", got, err)
	}
	if _, err := Discover(ctx, nil, global.URL, "7"); !errors.Is(err, ErrUnsafeRedirect) {
		t.Errorf("redirect to plain http elsewhere: %v", err)
	}
	_, err = Discover(ctx, global.Client(), global.URL, "99")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 404 || ae.InternalCode != wire.CodeNotFound {
		t.Errorf("unknown account: %v", err)
	}
	if global.Client().CheckRedirect != nil {
		t.Error("Discover changed the caller's client")
	}
	for _, id := range []string{"", "1/2", "1?x"} {
		if _, err := Discover(ctx, nil, global.URL, id); err == nil {
			t.Errorf("account id %q accepted", id)
		}
	}
}

// bigJSON and bigXML are ~20 MB collections for the benchmarks.
func bigBodies() (js, x []byte) {
	var j, b strings.Builder
	j.WriteString(`{"skills":{"link":{"@rel":"self","@href":"h"},"skill":[`)
	b.WriteString(`<skills><link rel="self" href="h"/>`)
	for i := 0; j.Len() < 20<<20; i++ {
		if i > 0 {
			j.WriteByte(',')
		}
		fmt.Fprintf(&j, `{"@id":"%d","name":"Skill %d","description":"text & more","link":{"@rel":"self","@href":"https://s/skills/%d"}}`, i, i, i)
		fmt.Fprintf(&b, `<skill id="%d"><name>Skill %d</name><description>text &amp; more</description><link rel="self" href="https://s/skills/%d"/></skill>`, i, i, i)
	}
	j.WriteString("]}}")
	b.WriteString("</skills>")
	return []byte(j.String()), []byte(b.String())
}

func BenchmarkPrettyPrint20MB(b *testing.B) {
	js, x := bigBodies()
	for _, tc := range []struct {
		f    wire.Format
		body []byte
	}{{wire.JSON, js}, {wire.XML, x}} {
		b.Run(string(tc.f), func(b *testing.B) {
			b.SetBytes(int64(len(tc.body)))
			for b.Loop() {
				if _, err := PrettyPrint(tc.body, tc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
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
	got, gerr := prettyJSON([]byte(in))
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
