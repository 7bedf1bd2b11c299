package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/assets"
)

// Issue 12: a query typed into the path reached the server unencoded (a
// bare-text 400) or failed inside the client ('%'). Now what is typed is
// encoded before signing, and the sandbox answers.
func TestTypedQueryIsEncoded(t *testing.T) {
	h := newHarness(t)
	for _, typed := range []string{
		"chat/availability?skill=Sales and Support",
		"chat/availability?skill=100%",
		"chat/availability?skill=Ventes été",
		"chat/availability?skill=[VIP] Sales",
		"chat/availability?skill=Sales%20and%20Support",
		h.srv.URL + "/api/account/12345678/chat/availability?skill=Sales and Support",
	} {
		out, errOut, err := h.run(t, "", false, typed)
		if err != nil || !strings.Contains(out, `"availability"`) {
			t.Errorf("%q: %v\n%s%s", typed, err, out, errOut)
		}
	}
}

// An absolute URL on one of the profile's service bases (a link the Chat
// Agent API gave, on its own host) is the profile's too; any other origin
// is still refused.
func TestAbsoluteURLOnServiceOrigin(t *testing.T) {
	h := newHarness(t)
	var onAgent atomic.Int32
	agent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		onAgent.Add(1)
		h.sb.ServeHTTP(w, r)
	}))
	t.Cleanup(agent.Close)
	tok, sec, err := h.sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := apiclient.New(apiclient.Config{BaseURL: h.srv.URL + h.sb.AccountPath(), AccountID: "12345678",
		Services: map[apiclient.Service]string{apiclient.ServiceChatAgent: agent.URL + h.sb.AccountPath()},
		Credentials: apiclient.Credentials{ConsumerKey: assets.DemoConsumerKey, ConsumerSecret: assets.DemoConsumerSecret,
			Token: tok, TokenSecret: sec}})
	if err != nil {
		t.Fatal(err)
	}
	h.client = c
	if out, _, err := h.run(t, "", false, agent.URL+h.sb.AccountPath()+"/skills/1"); err != nil || !strings.Contains(out, `"skill"`) || onAgent.Load() != 1 {
		t.Fatalf("URL on the agent service's origin: %v (%d requests there)\n%s", err, onAgent.Load(), out)
	}
	if _, _, err := h.run(t, "", false, "http://localhost:1/x"); !errors.Is(err, ErrOtherOrigin) {
		t.Errorf("other origin: %v", err)
	}
}
