package apiclient

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestServiceFor(t *testing.T) {
	for path, want := range map[string]Service{
		"":                             "accountConfigReadWrite",
		"skills":                       ServiceAccount,
		"skills/7?x=agentSession":      ServiceAccount,
		"users/chat":                   ServiceAccount,
		"agentSession":                 "agentVep",
		"/agentSession":                ServiceChatAgent,
		"agentSession.json":            ServiceChatAgent,
		"agentSession/5/chat/9/events": ServiceChatAgent,
		"agentSession?v=1&NC=true":     ServiceChatAgent,
		"AgentSession":                 ServiceAccount, // paths are case-sensitive
		"chat/availability":            "conversationVep",
		"chat//preSurvey":              ServiceServerChat,
		"chat/request.xml":             ServiceServerChat,
		"chat#frag":                    ServiceServerChat,
		"chatter":                      ServiceAccount,
		"conversation.json":            ServiceServerChat,
		"monitoring/visitors/v/visits/current/state": "smt",
	} {
		if got := ServiceFor(path); got != want {
			t.Errorf("ServiceFor(%q) = %q, want %q", path, got, want)
		}
	}
}

// listener is one test server standing for one service's host.
type listener struct {
	srv *httptest.Server
	rec *recorder
}

func newListener(t *testing.T) listener {
	l := listener{rec: &recorder{}}
	l.srv = serve(t, func(w http.ResponseWriter, r *http.Request) { l.rec.record(r); okJSON(w, `{}`) })
	return l
}

// TestRequestsGoToTheirServiceBase: with three services on three
// listeners, each relative path lands on its service's listener, signed for
// that listener (the recorder verifies the signature as a server would).
func TestRequestsGoToTheirServiceBase(t *testing.T) {
	account, agent, chat := newListener(t), newListener(t), newListener(t)
	const acct = "/api/account/12345678"
	c := newTestClient(t, account.srv.URL, func(cfg *Config) {
		cfg.Services = map[Service]string{
			ServiceChatAgent:  agent.srv.URL + acct + "/",
			ServiceServerChat: chat.srv.URL + acct,
		}
	})
	ctx := context.Background()
	cases := []struct {
		method, path string
		at           listener
		wantPath     string
	}{
		{"GET", "", account, acct},
		{"GET", "skills/7", account, acct + "/skills/7"},
		{"GET", "monitoring/visitors/v1/visits/current/state", account, acct + "/monitoring/visitors/v1/visits/current/state"}, // smt not known: the account base
		{"POST", "agentSession", agent, acct + "/agentSession"},
		{"GET", "agentSession/5/incomingRequests?NC=true", agent, acct + "/agentSession/5/incomingRequests"},
		{"PUT", "agentSession/5/availability", agent, acct + "/agentSession/5/availability"},
		{"GET", "chat/availability?skill=Sales%20and%20Support", chat, acct + "/chat/availability"},
		{"POST", "conversation.json", chat, acct + "/conversation.json"},
		{"GET", agent.srv.URL + acct + "/agentSession/5", agent, acct + "/agentSession/5"}, // a link: where it points
	}
	for _, tc := range cases {
		before := map[*recorder]int{account.rec: account.rec.count(), agent.rec: agent.rec.count(), chat.rec: chat.rec.count()}
		var body []byte
		if tc.method != "GET" {
			body = []byte(`{}`)
		}
		if _, err := c.Do(ctx, &Request{Method: tc.method, Path: tc.path, Body: body}); err != nil {
			t.Errorf("%s %s: %v", tc.method, tc.path, err)
			continue
		}
		for rec, n := range before {
			want := n
			if rec == tc.at.rec {
				want++
			}
			if rec.count() != want {
				t.Errorf("%s %s: a listener saw %d requests, want %d", tc.method, tc.path, rec.count()-n, want-n)
			}
		}
		s := tc.at.rec.last(t)
		if s.Path != tc.wantPath || !strings.Contains(s.RawQuery, "v=1") || !s.Signed || s.SigErr != nil || s.Host != strings.TrimPrefix(tc.at.srv.URL, "http://") {
			t.Errorf("%s %s: arrived as %s ?%s on %s, signed %v (%v)", tc.method, tc.path, s.Path, s.RawQuery, s.Host, s.Signed, s.SigErr)
		}
	}

	if got := c.ServiceBase(ServiceChatAgent); got != agent.srv.URL+acct {
		t.Errorf("ServiceBase(agentVep) = %q", got)
	}
	if got := c.ServiceBase(ServiceMonitoring); got != account.srv.URL+acct {
		t.Errorf("ServiceBase(smt) = %q, want the account base", got)
	}
	bases := c.ServiceBases()
	if len(bases) != 3 || bases[ServiceAccount] != c.BaseURL() || bases[ServiceServerChat] != chat.srv.URL+acct {
		t.Errorf("ServiceBases = %v", bases)
	}
}

// A service's base is an origin the Client signs for; a redirect from it to
// another origin (even another service's) is still refused.
func TestServiceBaseRedirectStillRefused(t *testing.T) {
	account := newListener(t)
	agent := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, account.srv.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	c := newTestClient(t, account.srv.URL, func(cfg *Config) {
		cfg.Services = map[Service]string{ServiceChatAgent: agent.URL + "/api/account/12345678"}
	})
	_, err := c.Get(context.Background(), "agentSession/1", nil)
	var co *CrossOriginRedirectError
	if !errors.As(err, &co) || !co.Credentials {
		t.Fatalf("redirect from the agent base to the account base: %v", err)
	}
	if account.rec.count() != 0 {
		t.Error("the redirect was followed")
	}
}

func TestServicesValidated(t *testing.T) {
	for name, tc := range map[string]struct {
		services map[Service]string
		want     error
	}{
		"plain http elsewhere": {map[Service]string{ServiceChatAgent: "http://agent.example.test/api/account/1"}, ErrInsecureHTTP},
		"relative":             {map[Service]string{ServiceChatAgent: "agent.example.test/api/account/1"}, nil},
		"account base twice":   {map[Service]string{ServiceAccount: "https://other.example.test/api/account/1"}, nil},
	} {
		_, err := New(Config{BaseURL: "https://example.test/api/account/1", Credentials: testCreds, Services: tc.services})
		if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: New = %v, want an error (%v)", name, err, tc.want)
		}
	}
	// Allowed with AllowInsecureHTTP, as BaseURL is; query and trailing
	// slash dropped.
	c, err := New(Config{BaseURL: "https://example.test/api/account/1", Credentials: testCreds, AllowInsecureHTTP: true,
		Services: map[Service]string{ServiceChatAgent: "http://agent.example.test/api/account/1/?x=1"}})
	if err != nil {
		t.Fatalf("insecure allowed: %v", err)
	}
	if got := c.ServiceBase(ServiceChatAgent); got != "http://agent.example.test/api/account/1" {
		t.Errorf("ServiceBase = %q", got)
	}
	if u, _ := url.Parse(c.ServiceBase(ServiceServerChat)); u.Host != "example.test" {
		t.Errorf("unknown service falls back to %s", u)
	}
}
