package proxy

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/sandbox"
)

// With the Chat Agent API on a host of its own (a profile's services), the
// proxy sends agentSession/… there and the rest to the account base, and
// rewrites a Location on the agent's host to the proxy, so that following
// it goes back to the agent's host, signed.
func TestProxyRoutesServices(t *testing.T) {
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 8
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var onAccount, onAgent atomic.Int32
	account := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { onAccount.Add(1); sb.ServeHTTP(w, r) }))
	t.Cleanup(account.Close)
	agent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { onAgent.Add(1); sb.ServeHTTP(w, r) }))
	t.Cleanup(agent.Close)
	key, csecret := assets.DemoConsumerKey, assets.DemoConsumerSecret
	tok, sec, err := sb.InstallApp(key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := apiclient.New(apiclient.Config{BaseURL: account.URL + sb.AccountPath(), AccountID: "12345678",
		Services:    map[apiclient.Service]string{apiclient.ServiceChatAgent: agent.URL + sb.AccountPath()},
		Credentials: apiclient.Credentials{ConsumerKey: key, ConsumerSecret: csecret, Token: tok, TokenSecret: sec}, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Config{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	px := httptest.NewServer(p)
	t.Cleanup(px.Close)

	do := func(method, path, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, px.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := do("POST", "/agentSession", `{"agentSession":{}}`)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusCreated || onAgent.Load() != 1 || onAccount.Load() != 0 {
		t.Fatalf("POST agentSession: %d, agent %d account %d", resp.StatusCode, onAgent.Load(), onAccount.Load())
	}
	if !strings.HasPrefix(loc, px.URL+"/agentSession/") {
		t.Fatalf("Location %q not rewritten to the proxy", loc)
	}
	if resp := do("GET", strings.TrimPrefix(loc, px.URL), ""); resp.StatusCode != http.StatusOK || onAgent.Load() != 2 {
		t.Errorf("GET the Location: %d, agent %d", resp.StatusCode, onAgent.Load())
	}
	// The account's full path of an agent resource goes to the agent too.
	if resp := do("GET", sb.AccountPath()+strings.TrimPrefix(loc, px.URL), ""); resp.StatusCode != http.StatusOK || onAgent.Load() != 3 {
		t.Errorf("GET by full path: %d, agent %d", resp.StatusCode, onAgent.Load())
	}
	if resp := do("GET", "/skills", ""); resp.StatusCode != http.StatusOK || onAccount.Load() != 1 || onAgent.Load() != 3 {
		t.Errorf("GET skills: %d, account %d agent %d", resp.StatusCode, onAccount.Load(), onAgent.Load())
	}
}
