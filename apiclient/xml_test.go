package apiclient

import (
	"encoding/xml"
	"testing"
)

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
