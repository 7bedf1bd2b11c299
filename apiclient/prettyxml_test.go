package apiclient

import (
	"encoding/xml"
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
