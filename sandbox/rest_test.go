package sandbox

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestVersionRequired(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.api(call{path: e.acct()})
	wantError(t, resp, body, 400, wire.CodeMissingVersion, wire.JSON)
	resp, body = e.api(call{path: e.acct(), header: map[string]string{"Accept": "application/xml"}})
	wantError(t, resp, body, 400, wire.CodeMissingVersion, wire.XML)
	resp, body = e.api(call{path: e.acct() + ".xml?V=1"})
	we := wantError(t, resp, body, 400, wire.CodeMissingVersion, wire.XML)
	if !strings.Contains(we.Reason, "case-sensitive") {
		t.Errorf("reason %q", we.Reason)
	}
	resp, body = e.api(call{path: e.acct() + "?v=2"})
	wantError(t, resp, body, 400, wire.CodeBadVersion, wire.JSON)
	// Unsigned requests get the version error first as well.
	resp, body = e.do(call{path: e.acct() + "/skills"})
	wantError(t, resp, body, 400, wire.CodeMissingVersion, wire.JSON)
}

func TestFormatSelection(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		path, accept string
		want         wire.Format
	}{
		{e.acct() + "?v=1", "", wire.JSON},
		{e.acct() + "?v=1", "*/*", wire.JSON},
		{e.acct() + "?v=1", "application/xml", wire.XML},
		{e.acct() + "?v=1", "text/html, application/xml;q=0.9, */*;q=0.8", wire.XML},
		{e.acct() + "?v=1", "application/xml;q=0.5, application/json", wire.JSON},
		{e.acct() + ".xml?v=1", "application/json", wire.XML}, // the extension wins
		{e.acct() + ".json?v=1", "application/xml", wire.JSON},
		{e.acct() + "/chat/availability.xml?v=1&skill=Support", "", wire.XML},
	} {
		resp, body := e.api(call{path: tc.path, header: map[string]string{"Accept": tc.accept}})
		wantStatus(t, resp, body, 200)
		if f, _ := wire.FormatOf(resp.Header.Get("Content-Type")); f != tc.want {
			t.Errorf("%s Accept %q: got %s want %s", tc.path, tc.accept, f, tc.want)
		}
		if (tc.want == wire.XML) != strings.HasPrefix(string(body), "<?xml") {
			t.Errorf("%s: body %s", tc.path, body)
		}
	}
}

func TestUppercaseExtensionRefused(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.api(call{path: e.acct() + ".XML?v=1"})
	wantError(t, resp, body, 404, wire.CodeUnknownFormat, wire.JSON)
	resp, body = e.api(call{path: e.acct() + "/skills.Json?v=1", header: map[string]string{"Accept": "application/xml"}})
	we := wantError(t, resp, body, 404, wire.CodeUnknownFormat, wire.XML)
	if !strings.Contains(we.Reason, "case-sensitive") {
		t.Errorf("reason %q", we.Reason)
	}
	resp, body = e.api(call{path: e.acct() + "?v=1", header: map[string]string{"Accept": "text/html"}})
	wantError(t, resp, body, 406, wire.CodeUnknownFormat, wire.JSON)
}

func TestWrongContentTypeRefused(t *testing.T) {
	e := newEnv(t, nil)
	for _, f := range []wire.Format{wire.JSON, wire.XML} {
		resp, body := e.api(call{method: "POST", path: e.acct() + "/skills?v=1", body: "name=Support",
			contentType: "text/plain", header: map[string]string{"Accept": f.ContentType()}})
		wantError(t, resp, body, 415, wire.CodeUnsupportedMedia, f)
	}
	resp, body := e.api(call{method: "POST", path: e.acct() + "/skills." + "xml?v=1", body: `{"skill":{"name":"x"}}`})
	wantError(t, resp, body, 415, wire.CodeUnsupportedMedia, wire.XML)
}

