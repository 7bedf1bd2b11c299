package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestExtractLinksJSON(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		want []Link
	}{
		"array with @": {`{"account":{"@id":"1","link":[{"@rel":"self","@href":"https://s/a"},{"@rel":"chat-request","@href":"https://s/a/chat/request"}]}}`,
			[]Link{{"self", "https://s/a"}, {"chat-request", "https://s/a/chat/request"}}},
		"single object": {`{"events":{"link":{"@rel":"next","@href":"https://s/e?from=2"},"event":{"@id":"1","text":"link"}}}`,
			[]Link{{"next", "https://s/e?from=2"}}},
		"without @": {`{"chat":{"link":[{"rel":"self","href":"h1"},{"href":"h2","rel":"events"}]}}`,
			[]Link{{"self", "h1"}, {"events", "h2"}}},
		"nested and several": {`{"a":[{"link":{"@rel":"x","@href":"1"}},{"b":{"link":[{"@rel":"y","@href":"2"}]}}],"link":{"rel":"z","href":"3"}}`,
			[]Link{{"x", "1"}, {"y", "2"}, {"z", "3"}}},
		"escaped key": {`{"\u006cink":{"@rel":"self","@href":"h"}}`, []Link{{"self", "h"}}},
		"not links":   {`{"links":{"@rel":"a","@href":"b"},"link":"text","x":{"rel":"no","href":"no"}}`, nil},
		"no link":     {`{"availability":true}`, nil},
	} {
		got, err := ExtractLinks([]byte(tc.body), JSON)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v %v, want %v", name, got, err, tc.want)
		}
	}
}

