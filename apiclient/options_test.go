package apiclient

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestParseOptions(t *testing.T) {
	for s, want := range map[string]Auth{"": 0, "oauth": AuthOAuth, "appkey": AuthAppKey, "none": AuthNone} {
		if got, err := ParseAuth(s); err != nil || got != want || got.String() != s {
			t.Errorf("ParseAuth(%q) = %v (%q), %v", s, got, got.String(), err)
		}
	}
	for s, want := range map[string]Placement{"": 0, "header": PlaceHeader, "query": PlaceQuery} {
		if got, err := ParsePlacement(s); err != nil || got != want || got.String() != s {
			t.Errorf("ParsePlacement(%q) = %v, %v", s, got, err)
		}
	}
	for s, want := range map[string]FormatBy{"": 0, "accept": ByAccept, "extension": ByExtension} {
		if got, err := ParseFormatBy(s); err != nil || got != want || got.String() != s {
			t.Errorf("ParseFormatBy(%q) = %v, %v", s, got, err)
		}
	}
	for _, c := range []struct {
		parse func(string) error
		in    string
		want  string
	}{
		{func(s string) error { _, err := ParseAuth(s); return err }, "basic", `unknown auth "basic" (want oauth, appkey or none)`},
		{func(s string) error { _, err := ParseAuth(s); return err }, "OAuth", `unknown auth "OAuth"`},
		{func(s string) error { _, err := ParsePlacement(s); return err }, "body", `unknown placement "body" (want header, query or form)`},
		{func(s string) error { _, err := ParseFormatBy(s); return err }, "suffix", `(want accept or extension)`},
	} {
		if err := c.parse(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to say %s", c.in, err, c.want)
		}
	}
}

// The options travel in JSON as their words, and an unset one is left out
// (the profile file's format).
func TestOptionsAsJSON(t *testing.T) {
	type opts struct {
		Auth      Auth        `json:"auth,omitempty"`
		Placement Placement   `json:"placement,omitempty"`
		Format    wire.Format `json:"format,omitempty"`
		FormatBy  FormatBy    `json:"formatBy,omitempty"`
	}
	for in, want := range map[opts]string{
		{}: `{}`,
		{AuthAppKey, PlaceQuery, wire.XML, ByExtension}: `{"auth":"appkey","placement":"query","format":"xml","formatBy":"extension"}`,
	} {
		b, err := json.Marshal(in)
		if err != nil || string(b) != want {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", in, b, err, want)
		}
		var back opts
		if err := json.Unmarshal(b, &back); err != nil || back != in {
			t.Errorf("Unmarshal(%s) = %+v, %v", b, back, err)
		}
	}
	var o opts
	if err := json.Unmarshal([]byte(`{"auth":"","format":""}`), &o); err != nil || o != (opts{}) {
		t.Errorf("empty words: %+v, %v", o, err)
	}
	for _, bad := range []string{`{"auth":"basic"}`, `{"placement":"body"}`, `{"format":"XML"}`, `{"formatBy":"suffix"}`, `{"auth":1}`} {
		if err := json.Unmarshal([]byte(bad), &o); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if _, err := json.Marshal(opts{Auth: Auth(9)}); err == nil {
		t.Error("an Auth outside the set was written")
	}
}
