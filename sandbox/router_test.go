package sandbox

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Every documented method (testdata/docs-methods.json) has a route naming
// its page, and every page a route names is a documented one: the route
// tables read like the documentation's method lists.
func TestRouteTablesNameTheDocPages(t *testing.T) {
	raw, err := os.ReadFile("testdata/docs-methods.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Methods []struct{ API, Doc, Method, Override string }
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	s, err := New(DemoConfig())
	if err != nil {
		t.Fatal(err)
	}
	routed := map[string]bool{}
	for _, a := range s.apis {
		for _, r := range a.routes {
			for _, doc := range strings.Split(r.doc, "|") {
				routed[r.method+" "+doc] = true
			}
		}
	}
	documented := map[string]bool{}
	for _, m := range f.Methods {
		if m.API == "domain" {
			continue // answered before routing (domain.go)
		}
		method := m.Method
		if m.Override != "" {
			method = m.Override
		}
		documented[m.Doc] = true
		if !routed[method+" "+m.Doc] {
			t.Errorf("no %s route names %s", method, m.Doc)
		}
	}
	for k := range routed {
		_, doc, _ := strings.Cut(k, " ")
		if doc != "" && !documented[doc] {
			t.Errorf("route %s names a page that is not a documented method", k)
		}
	}
}

// Each route takes the query parameters it names (route.query) and the
// router refuses any other before the handler runs, naming a wrongly cased
// one or what the resource takes.
func TestRoutesRefuseQueryParametersTheyDoNotTake(t *testing.T) {
	e := newEnv(t, nil)
	a := e.acct()
	for _, c := range []struct {
		method, path, body string
		reason             string // "" when the call must succeed
	}{
		{"GET", a + "/skills?v=1&limit=2&offset=1", "", ""},
		{"GET", a + "/skills?v=1&Limit=2", "", `parameter names are case-sensitive: did you mean "limit"?`},
		{"GET", a + "/skills/1?v=1&limit=2", "", "this resource takes no parameters besides v"},
		{"GET", a + "/chat/availability?v=1&NC=true&skill=Support&maxWaitTime=20", "", ""},
		{"GET", a + "/chat/availability?v=1&skills=Support", "", "this resource takes: skill, serviceQueue, maxWaitTime, agent"},
		// Refused before the handler reads the body (which lacks a name).
		{"POST", a + "/skills?v=1&dryRun=1", `{"skill": {}}`, "this resource takes no parameters besides v"},
	} {
		resp, body := e.api(call{method: c.method, path: c.path, body: c.body, contentType: "application/json"})
		if c.reason == "" {
			wantStatus(t, resp, body, http.StatusOK)
			continue
		}
		if got := wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON); !strings.HasPrefix(got.Message, "unknown query parameter") || got.Reason != c.reason {
			t.Errorf("%s %s: %q (%q), want an unknown query parameter refused with %q", c.method, c.path, got.Message, got.Reason, c.reason)
		}
	}
}
