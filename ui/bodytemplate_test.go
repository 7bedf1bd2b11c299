package ui

import (
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestNewBodyTemplate(t *testing.T) {
	if got := newBodyTemplate([]byte(`{"skills":{"skill":[]}}`), wire.JSON); !strings.Contains(got, `"skill": {`) {
		t.Errorf("JSON template %q", got)
	}
	if got := newBodyTemplate([]byte(`<users><user/></users>`), wire.XML); !strings.HasPrefix(got, "<user>") {
		t.Errorf("XML template %q", got)
	}
}
