package xmlscan

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// (apiclient's tests check the output and the links against encoding/xml
// byte for byte, and fuzz that; these check the options.)

func TestScanLinksOnly(t *testing.T) {
	var got []string
	out, err := Scan([]byte(`<a><link rel="self" href="h?a=1&amp;b=2"/><x:link xlink:href="h2"/><link/><linkage rel="no"/></a>`),
		Options{Link: func(rel, href string) { got = append(got, rel+" "+href) }})
	if err != nil || out != nil || strings.Join(got, "|") != "self h?a=1&b=2| h2" {
		t.Errorf("got %q, out %q, %v", got, out, err)
	}
}

func TestScanIndentToWriter(t *testing.T) {
	body := []byte(`<a><b>x</b><c/></a>`)
	want := "<a>\n  <b>x</b>\n  <c/>\n</a>\n"
	out, err := Scan(body, Options{Indent: true})
	if err != nil || string(out) != want {
		t.Fatalf("in one slice: %q %v", out, err)
	}
	var w bytes.Buffer
	if out, err := Scan(body, Options{Indent: true, Out: &w}); err != nil || out != nil || w.String() != want {
		t.Errorf("to a writer: %q %v, returned %q", w.String(), err, out)
	}
	if _, err := Scan(body, Options{Indent: true, Out: failWriter{}}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("write error: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestScanErrors(t *testing.T) {
	var se *SyntaxError
	_, err := Scan([]byte("<a>\n  <b>&lol9;</b>\n</a>"), Options{Indent: true})
	if !errors.As(err, &se) || se.Line != 2 || se.Column != 6 || !strings.Contains(se.Msg, "&lol9;") {
		t.Errorf("entity: %v", err)
	}
	deep := strings.Repeat("<a>", 11) + strings.Repeat("</a>", 11)
	if _, err := Scan([]byte(deep), Options{MaxDepth: 10}); !errors.Is(err, ErrTooDeep) || !strings.Contains(err.Error(), "10 levels") {
		t.Errorf("deep: %v", err)
	}
	nest := strings.Repeat("<a>", 10) + strings.Repeat("</a>", 10)
	if _, err := Scan([]byte("<r>"+strings.Repeat(nest, 100)+"</r>"), Options{Indent: true, MaxDepth: 12, Limit: 5000}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("large: %v", err)
	}
	for _, bad := range []string{"<a>", "<a></b>", "</a>", "<a>\xff</a>", `<a b="1>`, "<a>]]></a>"} {
		if _, err := Scan([]byte(bad), Options{}); !errors.As(err, &se) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// Non-ASCII names are checked by encoding/xml once each, then remembered:
// a body of many such elements costs no Decoder per element.
func TestScanNonASCIINamesRemembered(t *testing.T) {
	body := []byte("<données>" + strings.Repeat("<élément>x</élément>", 1000) + "</données>")
	allocs := testing.AllocsPerRun(3, func() {
		if _, err := Scan(body, Options{}); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 50 {
		t.Errorf("%.0f allocations for 1000 elements", allocs)
	}
	if _, err := Scan([]byte("<a\u00d7b/>"), Options{}); err == nil { // × is not a name character
		t.Error("invalid non-ASCII name accepted")
	}
}
