package sandbox

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
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
