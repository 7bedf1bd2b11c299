package sandbox

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// signIn signs in to the console and returns the cookie header.
func (e *env) signIn(t *testing.T) string {
	t.Helper()
	resp, body := e.do(call{method: "POST", path: "/console/login", body: formBody("user", "admin", "password", "demo"),
		contentType: "application/x-www-form-urlencoded"})
	wantStatus(t, resp, body, http.StatusSeeOther)
	c := resp.Cookies()[0]
	return c.Name + "=" + c.Value
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// A person plays the visitor in the console while the agent answers
// through the Chat Agent API; the live view and the outbox show it.
func TestConsoleVisitorPage(t *testing.T) {
	e := newEnv(t, nil)
	cookie := e.signIn(t)
	browser := map[string]string{"Cookie": cookie}
	resp, body := e.do(call{path: "/console/visitor", header: browser})
	wantStatus(t, resp, body, 200)
	csrf := csrfField.FindSubmatch(body)
	if csrf == nil || !strings.Contains(string(body), "<option>Support</option>") {
		t.Fatalf("visitor start page: %s", body)
	}
	form := func(path string, kv ...string) *http.Response {
		t.Helper()
		resp, body := e.do(call{method: "POST", path: path, body: formBody(append(kv, "csrf", string(csrf[1]))...),
			contentType: "application/x-www-form-urlencoded", header: browser})
		wantStatus(t, resp, body, http.StatusSeeOther)
		return resp
	}
	// A form without the session's CSRF token is refused.
	resp, body = e.do(call{method: "POST", path: "/console/visitor", body: formBody("skill", "Support"),
		contentType: "application/x-www-form-urlencoded", header: browser})
	wantStatus(t, resp, body, http.StatusForbidden)

	sess := e.online()
	page := form("/console/visitor", "skill", "Support", "name", "Natalie", "question", "Is anyone there?").Header.Get("Location")
	if !strings.HasPrefix(page, "/console/visitor/H") {
		t.Fatalf("start redirects to %q", page)
	}
	resp, body = e.api(call{method: "POST", path: sess + "/incomingRequests?v=1"})
	wantStatus(t, resp, body, http.StatusCreated)
	agentChat := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)
	resp, body = e.api(call{method: "POST", path: agentChat + "/events?v=1", contentType: "application/json",
		body: `{"event": {"@type": "line", "text": "Yes, <Alice> here"}}`})
	wantStatus(t, resp, body, http.StatusCreated)
	resp, body = e.do(call{path: page, header: browser})
	wantStatus(t, resp, body, 200)
	for _, want := range []string{"Is anyone there?", "Yes, &lt;Alice&gt; here", "with Alice"} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("the visitor page lacks %q: %s", want, body)
		}
	}
	form(page+"/line", "text", "Great, thanks")
	resp, body = e.api(call{path: agentChat + "/events?v=1&from=5"})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), `"text":"Great, thanks","by":"Natalie"`) {
		t.Fatalf("the agent does not see the visitor's typed line: %s", body)
	}

	// The live view, for a script (HTTP Basic, text).
	text := map[string]string{"Accept": "text/plain"}
	for k, v := range basic() {
		text[k] = v
	}
	resp, body = e.do(call{path: "/console/chats", header: text})
	wantStatus(t, resp, body, 200)
	key := strings.TrimPrefix(page, "/console/visitor/")
	if !strings.Contains(string(body), "chat "+key+" chatting") || !strings.Contains(string(body), "agentSession ") {
		t.Fatalf("live chats: %s", body)
	}
	// The transcript request lands in the outbox.
	visitorChat := e.acct() + "/chat/" + key
	resp, body = e.api(call{method: "POST", path: visitorChat + "/transcriptRequest?v=1", contentType: "application/json",
		body: `{"email": "natalie@example.com"}`, header: map[string]string{"X-HTTP-Method-Override": "PUT"}})
	wantStatus(t, resp, body, 200)
	resp, body = e.do(call{path: "/console/outbox", header: text})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), "transcript chat="+key+" to=natalie@example.com") || !strings.Contains(string(body), "Natalie: Great, thanks") {
		t.Fatalf("outbox: %s", body)
	}
	resp, body = e.do(call{path: "/console/outbox", header: browser})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), "natalie@example.com") {
		t.Fatalf("outbox page: %s", body)
	}
	form(page + "/end")
	resp, body = e.do(call{path: page, header: browser})
	if !strings.Contains(string(body), "(ended)") || strings.Contains(string(body), `/line"`) {
		t.Fatalf("an ended chat's page still offers to type: %s", body)
	}

	// Without credentials: the sign-in page, or 401 for a script.
	resp, body = e.do(call{path: "/console/chats"})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), `action="/console/login"`) || strings.Contains(string(body), key) {
		t.Fatalf("unauthenticated live view: %s", body)
	}
	resp, body = e.do(call{path: "/console/chats", header: map[string]string{"Accept": "text/plain"}})
	wantStatus(t, resp, body, http.StatusUnauthorized)
}