func TestExtractLinksXML(t *testing.T) {
	body := `<?xml version="1.0"?>
<account id="12345678">
  <link rel="self" href="https://server.example/api/account/12345678"/>
  <chat><link rel="events" href="https://s/e?a=1&amp;b=2"></link></chat>
  <linkage rel="no" href="no"/>
</account>`
	got, err := ExtractLinks([]byte(body), XML)
	want := []Link{{"self", "https://server.example/api/account/12345678"}, {"events", "https://s/e?a=1&b=2"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v %v", got, err)
	}
}

func TestExtractLinksHostile(t *testing.T) {
	deepJSON := strings.Repeat(`{"link":`, MaxLinkDepth+1) + "1" + strings.Repeat("}", MaxLinkDepth+1)
	if _, err := ExtractLinks([]byte(deepJSON), JSON); !errors.Is(err, ErrTooDeep) {
		t.Errorf("deep JSON: %v", err)
	}
	deepArr := strings.Repeat(`[`, 100000) + strings.Repeat("]", 100000)
	if _, err := ExtractLinks([]byte(`{"link":`+deepArr+`}`), JSON); err == nil {
		t.Error("deep JSON array accepted")
	}
	deepXML := strings.Repeat(`<link rel="a" href="b">`, MaxLinkDepth+1) + strings.Repeat("</link>", MaxLinkDepth+1)
	if _, err := ExtractLinks([]byte(deepXML), XML); !errors.Is(err, ErrTooDeep) {
		t.Errorf("deep XML: %v", err)
	}
	// A custom entity is an error, never expanded.
	bomb := `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "xxxxxxxxxx"><!ENTITY b "&a;&a;&a;&a;">]><r><link rel="&b;" href="h"/></r>`
	got, err := ExtractLinks([]byte(bomb), XML)
	if err == nil || len(got) != 0 {
		t.Errorf("entity: got %v, %v", got, err)
	}
	// Malformed: links before the fault are still returned.
	got, err = ExtractLinks([]byte(`{"link":[{"@rel":"a","@href":"1"}, {"@rel":`), JSON)
	if err == nil || len(got) != 1 {
		t.Errorf("truncated JSON: %v %v", got, err)
	}
	if _, err := ExtractLinks([]byte(`{"link":{}} trailing`), JSON); err == nil {
		t.Error("trailing garbage accepted")
	}
	if _, err := ExtractLinks([]byte(`link`), Format("yaml")); err == nil {
		t.Error("unknown format accepted")
	}
}

func BenchmarkExtractLinks20MB(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"skills":{"link":{"@rel":"self","@href":"h"},"skill":[`)
	for i := 0; sb.Len() < 20<<20; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"@id":"%d","name":"Skill number %d","description":"some text here","link":[{"@rel":"self","@href":"https://s/skills/%d"}]}`, i, i, i)
	}
	sb.WriteString("]}}")
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ExtractLinks(body, JSON); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractLinksXML20MB(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<skills><link rel="self" href="h"/>`)
	for i := 0; sb.Len() < 20<<20; i++ {
		fmt.Fprintf(&sb, `<skill id="%d"><name>Skill number %d</name><description>some text here</description><link rel="self" href="https://s/skills/%d"/></skill>`, i, i, i)
	}
	sb.WriteString("</skills>")
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ExtractLinks(body, XML); err != nil {
			b.Fatal(err)
		}
	}
}

// tokenLinks is a reference implementation on json.Decoder.Token: slow but
// obviously right, to check the byte scanner against.
func tokenLinks(body []byte) ([]Link, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var links []Link
	var walk func(tok json.Token, inLink bool) error
	walk = func(tok json.Token, inLink bool) error {
		delim, ok := tok.(json.Delim)
		if !ok {
			return nil
		}
		if delim == '[' {
			for d.More() {
				t, err := d.Token()
				if err != nil {
					return err
				}
				if err := walk(t, inLink); err != nil {
					return err
				}
			}
			_, err := d.Token()
			return err
		}
		var l Link
		for d.More() {
			kt, err := d.Token()
			if err != nil {
				return err
			}
			key := kt.(string)
			vt, err := d.Token()
			if err != nil {
				return err
			}
			if inLink {
				var v string
				switch x := vt.(type) {
				case string:
					v = x
				case json.Number:
					v = x.String()
				case bool:
					v = fmt.Sprint(x)
				}
				switch key {
				case "@rel", "rel":
					l.Rel = v
				case "@href", "href":
					l.Href = v
				}
			}
			if err := walk(vt, key == "link"); err != nil {
				return err
			}
		}
		if _, err := d.Token(); err != nil {
			return err
		}
		if inLink && (l.Rel != "" || l.Href != "") {
			links = append(links, l)
		}
		return nil
	}
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	if err := walk(tok, false); err != nil {
		return links, err
	}
	if _, err := d.Token(); err != io.EOF {
		return links, errors.New("trailing data")
	}
	return links, nil
}

var jsonCorpus = []string{
	`{"account":{"@id":"1","link":[{"@rel":"self","@href":"https://s/a"},{"@rel":"chat-request","@href":"https://s/a/chat/request"}]}}`,
	`{"events":{"link":{"@rel":"next","@href":"https://s/e?from=2"},"event":{"@id":"1","text":"link"}}}`,
	`{"link":{"rel":1.5e3,"href":true}}`,
	`{"link":[{"rel":"a\"b\\c\u00e9\ud83d\ude00","href":"\/x"}, [ {"rel":"in","href":"nested array"} ], "s", 1, null]}`,
	` [ {"link" : { "rel" : "x" , "href" : "y" } } , {} , [] ] `,
	`{"link":{"rel":"outer","link":{"rel":"inner","href":"i"},"href":"o"}}`,
	`{"a":-0.5,"b":[true,false,null],"link":{}}`,
	`{"link":[{"@rel":"a","@href":"1"}, {"@rel":`,
	`{"link":{"rel":"x"}} x`,
	`{"link":{"rel":01}}`,
	`{"link":{"rel":"a` + "\x01" + `"}}`,
	`{"link" {"rel":"x"}}`,
	`{"link":[{"rel":"x"},]}`,
	`nul`,
	``,
}

func TestJSONScannerMatchesTokenDecoder(t *testing.T) {
	for _, body := range jsonCorpus {
		got, gerr := jsonLinks([]byte(body))
		want, werr := tokenLinks([]byte(body))
		if (gerr == nil) != (werr == nil) || (gerr == nil && !reflect.DeepEqual(got, want)) {
			t.Errorf("%s:\n scanner %v %v\n decoder %v %v", body, got, gerr, want, werr)
		}
	}
}

func FuzzJSONLinks(f *testing.F) {
	for _, b := range jsonCorpus {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if strings.Count(body, "[")+strings.Count(body, "{") > MaxLinkDepth/2 {
			return
		}
		got, gerr := jsonLinks([]byte(body))
		want, werr := tokenLinks([]byte(body))
		if (gerr == nil) != (werr == nil) || (gerr == nil && !reflect.DeepEqual(got, want)) {
			t.Errorf("%q:\n scanner %v %v\n decoder %v %v", body, got, gerr, want, werr)
		}
	})
}
