package apiclient

import (
	"encoding/xml"
	"strings"
)

// XMLEscape escapes s for XML element data or an attribute value: the
// platform rejects a body whose text carries a bare & or <.
func XMLEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writes to a Builder cannot fail
	return b.String()
}

// XMLElement renders <name>text</name> with text escaped. name is used as
// given: pass a valid XML name.
func XMLElement(name, text string) string {
	return "<" + name + ">" + XMLEscape(text) + "</" + name + ">"
}
