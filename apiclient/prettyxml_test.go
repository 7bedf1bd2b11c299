package apiclient

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

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

// xmlCorpus holds what a hand-written scanner most easily gets wrong:
// every kind of markup, references, line ends, names and their errors.
var xmlCorpus = []string{
	``, `x`, ` `, `<a/>`, `<a></a>`, `<a> </a>`, "<a>\n  <b/>\n</a>\n", `<a><b/>text<c/> more </a>`,
	`<a>x<!-- c -->y</a>`, `<a>x<![CDATA[<&>]]>y</a>`, `<a><![CDATA[]]></a>`, `<a><![CDATA[x]]]]><![CDATA[>]]></a>`,
	"<a>\r\n x\r y\r\n</a>", "<a b=\"1\r\n2\t3\n\"/>", `<a b='it"s' c="it's"/>`, `<a b = "1"c="2" />`, `<a b="1" b="2"/>`,
	`<a>&lt;&gt;&amp;&apos;&quot;</a>`, `<a>&#65;&#x42;&#x000043;&#0000000000000000000068;</a>`, `<a>&#xD;&#13;&#10;&#9;</a>`,
	`<a>&#xD800;</a>`, `<a>&#0;</a>`, `<a>&#xFFFE;</a>`, `<a>&#x110000;</a>`, `<a>&#99999999999999999999999;</a>`,
	`<a>&#;</a>`, `<a>&#x;</a>`, `<a>&#X41;</a>`, `<a>&#65</a>`, `<a>&lt</a>`, `<a>&custom;</a>`, `<a>&;</a>`, `<a>& b</a>`, `<a>&`,
	`<a b="&lt;&#34;&custom;"/>`, `<a b="<"/>`, `<a b="x>y"/>`, `<a b=x/>`, `<a b/>`, `<a b=/>`, `<a b="1`,
	`<a>]]></a>`, `<a>]] ></a>`, `<a>]&amp;]></a>`, `<a>]]&gt;</a>`, "<a>\x01</a>", "<a>\x7f</a>", "<a b=\"\x01\"/>",
	"<a>caf\xc3\xa9</a>", "<a>caf\xe9</a>", "<a>\xef\xbf\xbe</a>", "<a>\xef\xbf\xbd</a>", "<a>\xc2\xa0</a>", "<a> \xc2\xa0 <b/></a>",
	"\xef\xbb\xbf<a/>", `<é/>`, `<aé>x</aé>`, "<a\xff/>", `<1a/>`, `<-a/>`, `<:a/>`, `<a:/>`, `<a:b:c/>`, `<x:a xmlns:x="u"><x:b/></x:a>`,
	`<x:link xlink:href="h" rel="r"/>`, `<link rel="" href=""/>`, `<link/>`, `<link rel="a" rel="b" href="h"/>`, `<:link rel="r"/>`,
	`<a></b>`, `<a></a:a>`, `</a>`, `<a>`, `<a><b></a></b>`, `<a></a >`, `<a></a x>`, `</ >`, `< a/>`, `<>`, `<`, `<a`, `<a/`, `<a/ >`,
	`<?xml version="1.0" encoding="UTF-8"?><a/>`, `<?xml version="1.1"?><a/>`, `<?xml encoding="latin1"?><a/>`, `<?xml encoding='utf-8'?><a/>`,
	`<?pi?><a/>`, `<?pi   data here ?><a/>`, `<?pi`, `<?`, `<? pi?>`, `<a><?pi x?>text</a>`,
	`<!--x--><a/>`, `<!----><a/>`, `<!-- a -- b --><a/>`, `<!--->`, `<!-- x`, `<!-x-->`, `<!`, `<![CDATA[x`, `<![CDAT[x]]>`,
	`<!DOCTYPE a><a/>`, `<!DOCTYPE a [<!ENTITY e "x>y"><!-- c > --><!ELEMENT a ANY>]><a/>`, `<!DOCTYPE a [<!x>`, `<!DOCTYPE a '>'>`, `<!DOCTYPE <!- x>`,
	`<a>x</a><b>y</b>`, `text<a/>more`, `<a>  x  <b/>  y  </a>`, `<a><b>x</b>y<c/></a>`, `<a>x<b/></a>`, `<a><!--c--></a>`,
}

// checkXMLAgainstDecoder: the scanner agrees with the encoding/xml
// implementations it replaced (refPrettyXML, refXMLLinks): the same
// output byte for byte, the same links, an error exactly when they fail.
// WritePretty streams the same output and returns ExtractLinks' links.
func checkXMLAgainstDecoder(t *testing.T, body []byte) {
	t.Helper()
	got, gerr := PrettyPrint(body, wire.XML)
	want, werr := refPrettyXML(body)
	if (gerr == nil) != (werr == nil) || gerr == nil && !bytes.Equal(got, want) {
		t.Fatalf("%q:\nxmlscan %v\n%s\nencoding/xml %v\n%s", body, gerr, got, werr, want)
	}
	links, lerr := wire.ExtractLinks(body, wire.XML)
	rlinks, rerr := refXMLLinks(body)
	if (lerr == nil) != (rerr == nil) || !sameLinks(links, rlinks) {
		t.Fatalf("%q links:\nxmlscan %v %v\nencoding/xml %v %v", body, links, lerr, rlinks, rerr)
	}
	var streamed bytes.Buffer
	wlinks, serr := WritePretty(&streamed, body, wire.XML)
	if (serr == nil) != (gerr == nil) || gerr == nil && !bytes.Equal(streamed.Bytes(), got) {
		t.Fatalf("%q: WritePretty %v %q, PrettyPrint %v %q", body, serr, streamed.Bytes(), gerr, got)
	}
	if serr == nil && !sameLinks(wlinks, links) {
		t.Fatalf("%q: WritePretty's links %v, ExtractLinks' %v", body, wlinks, links)
	}
}

func sameLinks(a, b []wire.Link) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

func TestPrettyXMLMatchesDecoder(t *testing.T) {
	for _, in := range xmlCorpus {
		checkXMLAgainstDecoder(t, []byte(in))
	}
	_, x := bigBodies()
	checkXMLAgainstDecoder(t, x[:1<<20]) // cut mid-document: an error for both
	checkXMLAgainstDecoder(t, x)
}
