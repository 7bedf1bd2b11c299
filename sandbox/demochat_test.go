package sandbox

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// The demo's shortcuts leave the platform as the API would: a chat that
// rings the agent with its details, a colleague Online for transfers.
func TestDemoVisitorChatAndColleague(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SeedRecords = 16 })
	key, err := e.srv.StartVisitorChat(VisitorChat{Skill: "Sales", VisitorName: "Ann", Question: "Where is my order?"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.StartVisitorChat(VisitorChat{Skill: "No such skill"}); err == nil {
		t.Fatal("a chat for an unknown skill was started")
	}
	if _, err := e.srv.StartOnlineAgent("bruno.silva"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.StartOnlineAgent("nobody"); !errors.Is(err, ErrNoSuchAgent) {
		t.Fatalf("unknown login: %v", err)
	}

	resp, body := e.api(call{method: "POST", path: e.acct() + "/agentSession?v=1", body: `{"loginData": ""}`, contentType: "application/json"})
	wantStatus(t, resp, body, http.StatusCreated)
	sess := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)
	resp, body = e.api(call{method: "POST", path: sess + "/availability?v=1", body: `{"availability":{"chat":"Online"}}`,
		contentType: "application/json", header: map[string]string{"X-HTTP-Method-Override": "PUT"}})
	wantStatus(t, resp, body, 200)
	resp, body = e.api(call{path: sess + "/incomingRequests?v=1"})
	wantStatus(t, resp, body, 200)
	req := obj(t, obj(t, decodeJSON(t, body), "incomingRequests"), "request")
	if req["chatSessionKey"] != key || req["visitorName"] != "Ann" || req["firstLine"] != "Where is my order?" || req["skillName"] != "Sales" {
		t.Fatalf("the seeded chat does not ring as asked: %s", body)
	}
	resp, body = e.api(call{path: sess + "/availableAgents?v=1&chatState=Online"})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), `"userName":"bruno.silva"`) {
		t.Fatalf("the colleague is not online: %s", body)
	}
}
