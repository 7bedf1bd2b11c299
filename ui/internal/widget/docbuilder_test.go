package widget

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// rowsOf lists every row of d with its line number and whether it
// continues a line.
func rowsOf(d *textDoc) []string {
	out := make([]string, d.rowCount())
	for i := range out {
		out[i] = fmt.Sprintf("%d %v %q", d.lineNo(i), d.continues(i), d.row(i))
	}
	return out
}

// wholeDoc is the document as one chunk: the rows the view showed before
// it built documents a slice at a time.
func wholeDoc(text []byte, f wire.Format) *textDoc {
	var s splitter
	c, _ := s.split(text, true)
	d := &textDoc{format: f}
	d.add(c)
	return d
}

// builtIn builds body in slices of size bytes.
func builtIn(body []byte, f wire.Format, size int) (*textDoc, int) {
	d := &textDoc{format: f}
	b := newDocBuilder(body, f)
	n := 0
	for !b.done {
		d.add(b.next(size))
		n++
	}
	return d, n
}

func bigJSON(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"users":{"user":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"@id":"%d","name":"User é %d","tags":[],"meta":{},"bio":"%s","ok":true,"n":null}`, i, i, strings.Repeat("x", i%900))
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// The document built a slice at a time, whatever the slice size, is the
// one Pretty gives, cut into the same rows as the whole text at once.
func TestDocBuilderSlicesMatchWholeText(t *testing.T) {
	long := strings.Repeat("ab", maxRowBytes) + strings.Repeat("é", maxRowBytes)
	cases := []struct {
		name string
		body string
		f    wire.Format
	}{
		{"json", string(bigJSON(60)), wire.JSON},
		{"json scalar", `  42 `, wire.JSON},
		{"json empty containers", `{"a":[],"b":{},"c":[{}],"d":"` + long + `"}`, wire.JSON},
		{"json malformed", `{"a":[1,2,{"b":` + long, wire.JSON},
		{"xml", `<a><b x="1">t</b><c/>` + strings.Repeat("<d>é</d>", 200) + `</a>`, wire.XML},
		{"text", "first\n\n" + long + "\r\nlast é\n", wire.Format("text")},
		{"text one long line", long + long, ""},
	}
	for _, c := range cases {
		want := rowsOf(wholeDoc(Pretty([]byte(c.body), c.f), c.f))
		for _, size := range []int{1, 7, 399, 401, 4096, sliceBytes} {
			d, _ := builtIn([]byte(c.body), c.f, size)
			if got := d.text(); got != string(Pretty([]byte(c.body), c.f)) {
				t.Fatalf("%s, slices of %d: text differs from Pretty:\n%q\n%q", c.name, size, got, Pretty([]byte(c.body), c.f))
			}
			got := rowsOf(d)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("%s, slices of %d: rows\n%v\nwant\n%v", c.name, size, got, want)
			}
		}
	}
}

// The first slice of a large JSON body reads only the start of it: the
// first screen does not wait for the rest.
func TestDocBuilderFirstSliceReadsOnlyTheStart(t *testing.T) {
	body := bigJSON(20000)
	b := newDocBuilder(body, wire.JSON)
	c := b.next(firstSliceBytes)
	if b.done || len(c.rows) < 100 {
		t.Fatalf("first slice: done %v, %d rows", b.done, len(c.rows))
	}
	if off := b.json.s.Offset(); off > len(body)/20 {
		t.Errorf("the first slice read %d of %d bytes", off, len(body))
	}
	_, n := builtIn(body, wire.JSON, sliceBytes)
	if n < 5 {
		t.Errorf("%d bytes built in %d slices", len(body), n)
	}
}