func TestMalformedBodyNamesPosition(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct{ ct, body, want string }{
		{"application/json", "{\"skill\": {\n  \"name\": \"x\"\n  \"description\": \"y\"}}", "line 3, column 3"},
		{"application/xml", "<skill>\n  <name>x</nam>\n</skill>", "line 2, column"},
		{"application/json; charset=utf-8", `{"skill": {"name": "x"}`, "line 1, column 24"},
	} {
		resp, body := e.api(call{method: "POST", path: e.acct() + "/skills?v=1", body: tc.body, contentType: tc.ct})
		we := wantError(t, resp, body, 400, wire.CodeMalformedBody, wire.JSON)
		if !strings.Contains(we.Message, tc.want) {
			t.Errorf("%s: message %q lacks %q", tc.ct, we.Message, tc.want)
		}
	}
}

func TestMethodOverrideRules(t *testing.T) {
	e := newEnv(t, nil)
	body := `{"skill":{"name":"Support"}}`
	// A bare PUT is refused with a hint.
	resp, b := e.api(call{method: "PUT", path: e.acct() + "/skills/1?v=1", body: body, contentType: "application/json"})
	we := wantError(t, resp, b, 405, wire.CodeMethodNotAllowed, wire.JSON)
	if !strings.Contains(we.Reason, "X-HTTP-Method-Override") {
		t.Errorf("reason %q", we.Reason)
	}
	// An override other than PUT/DELETE.
	resp, b = e.api(call{method: "POST", path: e.acct() + "/skills/1?v=1", header: map[string]string{"X-HTTP-Method-Override": "PATCH"}})
	wantError(t, resp, b, 405, wire.CodeMethodNotAllowed, wire.JSON)
	// A method the resource does not have.
	resp, b = e.api(call{method: "POST", path: e.acct() + "/chat/availability?v=1"})
	wantError(t, resp, b, 405, wire.CodeMethodNotAllowed, wire.JSON)
	if resp.Header.Get("Allow") == "" {
		t.Error("405 without Allow")
	}
}

func TestCaseSensitivity(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.api(call{path: e.acct() + "/Skills?v=1"})
	we := wantError(t, resp, body, 404, wire.CodeNotFound, wire.JSON)
	if !strings.Contains(we.Reason, "/skills exists") {
		t.Errorf("reason %q", we.Reason)
	}
	resp, body = e.api(call{path: e.acct() + "/chat/availability?v=1&Skill=Support"})
	we = wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	if !strings.Contains(we.Reason, `"skill"`) {
		t.Errorf("reason %q", we.Reason)
	}
	resp, body = e.api(call{method: "POST", path: e.acct() + "/skills?v=1", body: `{"skill":{"Name":"x"}}`, contentType: "application/json"})
	we = wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	if !strings.Contains(we.Reason, `"name"`) {
		t.Errorf("reason %q", we.Reason)
	}
	resp, body = e.api(call{path: "/api/account/99999999?v=1"})
	wantError(t, resp, body, 404, wire.CodeNotFound, wire.JSON)
	resp, _ = e.api(call{path: "/API/account/12345678?v=1"})
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/API: %d", resp.StatusCode)
	}
}

// Responses rendered in full carry their exact length, so a client can
// size its read buffer once instead of growing it over a chunked body.
func TestContentLengthSet(t *testing.T) {
	// Enough records that the list outgrows net/http's 2 KB buffer, past
	// which it would otherwise switch to chunked encoding.
	e := newEnv(t, func(c *Config) { c.SeedRecords = 200 })
	for _, c := range []call{
		{path: e.acct() + "/users?v=1"},
		{path: e.acct() + "/users.xml?v=1"},
		{path: e.acct() + "/nosuch?v=1"}, // error body
	} {
		resp, body := e.api(c)
		if resp.ContentLength != int64(len(body)) || len(body) == 0 || (c.path != e.acct()+"/nosuch?v=1" && len(body) < 4096) {
			t.Errorf("%s: Content-Length %d, body %d bytes (transfer %v)", c.path, resp.ContentLength, len(body), resp.TransferEncoding)
		}
	}
}
