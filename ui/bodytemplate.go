package ui

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// newBodyTemplate is a starting point for creating a member of the
// collection shown in body: {"skill": {}} for {"skills": …}.
func newBodyTemplate(body []byte, f wire.Format) string {
	name := "item"
	switch f {
	case wire.XML:
		d := xml.NewDecoder(bytes.NewReader(body))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				name = se.Name.Local
				break
			}
		}
	default:
		dec := json.NewDecoder(bytes.NewReader(body))
		if t, err := dec.Token(); err == nil && t == json.Delim('{') {
			if k, err := dec.Token(); err == nil {
				if s, ok := k.(string); ok {
					name = s
				}
			}
		}
	}
	if s, ok := strings.CutSuffix(name, "s"); ok && s != "" {
		name = s
	}
	if f == wire.XML {
		return fmt.Sprintf("<%s>\n  \n</%s>\n", name, name)
	}
	return fmt.Sprintf("{\n  %q: {\n    \n  }\n}\n", name)
}
