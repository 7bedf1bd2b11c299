package apiclient

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

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

// A caller that shows the body asks Do for no links and takes them from
// WritePretty's pass instead: the same links Do would have found, and the
// same text PrettyPrint gives, for both formats and for a body in neither.
func TestWritePrettyWithNoLinks(t *testing.T) {
	bodies := map[wire.Format]string{
		wire.JSON: `{"account":{"link":[{"@rel":"self","@href":"h1"},{"@rel":"chat","@href":"h2"}],"name":"x"}}`,
		wire.XML:  `<account><link rel="self" href="h1"/><name>x</name><link rel="chat" href="h2"/></account>`,
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		f := wire.Format(strings.TrimPrefix(r.URL.Path, "/api/account/12345678/"))
		w.Header().Set("Content-Type", f.ContentType())
		w.Write([]byte(bodies[f]))
	})
	c := newTestClient(t, srv.URL, nil)
	for f, body := range bodies {
		full, err := c.Get(context.Background(), string(f), nil)
		if err != nil || len(full.Links()) != 2 {
			t.Fatalf("%s: %v %v", f, err, full)
		}
		resp, err := c.Do(context.Background(), &Request{Method: http.MethodGet, Path: string(f), NoLinks: true})
		if err != nil || resp.Links() != nil || string(resp.Body) != body {
			t.Fatalf("%s with NoLinks: %v, links %v", f, err, resp.Links())
		}
		var out bytes.Buffer
		links, err := WritePretty(&out, resp.Body, resp.Format)
		want, _ := PrettyPrint(resp.Body, resp.Format)
		if err != nil || !reflect.DeepEqual(links, full.Links()) || out.String() != string(want) {
			t.Errorf("%s: WritePretty %v %v\n%s\nwant %v\n%s", f, links, err, out.String(), full.Links(), want)
		}
	}
	var out bytes.Buffer
	if links, err := WritePretty(&out, []byte("plain"), ""); err != nil || links != nil || out.String() != "plain" {
		t.Errorf("unknown format: %q %v %v", out.String(), links, err)
	}
}

// Past about 64 KiB the indented body reaches the writer in pieces, never
// as one copy: a writer that records its largest write sees none near the
// whole output.
func TestWritePrettyStreams(t *testing.T) {
	js, x := bigBodies()
	cut := func(doc []byte, after, closing string) []byte {
		i := bytes.LastIndex(doc[:len(doc)/8], []byte(after)) + len(after)
		return append(doc[:i:i], closing...)
	}
	for f, body := range map[wire.Format][]byte{wire.JSON: cut(js, "}}", "]}}"), wire.XML: cut(x, "</skill>", "</skills>")} {
		var w maxWriter
		if _, err := WritePretty(&w, body, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if w.total < len(body) || w.max > 128<<10 {
			t.Errorf("%s: %d bytes in writes of up to %d", f, w.total, w.max)
		}
	}
}

type maxWriter struct{ total, max int }

func (w *maxWriter) Write(p []byte) (int, error) {
	w.total += len(p)
	w.max = max(w.max, len(p))
	return len(p), nil
}
