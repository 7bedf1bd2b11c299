package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Services on listeners of their own: the Domain API names each host, the
// main listener refuses a placed service (naming where it is), and a
// service listener answers nothing else.
func TestServiceListeners(t *testing.T) {
	agentTS := httptest.NewUnstartedServer(nil)
	host := agentTS.Listener.Addr().String()
	e := newEnv(t, func(c *Config) { c.ServiceHosts = map[Service]string{ServiceChatAgent: host} })
	agentTS.Config.Handler = e.srv.ServiceHandler(ServiceChatAgent)
	agentTS.Start()
	t.Cleanup(agentTS.Close)

	resp, body := e.do(call{path: e.acct() + "/service/agentVep/baseURI.json?version=1.0"})
	wantStatus(t, resp, body, 200)
	var b baseURI
	if err := json.Unmarshal(body, &b); err != nil || b.BaseURI != host || b.Service != "agentVep" || b.Account != "12345678" {
		t.Fatalf("Domain API: %s", body)
	}
	resp, body = e.do(call{path: e.acct() + "/service/conversationVep/baseURI.json?version=1.0"})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), `"baseURI":"`+strings.TrimPrefix(e.ts.URL, "http://")+`"`) {
		t.Fatalf("an unplaced service is on the main host: %s", body)
	}
	resp, body = e.do(call{path: "/csdr/account/12345678/service/baseURI.json?version=1.0"})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), `"baseURIs":[`) {
		t.Fatalf("all services: %s", body)
	}

	resp, body = e.api(call{method: "POST", path: e.acct() + "/agentSession?v=1"})
	we := wantError(t, resp, body, 404, wire.CodeNotFound, wire.JSON)
	if !strings.Contains(we.Reason, host) {
		t.Errorf("the refusal does not say where the service is: %s", body)
	}
	// The same request on the agent listener (signed for its URL).
	req := e.newReq(call{method: "POST", path: e.acct() + "/agentSession?v=1"})
	req.URL.Host, req.Host = host, host
	req.Header.Del("Authorization")
	c := call{method: "POST", signer: &e.creds}
	sign(t, req, c, "")
	resp, body = e.send(req)
	wantStatus(t, resp, body, http.StatusCreated)
	if !strings.HasPrefix(resp.Header.Get("Location"), "http://"+host+"/") {
		t.Fatalf("the session's location is not on the agent listener: %s", resp.Header.Get("Location"))
	}
	for _, path := range []string{e.acct() + "/chat/availability?v=1", "/oauth/request_token", e.acct() + "/service/agentVep/baseURI.json?version=1.0"} {
		resp, err := http.Get(agentTS.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("GET %s on the agent listener: %d, want 404", path, resp.StatusCode)
		}
	}
	if !strings.Contains(e.srv.Banner(e.ts.URL), "Service agentVep: http://"+host) {
		t.Errorf("the banner does not list the service:\n%s", e.srv.Banner(e.ts.URL))
	}
}

func TestServiceHostsValidated(t *testing.T) {
	for _, hosts := range []map[Service]string{{"chat": "127.0.0.1:1"}, {ServiceMonitoring: "localhost"}, {ServiceChatAgent: "h:1/x"}} {
		cfg := DemoConfig()
		cfg.ServiceHosts = hosts
		if _, err := New(cfg); err == nil {
			t.Errorf("New accepted service hosts %v", hosts)
		}
	}
	if _, err := ParseService("AgentVep"); err == nil {
		t.Error("service names are case-sensitive")
	}
}
