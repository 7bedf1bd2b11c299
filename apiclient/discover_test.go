package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// domainAPI is a fake global API host: the Domain API answers from
// answers (service name → status and body; missing means 404), and the
// account URL redirects to redirectTo (404 when empty). It records every
// request's path and whether it carried credentials.
type domainAPI struct {
	srv        *httptest.Server
	answers    map[string]func() (int, string)
	redirectTo string

	mu    sync.Mutex
	paths []string
	creds bool
}

func newDomainAPI(t *testing.T) *domainAPI {
	d := &domainAPI{answers: map[string]func() (int, string){}}
	d.srv = serve(t, func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		d.paths = append(d.paths, r.URL.Path+"?"+r.URL.RawQuery)
		if r.Header.Get("Authorization") != "" || strings.Contains(r.URL.RawQuery, "oauth_") || strings.Contains(r.URL.RawQuery, "appKey") {
			d.creds = true
		}
		d.mu.Unlock()
		const prefix = "/api/account/12345678/service/"
		if svc, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, prefix), "/baseURI.json"); ok && strings.HasPrefix(r.URL.Path, prefix) {
			if r.URL.RawQuery != "version=1.0" {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			answer, ok := d.answers[svc]
			if !ok {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			status, body := answer()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprint(w, body)
			return
		}
		if r.URL.Path == "/api/account/12345678" && d.redirectTo != "" {
			http.Redirect(w, r, d.redirectTo+"?v=1", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	})
	return d
}

func (d *domainAPI) answer(service string, status int, body string) {
	d.answers[service] = func() (int, string) { return status, body }
}

func (d *domainAPI) seen() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.paths...)
}

func hostOf(srv *httptest.Server) string { return strings.TrimPrefix(srv.URL, "http://") }

// TestDiscoverDomainAPITwoListeners: the Domain API puts the Chat Agent and
// Server Chat services on two listeners (one baseURI a bare host as
// LivePerson gives it, one with a scheme); the account base comes from the
// redirect. A Client built from the answer sends each request to its
// service's listener, and discovery itself sent no credentials.
func TestDiscoverDomainAPITwoListeners(t *testing.T) {
	account, agent, chat := newListener(t), newListener(t), newListener(t)
	const acct = "/api/account/12345678"
	d := newDomainAPI(t)
	d.answer("agentVep", 200, `{"service":"agentVep","account":"12345678","baseURI":"`+hostOf(agent.srv)+`"}`)
	d.answer("conversationVep", 200, `{"service":"conversationVep","account":"12345678","baseURI":"`+chat.srv.URL+`/"}`)
	d.redirectTo = account.srv.URL + acct

	got, err := Discover(context.Background(), nil, d.srv.URL, "12345678")
	if err != nil {
		t.Fatal(err)
	}
	want := Discovery{Account: account.srv.URL + acct, Services: map[Service]string{
		ServiceChatAgent: agent.srv.URL + acct, ServiceServerChat: chat.srv.URL + acct}}
	if got.Account != want.Account || len(got.Services) != 2 || got.Services[ServiceChatAgent] != want.Services[ServiceChatAgent] ||
		got.Services[ServiceServerChat] != want.Services[ServiceServerChat] {
		t.Fatalf("Discover = %+v\nwant       %+v", got, want)
	}
	seen := d.seen()
	wantSeen := []string{
		acct + "/service/accountConfigReadWrite/baseURI.json?version=1.0",
		acct + "/service/conversationVep/baseURI.json?version=1.0",
		acct + "/service/agentVep/baseURI.json?version=1.0",
		acct + "/service/smt/baseURI.json?version=1.0",
		acct + "?v=1",
	}
	if strings.Join(seen, "\n") != strings.Join(wantSeen, "\n") {
		t.Errorf("the API host saw\n%s\nwant\n%s", strings.Join(seen, "\n"), strings.Join(wantSeen, "\n"))
	}
	if d.creds {
		t.Error("discovery sent credentials")
	}

	c := newTestClient(t, got.Account, func(cfg *Config) { cfg.BaseURL, cfg.Services = got.Account, got.Services })
	ctx := context.Background()
	for path, at := range map[string]listener{"agentSession/1/incomingRequests": agent, "chat/availability": chat, "skills": account} {
		n := at.rec.count()
		if _, err := c.Get(ctx, path, nil); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if at.rec.count() != n+1 {
			t.Errorf("%s did not land on its listener", path)
			continue
		}
		if s := at.rec.last(t); s.Path != acct+"/"+path || s.SigErr != nil || !s.Signed {
			t.Errorf("%s arrived as %s, signature %v %v", path, s.Path, s.Signed, s.SigErr)
		}
	}
	if n := account.rec.count() + agent.rec.count() + chat.rec.count(); n != 4 { // the redirect's final GET + 3
		t.Errorf("%d requests on the service listeners, want 4", n)
	}
}

