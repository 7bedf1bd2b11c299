package sandbox

import (
	"net/http"
	"strconv"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The agent's side: an agent session, its availability, the incoming chat
// requests and the chats it holds.

func (s *Server) sessionURL(q *apiReq, id string) string { return q.base + "/agentSession/" + id }

func (st *state) sessionFor(args []string) (*agentSession, *apiError) {
	a := st.Sessions[args[0]]
	if a == nil {
		return nil, errorf(404, wire.CodeNotFound, "no agent session %q", args[0])
	}
	return a, nil
}

func (s *Server) sessionCreate(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	login := ""
	if q.doc != nil {
		fs, _, e := fields(q.doc, "agentSession", nil, []string{"loginName"}, nil)
		if e != nil {
			return nil, e
		}
		if login, e = optionalText(fs, "agentSession", "loginName", 64); e != nil {
			return nil, e
		}
	}
	var a *agentSession
	e := s.update(func(st *state) *apiError {
		if login == "" && st.Users.len() > 0 {
			login = st.Users.all()[0].LoginName
		} else if login != "" && st.userByLogin(login) == nil {
			return errorf(400, wire.CodeValidation, "no user with loginName %q", login)
		}
		a = &agentSession{ID: randomHex(8), LoginName: login, Chat: "Offline", Voice: "Offline", Created: s.now().UTC()}
		st.Sessions[a.ID] = a
		return nil
	})
	if e != nil {
		return nil, e
	}
	loc := s.sessionURL(q, a.ID)
	return &response{status: http.StatusCreated, location: loc, body: el("agentSessionLocation", linkEl("location", loc))}, nil
}

func (s *Server) sessionGet(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	var login string
	e := s.view(func(st *state) *apiError {
		a, e := st.sessionFor(args)
		if e == nil {
			login = a.LoginName
		}
		return e
	})
	if e != nil {
		return nil, e
	}
	u := s.sessionURL(q, args[0])
	return ok(el("agentSession", textEl("loginName", login),
		linkEl("self", u), linkEl("availability", u+"/availability"),
		linkEl("incomingRequests", u+"/incomingRequests"), linkEl("chatSessions", u+"/chatSessions"),
	).attr("id", args[0])), nil
}

func (s *Server) sessionDelete(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	var login string
	e := s.update(func(st *state) *apiError {
		a, e := st.sessionFor(args)
		if e != nil {
			return e
		}
		login = a.LoginName
		delete(st.Sessions, a.ID)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return ok(el("agentSession", textEl("loginName", login), textEl("state", "ended")).attr("id", args[0])), nil
}

func availabilityNode(a *agentSession) *node {
	return el("availability", textEl("chat", a.Chat), textEl("voice", a.Voice))
}

func (s *Server) sessionAvailability(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	var n *node
	e := s.view(func(st *state) *apiError {
		a, e := st.sessionFor(args)
		if e == nil {
			n = availabilityNode(a)
		}
		return e
	})
	if e != nil {
		return nil, e
	}
	return ok(n), nil
}

var availabilityStates = []string{"Online", "Away", "Offline"}

func (s *Server) sessionSetAvailability(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	fs, _, e := fields(q.doc, "availability", nil, []string{"chat", "voice"}, nil)
	if e != nil {
		return nil, e
	}
	chatState, e := optionalText(fs, "availability", "chat", 20)
	if e != nil {
		return nil, e
	}
	voice, e := optionalText(fs, "availability", "voice", 20)
	if e != nil {
		return nil, e
	}
	if chatState == "" && voice == "" {
		return nil, errorf(400, wire.CodeValidation, "set chat and/or voice to Online, Away or Offline")
	}
	for _, v := range []string{chatState, voice} {
		if v != "" && !contains(availabilityStates, v) {
			return nil, errorf(400, wire.CodeValidation, "availability %q is not one of Online, Away, Offline (case-sensitive)", v)
		}
	}
	var n *node
	e = s.update(func(st *state) *apiError {
		a, e := st.sessionFor(args)
		if e != nil {
			return e
		}
		if chatState != "" {
			a.Chat = chatState
		}
		if voice != "" {
			a.Voice = voice
		}
		n = availabilityNode(a)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return ok(n), nil
}

func (s *Server) incomingRequests(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	ringing := 0
	e := s.view(func(st *state) *apiError {
		a, e := st.sessionFor(args)
		if e != nil {
			return e
		}
		if a.Chat == "Online" {
			for _, c := range st.Chats {
				if c.State == "waiting" {
					ringing++
				}
			}
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return ok(el("incomingRequests", textEl("ringingCount", strconv.Itoa(ringing)))), nil
}

func (s *Server) chatSessions(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	n := el("chatSessions", linkEl("self", s.sessionURL(q, args[0])+"/chatSessions"))
	e := s.view(func(st *state) *apiError {
		if _, e := st.sessionFor(args); e != nil {
			return e
		}
		for _, c := range sortedValues(st.Chats) {
			if c.State != "ended" {
				n.add(el("chatSession", textEl("state", c.State), textEl("skillName", c.Skill), linkEl("self", s.chatURL(q, c.ID))).attr("id", c.ID))
			}
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return ok(n), nil
}
