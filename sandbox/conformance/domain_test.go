package conformance

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDomainDiscovery runs `lpdesk sandbox` with the Chat Agent API on a
// second base URL and finds it as a client must: through the Domain API.
// A client that skips discovery and calls the main base URL is refused.
func TestDomainDiscovery(t *testing.T) {
	p := startPlatform(t, "--service", "agentVep=127.0.0.1:0")
	agentHost := strings.TrimPrefix(p.baseOf("agentVep"), "http://")
	mainHost := strings.TrimPrefix(p.base, "http://")
	if agentHost == mainHost || agentHost == "" {
		t.Fatalf("agentVep is not on a listener of its own: %q (main %q)", agentHost, mainHost)
	}
	domain := func(path string) map[string]any {
		t.Helper()
		return jsonOf(t, p.must(200, request{method: "GET", url: p.base + path, auth: noAuth}))
	}
	for svc, want := range map[string]string{"agentVep": agentHost, "conversationVep": mainHost, "smt": mainHost} {
		got := domain("/api/account/" + account + "/service/" + svc + "/baseURI.json?version=1.0")
		if got["service"] != svc || got["account"] != account || got["baseURI"] != want {
			t.Errorf("Domain API for %s: %v, want baseURI %s", svc, got, want)
		}
	}
	list := domain("/api/account/" + account + "/service/baseURI.json?version=1.0")
	found := map[string]string{}
	for _, e := range list["baseURIs"].([]any) {
		m := e.(map[string]any)
		found[m["service"].(string)] = m["baseURI"].(string)
	}
	if found["agentVep"] != agentHost || found["conversationVep"] != mainHost {
		t.Errorf("all-services list %v", list)
	}
	// The documented refusals: 400 for a bad request, 401 for another site.
	for path, status := range map[string]int{
		"/api/account/" + account + "/service/agentVep/baseURI.json":             400,
		"/api/account/" + account + "/service/AgentVep/baseURI.json?version=1.0": 400,
		"/api/account/87654321/service/agentVep/baseURI.json?version=1.0":        401,
		"/api/account/" + account + "/service/agentVep/baseURI.json?version=2.0": 400,
	} {
		rep := p.do(request{method: "GET", url: p.base + path, auth: noAuth})
		if rep.status != status || !strings.Contains(string(rep.body), `"error"`) {
			t.Errorf("GET %s: %d %s, want %d with the error body", path, rep.status, rep.body, status)
		}
	}

	// The client that skips discovery is told where to go.
	rep := p.do(request{method: "POST", url: p.base + "/api/account/" + account + "/agentSession?v=1", body: `{"loginData": ""}`, auth: signed})
	if rep.status != 404 || !strings.Contains(string(rep.body), agentHost) {
		t.Fatalf("agentSession on the main base URL: %d %s, want 404 naming %s", rep.status, rep.body, agentHost)
	}
	// The discovered base URL works, and links stay on it.
	rep = p.must(201, request{method: "POST", url: "http://" + found["agentVep"] + "/api/account/" + account + "/agentSession?v=1", body: `{"loginData": ""}`, auth: signed})
	if loc := rep.header.Get("Location"); !strings.HasPrefix(loc, "http://"+agentHost+"/") {
		t.Fatalf("agent session at %s, not on %s", loc, agentHost)
	}
	// The account base on the main listener links the agent API where it is.
	acct := jsonOf(t, p.must(200, request{method: "GET", url: p.base + "/api/account/" + account + "?v=1", auth: signed}))
	if href := linkOf(t, acct["account"].(map[string]any), "agent-session"); href != "http://"+agentHost+"/api/account/"+account+"/agentSession" {
		t.Errorf("the account base links agent-session to %s", href)
	}
	// The agent listener serves the agent API only.
	for _, path := range []string{"/api/account/" + account + "?v=1", "/api/account/" + account + "/chat/availability?v=1", "/console"} {
		rep := p.do(request{method: "GET", url: "http://" + agentHost + path, auth: signed})
		var e struct{ Error map[string]any }
		if rep.status != 404 || json.Unmarshal(rep.body, &e) != nil || e.Error == nil {
			t.Errorf("GET %s on the agentVep listener: %d %s, want 404 with the error body", path, rep.status, rep.body)
		}
	}
}
