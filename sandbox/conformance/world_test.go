package conformance

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
)

// docMethod is one documented request (sandbox/testdata/docs-methods.json).
type docMethod struct {
	API        string  `json:"api"`
	Name       string  `json:"name"`
	Variant    *string `json:"variant"`
	Doc        string  `json:"doc"`
	Method     string  `json:"method"`
	Override   *string `json:"override"`
	WireMethod string  `json:"wire_method"`
	URL        string  `json:"url"`
	Example    string  `json:"request_url_example"`
	Status     int     `json:"status"`
	Formats    []string
	Request    *example `json:"request"`
	Response   *example `json:"response"`
	RespHeader []string `json:"response_headers"`
}

type example struct {
	JSON       *string `json:"json"`
	XMLDerived *string `json:"xml_derived"`
	Text       *string `json:"text"`
}

func (m docMethod) title() string {
	t := m.Name
	if m.Variant != nil {
		t += " (" + *m.Variant + ")"
	}
	return t
}

func loadMethods(t *testing.T) []docMethod {
	t.Helper()
	raw, err := os.ReadFile("../testdata/docs-methods.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Methods []docMethod }
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f.Methods
}

// The documented Start Chat body: every fixture chat starts with it, so
// its visitor and session ids (LETagVisitorId, LETagSessionId) are those
// the monitoring APIs' cases ask about.
const (
	docStartChat  = `{"request":{"skill":"Sales","interactionTimeout":40,"userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6)","preChatLines":{"line":["This is a pre-chat line 1","This is a pre-chat line 2"]},"LETagVisitorId":"rloXnVgEQ-iQuoOytvKNqA","LETagSessionId":"rN82d4rATN6EuiA4cJwaPg","LETagContextId":"2","engagementId":27469613,"campaignId":26948813,"language":"en-US"}}`
	docVisitor    = "rloXnVgEQ-iQuoOytvKNqA"
	docSession    = "rN82d4rATN6EuiA4cJwaPg"
	transferAgent = "6" // the agent the documented transfer names
	transferSkill = "2" // the skill the documented transfer names
)

// world is the platform with two agents online: A, the account's first
// user (every staffed skill), holds the fixture chats; B, user 6 (also
// given skill 2), receives the documented transfers.
type world struct {
	p      *platform
	agentA string // A's agent session URL
	agentB string
}

func newWorld(t *testing.T, p *platform) *world {
	t.Helper()
	w := &world{p: p}
	w.agentA = w.online(t, `{"loginData": ""}`)
	// User 6 gets skill 2 so that both documented transfers have a target.
	users := p.base + "/api/account/" + account + "/users/" + transferAgent
	rep := p.must(200, request{method: "GET", url: users + "?v=1", auth: signed})
	u := jsonOf(t, rep)["user"].(map[string]any)
	login := u["loginName"].(string)
	ids := []string{transferSkill}
	switch v := u["skillIds"].(map[string]any)["skillId"].(type) {
	case string:
		ids = append(ids, v)
	case []any:
		for _, id := range v {
			ids = append(ids, id.(string))
		}
	}
	body, _ := json.Marshal(map[string]any{"user": map[string]any{"loginName": login, "skillIds": map[string]any{"skillId": ids}}})
	p.must(200, request{method: "POST", override: "PUT", url: users + "?v=1", body: string(body), auth: signed})
	w.agentB = w.online(t, `{"loginData": {"userName": "`+login+`", "password": "unused"}}`)
	return w
}

// in is w reporting to t (a subtest).
func (w *world) in(t *testing.T) *world {
	cp := *w
	cp.p = w.p.with(t)
	return &cp
}

func (w *world) agentBase() string { return w.p.baseOf("agentVep") + "/api/account/" + account }
func (w *world) visitorBase() string {
	return w.p.baseOf("conversationVep") + "/api/account/" + account
}

// online starts an agent session with body and sets it Online.
func (w *world) online(t *testing.T, body string) string {
	t.Helper()
	rep := w.p.must(201, request{method: "POST", url: w.agentBase() + "/agentSession?v=1&NC=true", body: body, auth: signed})
	sess := rep.header.Get("Location")
	w.p.must(200, request{method: "POST", override: "PUT", url: sess + "/availability?v=1&NC=true",
		body: `{"availability": {"chat": "Online"}}`, auth: signed})
	return sess
}

// chat is a fixture chat: its URLs on both sides.
type chat struct {
	key     string
	visitor string // the visitor's chat URL
	agent   string // agent A's URL of it ("" while waiting)
}

// startChat starts a chat with the documented body; with accept, agent A
// accepts it.
func (w *world) startChat(t *testing.T, accept bool) chat {
	t.Helper()
	rep := w.p.must(201, request{method: "POST", url: w.visitorBase() + "/chat/request?v=1&NC=true", body: docStartChat, auth: appKeyHeader})
	c := chat{visitor: rep.header.Get("Location")}
	c.key = c.visitor[strings.LastIndex(c.visitor, "/")+1:]
	if accept {
		c.agent = w.accept(t, c.key)
	}
	t.Cleanup(func() { w.end(c) })
	return c
}

// accept has agent A accept the chat key (the oldest ringing: the fixtures
// end their chats, so it is the one).
func (w *world) accept(t *testing.T, key string) string {
	t.Helper()
	rep := w.p.must(201, request{method: "POST", url: w.agentA + "/incomingRequests?v=1&NC=true", body: `{}`, auth: signed})
	loc := rep.header.Get("Location")
	if !strings.HasSuffix(loc, "/chat/"+key) {
		t.Fatalf("agent A accepted %s, not the fixture chat %s", loc, key)
	}
	return loc
}

// authenticatedChat goes through conversation.json, starts the chat with
// its key and has A accept it; it returns the chat and the participant id.
func (w *world) authenticatedChat(t *testing.T) (chat, string) {
	t.Helper()
	rep := w.p.must(201, request{method: "POST", url: w.visitorBase() + "/conversation.json?v=1&NC=true",
		body: `{"authChatConnId":568046210,"ssoKey":"k12197","engagementId":567609310}`, auth: appKeyHeader})
	key := rep.header.Get("Location")[strings.LastIndex(rep.header.Get("Location"), "/")+1:]
	w.p.must(201, request{method: "POST", url: w.visitorBase() + "/chat/request?v=1&NC=true",
		body: `{"request":{"skill":"Sales","conversationId":"` + key + `"}}`, auth: appKeyHeader})
	c := chat{key: key, visitor: w.visitorBase() + "/chat/" + key}
	c.agent = w.accept(t, key)
	t.Cleanup(func() { w.end(c) })
	info := jsonOf(t, w.p.must(200, request{method: "GET", url: c.visitor + "/info?v=1", auth: appKeyHeader}))
	pid, _ := info["info"].(map[string]any)["participantId"].(string)
	if pid == "" {
		t.Fatalf("the authenticated chat's info has no participantId: %v", info)
	}
	return c, pid
}

// end ends a fixture chat from the visitor's side (it may have ended).
func (w *world) end(c chat) {
	rep := w.p.do(request{method: "POST", url: c.visitor + "/events?v=1", body: `{"event":{"@type":"state","state":"ended"}}`, auth: appKeyHeader})
	if rep.status != 201 && rep.status != http.StatusConflict {
		w.p.t.Errorf("ending fixture chat %s: %d %s", c.key, rep.status, rep.body)
	}
}

var placeholder = regexp.MustCompile(`\{[^}]+\}`)
