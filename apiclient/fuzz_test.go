package apiclient

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Fuzz targets for what the client does with response bodies. Seeds live in
// testdata/fuzz/<target>/ (FuzzPrettyJSON, in prettyjson_test.go, also takes its
// table as seeds).

// xmlTokens is the strict token stream of an XML document with text
// trimmed and whitespace-only text dropped: what PrettyPrint must keep.
func xmlTokens(body []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var out []string
	var text []byte // adjacent text (CDATA included) is one run
	endText := func() {
		if s := string(bytes.TrimSpace(text)); s != "" {
			out = append(out, "text:"+s)
		}
		text = text[:0]
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			endText()
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if cd, ok := tok.(xml.CharData); ok {
			text = append(text, cd...)
			continue
		}
		endText()
		switch t := tok.(type) {
		case xml.StartElement:
			out = append(out, fmt.Sprintf("start:%v%v", t.Name, t.Attr))
		default:
			out = append(out, fmt.Sprintf("%T:%v", tok, tok))
		}
	}
}

// FuzzPrettyXML: PrettyPrint never panics on XML; it succeeds only on a
// well-formed document (as encoding/xml's strict Token sees it) and then
// yields the same document, modulo whitespace between elements, which
// pretty-prints to itself. Its output and links are those of the
// encoding/xml implementations the scanner replaced.
func FuzzPrettyXML(f *testing.F) {
	for _, in := range xmlCorpus {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkXMLAgainstDecoder(t, body)
		out, err := PrettyPrint(body, wire.XML)
		if err != nil {
			if errors.Is(err, wire.ErrTooDeep) && bytes.Count(body, []byte("<")) < MaxPrettyDepth {
				t.Fatalf("too deep with %d elements: %v", bytes.Count(body, []byte("<")), err)
			}
			return
		}
		want, werr := xmlTokens(body)
		if werr != nil {
			t.Fatalf("PrettyPrint accepted %q, which encoding/xml refuses: %v\nout: %q", body, werr, out)
		}
		got, gerr := xmlTokens(out)
		if gerr != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q\npretty-printed to %q (%v)\nwant %q\ngot  %q", body, out, gerr, want, got)
		}
		again, err := PrettyPrint(out, wire.XML)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q → %q (%v)", out, again, err)
		}
	})
}
