package shared

import (
	"bytes"
	"testing"
)

func TestPrintServices(t *testing.T) {
	var b bytes.Buffer
	PrintServices(&b, map[string]string{"conversationVep": "http://h:2/api/account/1", "agentVep": "http://h:1/api/account/1/"})
	want := "services:     agentVep http://h:1/api/account/1\n" +
		"              conversationVep http://h:2/api/account/1\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	PrintServices(&b, nil)
	if b.Len() != 0 {
		t.Errorf("no services printed %q", b.String())
	}
}
