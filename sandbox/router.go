package sandbox

import (
	"net/http"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// handler serves one resource for one effective method; args are the
// path's variable segments. The router has already refused the query
// parameters its route does not take (route.query).
type handler func(q *apiReq, args []string) (*response, *apiError)

// Service is a Domain API service name: the sandbox can serve each on a
// base URL of its own.
type Service string

const (
	// ServiceServerChat is the Server Chat API (the visitor's side).
	ServiceServerChat Service = "conversationVep"
	// ServiceChatAgent is the Chat Agent API (the agent's side).
	ServiceChatAgent Service = "agentVep"
	// ServiceMonitoring is the Engagement Attributes and Visit Information
	// APIs.
	ServiceMonitoring Service = "smt"
	// serviceAccount is lpdesk's own account resources (the account base,
	// skills, users): always on the main listener.
	serviceAccount Service = ""
)

// Services are the services that can be placed on a base URL of their own.
var Services = []Service{ServiceServerChat, ServiceChatAgent, ServiceMonitoring}

// authMode says which credentials an API takes.
type authMode int

const (
	// authSignedOrAppKey: OAuth 1.0a, or "LivePerson appKey=…" when the
	// account allows unsigned calls.
	authSignedOrAppKey authMode = iota
	// authSigned: OAuth 1.0a only.
	authSigned
)

// bodyMode says how an API reads request bodies.
type bodyMode int

const (
	// bodyRoot: one root element, {"skill": {…}} or <skill>…</skill>.
	bodyRoot bodyMode = iota
	// bodyMembers: the JSON object's members (or the XML root) become the
	// children of a "body" node, so {} and bodies with several members,
	// as some documented examples are, read alike.
	bodyMembers
	// bodyRaw: the handler reads q.body itself.
	bodyRaw
)

// route is one documented method: the effective HTTP method, the path below
// the account base ("{…}" matches one segment), and the documentation
// page it implements ("a|b" when one route serves two pages' methods).
type route struct {
	method  string
	pattern string
	doc     string
	h       handler
	segs    []string
	// params are the query parameters the method takes besides the
	// protocol's own; any other is refused before h runs.
	params []string
}

// query names the query parameters r takes.
func (r route) query(names ...string) route {
	r.params = names
	return r
}

func get(pattern, doc string, h handler) route {
	return route{method: "GET", pattern: pattern, doc: doc, h: h}
}
func post(pattern, doc string, h handler) route {
	return route{method: "POST", pattern: pattern, doc: doc, h: h}
}
func put(pattern, doc string, h handler) route {
	return route{method: "PUT", pattern: pattern, doc: doc, h: h}
}
func del(pattern, doc string, h handler) route {
	return route{method: "DELETE", pattern: pattern, doc: doc, h: h}
}

// api is one API's route table.
type api struct {
	name    string
	service Service
	auth    authMode
	body    bodyMode
	routes  []route
}

// DocBase is where the documentation pages the routes name are published.
const DocBase = "https://github.com/LivePersonInc/developer-center/blob/master/"

// buildAPIs makes the route tables; New calls it once, because they would
// otherwise be allocated on every request.
func (s *Server) buildAPIs() []*api {
	apis := []*api{s.accountAPI(), s.serverChatAPI(), s.chatAgentAPI(), s.monitoringAPI()}
	for _, a := range apis {
		for i := range a.routes {
			r := &a.routes[i]
			if r.pattern != "" {
				r.segs = strings.Split(strings.TrimPrefix(r.pattern, "/"), "/")
			}
		}
	}
	return apis
}

func match(segs, pattern []string, eq func(a, b string) bool) ([]string, bool) {
	if len(segs) != len(pattern) {
		return nil, false
	}
	var args []string
	for i, p := range pattern {
		switch {
		case strings.HasPrefix(p, "{"):
			if segs[i] == "" {
				return nil, false
			}
			args = append(args, segs[i])
		case !eq(p, segs[i]):
			return nil, false
		}
	}
	return args, true
}

func splitPath(rest string) []string {
	if rest == "" {
		return nil
	}
	return strings.Split(strings.TrimPrefix(rest, "/"), "/")
}

// resource is the routes of the first pattern that matches a path: the
// methods one resource has.
type resource struct {
	api    *api
	routes []*route
	args   []string
}

// find returns the resource at rest (the path below the account base), or
// nil.
func (s *Server) find(rest string) *resource {
	segs := splitPath(rest)
	exact := func(a, b string) bool { return a == b }
	for _, a := range s.apis {
		for i := range a.routes {
			r := &a.routes[i]
			args, ok := match(segs, r.segs, exact)
			if !ok {
				continue
			}
			res := &resource{api: a, args: args}
			for j := range a.routes {
				if a.routes[j].pattern == r.pattern {
					res.routes = append(res.routes, &a.routes[j])
				}
			}
			return res
		}
	}
	return nil
}

// notFound explains a path no route matches, naming a differently cased
// one if there is one.
func (s *Server) notFound(rest string) *apiError {
	e := errorf(404, wire.CodeNotFound, "no resource at %s%s", s.cfg.BasePath, rest)
	segs := splitPath(rest)
	for _, a := range s.apis {
		for _, r := range a.routes {
			if _, ok := match(segs, r.segs, strings.EqualFold); ok {
				return e.why("paths are case-sensitive: " + s.cfg.BasePath + r.pattern + " exists")
			}
		}
	}
	return e
}

// handler returns the resource's handler for method, or a 405 naming the
// methods it has.
func (res *resource) handler(method string) (*route, *apiError) {
	for _, r := range res.routes {
		if r.method == method {
			return r, nil
		}
	}
	var allowed []string
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		for _, r := range res.routes {
			if r.method == m {
				if m == "PUT" || m == "DELETE" {
					m = "POST with X-HTTP-Method-Override: " + m
				}
				allowed = append(allowed, m)
				break
			}
		}
	}
	return nil, errorf(http.StatusMethodNotAllowed, wire.CodeMethodNotAllowed, "%s is not allowed on this resource", method).
		why("allowed: " + strings.Join(allowed, ", "))
}