// The domain-api page's own example is the all-services list; at the
// per-service URL it is read for the service asked about. With the account
// base from the Domain API, no redirect discovery is made.
func TestDiscoverDomainAPIListShape(t *testing.T) {
	account, agent := newListener(t), newListener(t)
	d := newDomainAPI(t)
	list := `{"baseURIs":[
		{"service":"liveEngageUI","account":"12345678","baseURI":"lo.le1.example.test"},
		{"service":"agentVep","account":"12345678","baseURI":"` + hostOf(agent.srv) + `"},
		{"service":"accountConfigReadWrite","account":"12345678","baseURI":"` + hostOf(account.srv) + `"}]}`
	for _, s := range []string{"accountConfigReadWrite", "agentVep", "conversationVep", "smt"} {
		d.answer(s, 200, list)
	}
	got, err := Discover(context.Background(), nil, d.srv.URL, "12345678")
	if err != nil {
		t.Fatal(err)
	}
	if got.Account != account.srv.URL+"/api/account/12345678" || len(got.Services) != 1 || got.Services[ServiceChatAgent] != agent.srv.URL+"/api/account/12345678" {
		t.Errorf("Discover = %+v", got)
	}
	for _, p := range d.seen() {
		if !strings.Contains(p, "/service/") {
			t.Errorf("redirect discovery made although the Domain API gave the account base: %s", p)
		}
	}
}

// Without a Domain API (404 for every service), discovery is what it was:
// the redirect, and no services.
func TestDiscoverFallsBackWithoutDomainAPI(t *testing.T) {
	account := newListener(t)
	d := newDomainAPI(t)
	d.redirectTo = account.srv.URL + "/api/account/12345678"
	got, err := Discover(context.Background(), nil, d.srv.URL, "12345678")
	if err != nil || got.Account != d.redirectTo || len(got.Services) != 0 {
		t.Fatalf("Discover = %+v, %v", got, err)
	}
	if seen := d.seen(); len(seen) != len(discoveredServices)+1 || seen[len(seen)-1] != "/api/account/12345678?v=1" {
		t.Errorf("the API host saw %q", seen)
	}
	// Any 4xx means "not here" (an older server refuses the Domain API's
	// URL without v=1 with 400): the fallback still works.
	d.answer("agentVep", http.StatusBadRequest, `{"error":{"message":"missing version parameter","internalCode":"41"}}`)
	d.answer("conversationVep", http.StatusUnauthorized, ``)
	if got, err := Discover(context.Background(), nil, d.srv.URL, "12345678"); err != nil || got.Account != d.redirectTo || len(got.Services) != 0 {
		t.Errorf("4xx answers: %+v, %v", got, err)
	}
}

