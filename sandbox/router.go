package sandbox

import (
	"net/http"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// handler serves one resource for one effective method; args are the
// path's variable segments.
type handler func(q *apiReq, args []string) (*response, *apiError)

type route struct {
	segs    []string // "{}" matches one non-empty segment
	methods map[string]handler
}

// buildRoutes makes the route table; New calls it once, because the table
// and its method maps would otherwise be allocated on every request.
func (s *Server) buildRoutes() []route {
	r := func(pattern string, m map[string]handler) route {
		var segs []string
		if pattern != "" {
			segs = strings.Split(strings.TrimPrefix(pattern, "/"), "/")
		}
		return route{segs: segs, methods: m}
	}
	skills, users := s.skillsAPI(), s.usersAPI()
	return []route{
		r("", map[string]handler{"GET": s.accountBase}),
		r("/chat/availability", map[string]handler{"GET": s.chatAvailability}),
		r("/chat/estimatedWaitTime", map[string]handler{"GET": s.estimatedWaitTime}),
		r("/chat/availableSlots", map[string]handler{"GET": s.availableSlots}),
		r("/chat/request", map[string]handler{"POST": s.chatRequest}),
		r("/chat/{}", map[string]handler{"GET": s.chatGet}),
		r("/chat/{}/events", map[string]handler{"GET": s.eventsGet, "POST": s.eventsPost}),
		r("/chat/{}/info", map[string]handler{"GET": s.chatInfo}),
		r("/chat/{}/transcriptRequest", map[string]handler{"POST": s.transcriptRequest}),
		r("/agentSession", map[string]handler{"POST": s.sessionCreate}),
		r("/agentSession/{}", map[string]handler{"GET": s.sessionGet, "DELETE": s.sessionDelete}),
		r("/agentSession/{}/availability", map[string]handler{"GET": s.sessionAvailability, "PUT": s.sessionSetAvailability}),
		r("/agentSession/{}/incomingRequests", map[string]handler{"GET": s.incomingRequests}),
		r("/agentSession/{}/chatSessions", map[string]handler{"GET": s.chatSessions}),
		r("/skills", map[string]handler{"GET": skills.list, "POST": skills.create}),
		r("/skills/{}", map[string]handler{"GET": skills.get, "PUT": skills.update, "DELETE": skills.remove}),
		r("/users", map[string]handler{"GET": users.list, "POST": users.create}),
		r("/users/{}", map[string]handler{"GET": users.get, "PUT": users.update, "DELETE": users.remove}),
	}
}

func match(segs, pattern []string, eq func(a, b string) bool) ([]string, bool) {
	if len(segs) != len(pattern) {
		return nil, false
	}
	var args []string
	for i, p := range pattern {
		switch {
		case p == "{}":
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

// route finds the handler for rest (the path below the account base).
func (s *Server) route(rest, method string) (handler, []string, *apiError) {
	var segs []string
	if rest != "" {
		segs = strings.Split(strings.TrimPrefix(rest, "/"), "/")
	}
	exact := func(a, b string) bool { return a == b }
	for _, rt := range s.rt {
		args, ok := match(segs, rt.segs, exact)
		if !ok {
			continue
		}
		h, ok := rt.methods[method]
		if !ok {
			var allowed []string
			for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
				if _, ok := rt.methods[m]; ok {
					if m == "PUT" || m == "DELETE" {
						m = "POST with X-HTTP-Method-Override: " + m
					}
					allowed = append(allowed, m)
				}
			}
			return nil, nil, errorf(http.StatusMethodNotAllowed, wire.CodeMethodNotAllowed, "%s is not allowed on this resource", method).
				why("allowed: " + strings.Join(allowed, ", "))
		}
		return h, args, nil
	}
	e := errorf(404, wire.CodeNotFound, "no resource at %s%s", s.cfg.BasePath, rest)
	for _, rt := range s.rt {
		if _, ok := match(segs, rt.segs, strings.EqualFold); ok {
			return nil, nil, e.why("paths are case-sensitive: " + s.cfg.BasePath + "/" + strings.Join(rt.segs, "/") + " exists")
		}
	}
	return nil, nil, e
}
