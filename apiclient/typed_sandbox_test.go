package apiclient_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// wireLog keeps the request target of every request the sandbox received,
// as it arrived.
type wireLog struct {
	mu      sync.Mutex
	targets []string
}

func (l *wireLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.targets = append(l.targets, r.RequestURI)
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (l *wireLog) last() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.targets) == 0 {
		return ""
	}
	return l.targets[len(l.targets)-1]
}

// typedCase is a path as a person types it, what must arrive on the wire
// (the query's start) and the skill the server must read from it.
type typedCase struct {
	typed, wire, skill string
}

var typedCases = []typedCase{
	{"chat/availability?skill=Sales and Support", "skill=Sales%20and%20Support&v=1", "Sales and Support"},
	{"chat/availability?skill=100%", "skill=100%25&v=1", "100%"},
	{"chat/availability?skill=Ventes été", "skill=Ventes%20%C3%A9t%C3%A9&v=1", "Ventes été"},
	{"chat/availability?skill=[VIP] Sales", "skill=%5BVIP%5D%20Sales&v=1", "[VIP] Sales"},
	{"chat/availability?skill=Sales%20and%20Support", "skill=Sales%20and%20Support&v=1", "Sales and Support"},
	{"chat/availability?skill=Caf%C3%A9 Cr%C3%A8me/1", "skill=Caf%C3%A9%20Cr%C3%A8me/1&v=1", "Café Crème/1"},
	{"chat/availability?skill=C%2B%2B", "skill=C%2B%2B&v=1", "C++"},
	{"chat/availability?skill=Sales+and+Support", "skill=Sales+and+Support&v=1", "Sales and Support"}, // '+' is a space
}

// TestTypedPathsAgainstSandbox sends paths as users type them, through
// EncodeTypedURL, to the real sandbox in both credential placements: the
// sandbox verifies each signature (200, not 401), so the client signed the
// encoded form the server sees, and reads the skill that was typed.
func TestTypedPathsAgainstSandbox(t *testing.T) {
	var log wireLog
	e := newEnv(t, nil, log.wrap)
	ctx := context.Background()
	for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
		c := e.client(t, func(c *apiclient.Config) { c.Placement = pl })
		for _, tc := range typedCases {
			resp, err := c.Do(ctx, &apiclient.Request{Path: apiclient.EncodeTypedURL(tc.typed)})
			if err != nil {
				t.Errorf("%s %q: %v", pl, tc.typed, err)
				continue
			}
			target := log.last()
			path, query, _ := strings.Cut(target, "?")
			if path != e.sb.AccountPath()+"/chat/availability" || !strings.HasPrefix(query, tc.wire) {
				t.Errorf("%s %q arrived as %s, want query starting %s", pl, tc.typed, target, tc.wire)
			}
			ps, err := oauthsig.ParseForm(query)
			if err != nil || ps[0].Key != "skill" || ps[0].Value != tc.skill {
				t.Errorf("%s %q: the server reads %v (%v), want skill %q", pl, tc.typed, ps, err, tc.skill)
			}
			if resp.Status != http.StatusOK || !strings.Contains(string(resp.Body), "availability") {
				t.Errorf("%s %q: %d %s", pl, tc.typed, resp.Status, resp.Body)
			}
		}
	}

	// A path segment typed with a space and brackets.
	c := e.client(t, nil)
	_, err := c.Do(ctx, &apiclient.Request{Path: apiclient.EncodeTypedURL("skills/[1] x")})
	if got := log.last(); !strings.HasPrefix(got, e.sb.AccountPath()+"/skills/%5B1%5D%20x?") {
		t.Errorf("path arrived as %s", got)
	}
	var ae *apiclient.APIError
	if !errors.As(err, &ae) || ae.Status < 400 || ae.Status == http.StatusUnauthorized || ae.Status > 499 {
		t.Errorf("skills/[1] x: %v, want the sandbox's refusal of the id (signature accepted)", err)
	}
}

// Typed without EncodeTypedURL, the same input is not a valid URL: Do
// refuses it rather than sending something the server reads differently
// (this is why `lpdesk api` and the address bar encode what is typed).
func TestUntypedInputIsNotSent(t *testing.T) {
	var log wireLog
	e := newEnv(t, nil, log.wrap)
	c := e.client(t, nil)
	if _, err := c.Do(context.Background(), &apiclient.Request{Path: "chat/availability?skill=100%"}); err == nil {
		t.Error("a raw '%' that is not an escape was sent")
	}
	if log.last() != "" {
		t.Errorf("the sandbox saw %s", log.last())
	}
}

// A link from a response is followed exactly as the server wrote it, even
// in a form EncodeTypedURL would leave alone but another encoder would
// change ('+', lower-case escapes, sub-delims).
func TestLinksAreFollowedExactly(t *testing.T) {
	var log wireLog
	e := newEnv(t, nil, log.wrap)
	c := e.client(t, nil)
	href := e.srv.URL + e.sb.AccountPath() + "/chat/availability?skill=Sales+and%20Support%2c&v=1"
	if _, err := c.Do(context.Background(), &apiclient.Request{Path: href}); err != nil {
		t.Fatal(err)
	}
	if got := log.last(); got != e.sb.AccountPath()+"/chat/availability?skill=Sales+and%20Support%2c&v=1" {
		t.Errorf("link followed as %s", got)
	}
}