// An answer the Domain API gives but Discover cannot use fails discovery
// with the reason, rather than falling back silently to the wrong host.
func TestDiscoverRefusesBadDomainAnswers(t *testing.T) {
	account := newListener(t)
	for name, tc := range map[string]struct {
		status int
		body   string
		want   error
	}{
		"server error":    {500, `{"error":{"message":"boom"}}`, nil},
		"not JSON":        {200, `<html>portal</html>`, ErrDomainAPI},
		"other account":   {200, `{"service":"agentVep","account":"999","baseURI":"127.0.0.1:1"}`, ErrDomainAPI},
		"other service":   {200, `{"service":"smt","account":"12345678","baseURI":"127.0.0.1:1"}`, ErrDomainAPI},
		"empty baseURI":   {200, `{"service":"agentVep","account":"12345678","baseURI":""}`, ErrDomainAPI},
		"baseURI path":    {200, `{"service":"agentVep","account":"12345678","baseURI":"127.0.0.1:1/le"}`, ErrDomainAPI},
		"baseURI scheme":  {200, `{"service":"agentVep","account":"12345678","baseURI":"ftp://127.0.0.1:1"}`, ErrDomainAPI},
		"baseURI user":    {200, `{"service":"agentVep","account":"12345678","baseURI":"http://u:p@127.0.0.1:1"}`, ErrDomainAPI},
		"plain http host": {200, `{"service":"agentVep","account":"12345678","baseURI":"agent.example.test"}`, ErrInsecureHTTP},
	} {
		d := newDomainAPI(t)
		d.redirectTo = account.srv.URL + "/api/account/12345678"
		d.answer("agentVep", tc.status, tc.body)
		_, err := Discover(context.Background(), nil, d.srv.URL, "12345678")
		var ae *APIError
		switch {
		case err == nil:
			t.Errorf("%s: accepted", name)
		case tc.want == nil && (!errors.As(err, &ae) || ae.Status != 500):
			t.Errorf("%s: %v, want the APIError", name, err)
		case tc.want != nil && !errors.Is(err, tc.want):
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		case !strings.Contains(err.Error(), "agentVep"):
			t.Errorf("%s: %v does not name the service", name, err)
		}
	}
}

// A bare baseURI takes the scheme the Domain API was asked with: https for
// LivePerson, http for a loopback sandbox.
func TestServiceHostScheme(t *testing.T) {
	for _, tc := range []struct{ baseURI, scheme, want string }{
		{"lo.le1.liveperson.net", "https", "https://lo.le1.liveperson.net"},
		{" lo.le1.liveperson.net/ ", "https", "https://lo.le1.liveperson.net"},
		{"127.0.0.1:8089", "http", "http://127.0.0.1:8089"},
		{"http://127.0.0.1:8089", "https", "http://127.0.0.1:8089"},
		{"HTTPS://Agent.example.test:8443", "http", "https://Agent.example.test:8443"},
		{"[::1]:8089", "http", "http://[::1]:8089"},
	} {
		u, err := serviceHost(tc.baseURI, tc.scheme)
		if err != nil || u.String() != tc.want {
			t.Errorf("serviceHost(%q, %s) = %v, %v; want %s", tc.baseURI, tc.scheme, u, err, tc.want)
		}
	}
}

func TestDiscoverUnit(t *testing.T) {
	ctx := context.Background()
	target := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "1" {
			w.WriteHeader(400)
			return
		}
		w.WriteHeader(http.StatusUnauthorized) // unsigned: the URL is still the answer
	})
	global := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/account/42":
			http.Redirect(w, r, target.URL+"/api/account/42?v=1", http.StatusFound)
		case "/api/account/7":
			http.Redirect(w, r, "http://example.com/api/account/7", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(404)
			w.Write(wire.Error{Message: "no account", InternalCode: wire.CodeNotFound}.Marshal(wire.XML))
		}
	})
	got, err := Discover(ctx, nil, global.URL, "42")
	if err != nil || got.Account != target.URL+"/api/account/42" || len(got.Services) != 0 {
		t.Fatalf("Discover = %q %v", got, err)
	}
	if _, err := Discover(ctx, nil, global.URL, "7"); !errors.Is(err, ErrUnsafeRedirect) {
		t.Errorf("redirect to plain http elsewhere: %v", err)
	}
	_, err = Discover(ctx, global.Client(), global.URL, "99")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 404 || ae.InternalCode != wire.CodeNotFound {
		t.Errorf("unknown account: %v", err)
	}
	if global.Client().CheckRedirect != nil {
		t.Error("Discover changed the caller's client")
	}
	for _, id := range []string{"", "1/2", "1?x"} {
		if _, err := Discover(ctx, nil, global.URL, id); err == nil {
			t.Errorf("account id %q accepted", id)
		}
	}
}
