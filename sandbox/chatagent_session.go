package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The agent session: login, availability, the other agents, the agent's
// information, incoming chat requests and accepting them, the chats held.

func (s *Server) sessionURL(q *apiReq, id string) string {
	return s.baseFor(q, ServiceChatAgent) + "/agentSession/" + id
}

// agentSessionOf resolves an agent session and its agent.
func (st *state) agentSessionOf(id string) (*agentSession, *user, *apiError) {
	a := st.Sessions[id]
	if a == nil {
		return nil, nil, errorf(404, wire.CodeNotFound, "no agent session %q", id).why("POST agentSession to start one")
	}
	u := st.sessionUser(a)
	if u == nil {
		return nil, nil, errorf(404, wire.CodeNotFound, "the agent of session %q no longer exists", id)
	}
	return a, u, nil
}

// inSession adapts fn, which works on the session id and its agent, to
// viewed and updated.
func inSession[T any](id string, fn func(st *state, a *agentSession, u *user) (T, *apiError)) func(st *state) (T, *apiError) {
	return func(st *state) (T, *apiError) {
		a, u, e := st.agentSessionOf(id)
		if e != nil {
			var none T
			return none, e
		}
		return fn(st, a, u)
	}
}

// readSession answers what render makes of the session id.
func (s *Server) readSession(q *apiReq, id string, render func(st *state, a *agentSession, u *user) (*node, *apiError)) (*response, *apiError) {
	return rendered(viewed(s, inSession(id, render)))
}

// loginName reads who logs in: {"loginData": ""} and {"loginData": {}} as
// the page and the Postman collection send (the account's first user),
// {"loginData": {"userName", "password"}} as the sample app does (the
// password is not checked: the signed request already identifies the
// application), or lpdesk's earlier {"agentSession": {"loginName"}}.
func loginName(q *apiReq) (string, *apiError) {
	for _, m := range []struct{ member, field string }{{"loginData", "userName"}, {"agentSession", "loginName"}} {
		n := q.doc.child(m.member)
		if n == nil {
			continue
		}
		t := fieldReader{root: m.member, n: n}
		v := t.text(m.field, 64)
		return v, t.err
	}
	return "", nil
}

func (s *Server) caStartSession(q *apiReq, _ []string) (*response, *apiError) {
	login, e := loginName(q)
	if e != nil {
		return nil, e
	}
	a := &agentSession{ID: randomHex(8), Chat: agentOffline, Voice: agentOffline, Created: s.now().UTC()}
	e = s.update(func(st *state) *apiError {
		var u *user
		switch {
		case login != "":
			if u = st.userByLogin(login); u == nil {
				return errorf(400, wire.CodeValidation, "no user with loginName %q", login).why("GET users lists them")
			}
		case st.Users.len() > 0:
			u = st.Users.all()[0]
		default:
			return errorf(400, wire.CodeValidation, "the account has no users to log in as")
		}
		a.UserID, a.LoginName = u.ID, u.LoginName
		st.Sessions[a.ID] = a
		return nil
	})
	if e != nil {
		return nil, e
	}
	loc := s.sessionURL(q, a.ID)
	return &response{status: http.StatusCreated, location: loc, body: el("agentSessionLocation", linkEl("location", loc))}, nil
}

func (s *Server) caSession(q *apiReq, args []string) (*response, *apiError) {
	u := s.sessionURL(q, args[0])
	return s.readSession(q, args[0], func(st *state, a *agentSession, _ *user) (*node, *apiError) {
		return el("agentSession", textEl("loginName", a.LoginName),
			linkEl("self", u), linkEl("availability", u+"/availability"), linkEl("available-agents", u+"/availableAgents"),
			linkEl("chat-available-slots", u+"/chat/availableSlots"), linkEl("info", u+"/info"),
			linkEl("incomingRequests", u+"/incomingRequests"), linkEl("chatSessions", u+"/chatSessions"),
		).attr("id", a.ID), nil
	})
}

func (s *Server) caEndSession(q *apiReq, args []string) (*response, *apiError) {
	login, e := updated(s, inSession(args[0], func(st *state, a *agentSession, _ *user) (string, *apiError) {
		st.logout(s.now().UTC(), a)
		return a.LoginName, nil
	}))
	if e != nil {
		return nil, e
	}
	return ok(el("agentSession", textEl("loginName", login), textEl("state", "ended")).attr("id", args[0])), nil
}

func availabilityNode(a *agentSession) *node {
	return el("availability", textEl("chat", string(a.Chat)), textEl("voice", string(a.Voice)))
}

func (s *Server) caAvailability(q *apiReq, args []string) (*response, *apiError) {
	return s.readSession(q, args[0], func(_ *state, a *agentSession, _ *user) (*node, *apiError) {
		return availabilityNode(a), nil
	})
}

func parseAvailability(name, v string) (availability, *apiError) {
	if v == "" || slices.Contains(availabilities, availability(v)) {
		return availability(v), nil
	}
	return "", errorf(400, wire.CodeValidation, "%s availability %q is not one of Online, Occupied, Away, Offline (case-sensitive)", name, v)
}

func (s *Server) caSetAvailability(q *apiReq, args []string) (*response, *apiError) {
	n, e := q.member("availability", `{"availability": {"chat": "Online"}}`)
	if e != nil {
		return nil, e
	}
	t := fieldReader{root: "availability", n: n}
	chatText, voiceText := t.text("chat", 20), t.text("voice", 20)
	if t.err != nil {
		return nil, t.err
	}
	if chatText == "" && voiceText == "" {
		return nil, errorf(400, wire.CodeValidation, "set chat and/or voice to Online, Occupied, Away or Offline")
	}
	chatState, e := parseAvailability("chat", chatText)
	if e != nil {
		return nil, e
	}
	voice, e := parseAvailability("voice", voiceText)
	if e != nil {
		return nil, e
	}
	return rendered(updated(s, inSession(args[0], func(_ *state, a *agentSession, _ *user) (*node, *apiError) {
		if chatState != "" {
			a.Chat = chatState
		}
		if voice != "" {
			a.Voice = voice
		}
		return availabilityNode(a), nil
	})))
}

// stateCode is availableAgents' numeric chat state.
func stateCode(a availability) string {
	switch a {
	case agentOnline:
		return "2"
	case agentOccupied:
		return "3"
	case agentAway:
		return "4"
	}
	return "1"
}

func privilegeGroup(permission string) string {
	switch permission {
	case "Administrator":
		return "administrators"
	case "AgentManager":
		return "agentManagers"
	}
	return "agents"
}

func (s *Server) caAvailableAgents(q *apiReq, args []string) (*response, *apiError) {
	skillName, bySkill := q.param("skill")
	chatFilter, _ := q.param("chatState")
	if _, e := parseAvailability("chat", chatFilter); e != nil {
		return nil, e
	}
	now := s.now()
	self := s.sessionURL(q, args[0]) + "/availableAgents"
	return s.readSession(q, args[0], func(st *state, _ *agentSession, _ *user) (*node, *apiError) {
		var sk *skill
		if bySkill {
			if sk = st.skillByName(skillName); sk == nil {
				return nil, errorf(400, wire.CodeValidation, "unknown skill %q", skillName).why("skill names are case-sensitive")
			}
		}
		agents := el("agents")
		for _, u := range st.Users.all() {
			state := st.agentState(u.ID)
			if (sk != nil && !slices.Contains(u.SkillIDs, sk.ID)) || (chatFilter != "" && string(state) != chatFilter) {
				continue
			}
			skills := el("skills")
			for _, id := range u.SkillIDs {
				skills.add(textEl("skill", strconv.Itoa(id)))
			}
			a := el("agent", textEl("email", u.Email), textEl("nickname", nickname(u)),
				textEl("privilegeGroup", privilegeGroup(u.Permission)), skills, textEl("userName", u.LoginName)).
				attr("chatState", stateCode(state)).attr("id", strconv.Itoa(u.ID)).
				attr("maxChats", strconv.Itoa(u.MaxChats)).attr("voiceState", "1")
			if n := st.activeChats(u.ID); n > 0 {
				a.add(textEl("chats", strconv.Itoa(n)))
			}
			agents.add(a)
		}
		return el("availableAgents", agents,
			linkEl("next", fmt.Sprintf("%s?timeStamp=%d", self, now.UnixMilli()))), nil
	})
}

func (s *Server) caAvailableSlots(q *apiReq, args []string) (*response, *apiError) {
	if _, _, e := intParam(q, "maxWaitTime", 0, 86400); e != nil {
		return nil, e
	}
	return s.readSession(q, args[0], func(st *state, _ *agentSession, _ *user) (*node, *apiError) {
		return numEl("availableSlots", st.availableSlots(st.queueFilter(q))), nil
	})
}

func (s *Server) caAgentInfo(q *apiReq, args []string) (*response, *apiError) {
	self := s.sessionURL(q, args[0]) + "/info"
	return s.readSession(q, args[0], func(st *state, a *agentSession, u *user) (*node, *apiError) {
		skills := el("skillsInfo")
		for _, id := range u.SkillIDs {
			if sk, ok := st.Skills.get(id); ok {
				skills.add(el("skillInfo", textEl("id", strconv.Itoa(sk.ID)), textEl("name", sk.Name)))
			}
		}
		display := u.FullName
		if display == "" {
			display = nickname(u)
		}
		return el("info", linkEl("self", self), textEl("agentName", nickname(u)), textEl("displayName", display),
			textEl("loginName", u.LoginName), textEl("id", strconv.Itoa(u.ID)), textEl("maxChats", strconv.Itoa(u.MaxChats)),
			availabilityNode(a), skills), nil
	})
}

// caIncomingRequests counts the chats ringing this agent and, when there
// are any, links where to accept the next one (rel "accept": the page
// leaves the rel unnamed).
//
// Beyond the page, each ringing chat is described by a "request" element,
// oldest first (the one accepting takes): the documented answer has only
// the count, and an agent deciding whether to pick up wants to see who is
// waiting, for what and for how long. Clients of the platform must not
// rely on it; lpdesk's agent workspace shows it when it is there.
func (s *Server) caIncomingRequests(q *apiReq, args []string) (*response, *apiError) {
	self := s.sessionURL(q, args[0]) + "/incomingRequests"
	return s.readSession(q, args[0], func(st *state, a *agentSession, _ *user) (*node, *apiError) {
		ring := st.ringing(a)
		out := el("incomingRequests", textEl("ringingCount", strconv.Itoa(len(ring))))
		for _, c := range ring {
			out.add(ringingRequest(c))
		}
		if len(ring) > 0 {
			out.add(linkEl("accept", self))
		}
		return out, nil
	})
}

// ringingRequest describes a waiting chat to the agents it rings: its key,
// skill, visitor, how long it has waited and what the visitor said first.
func ringingRequest(c *chat) *node {
	n := el("request", textEl("chatSessionKey", c.ID))
	if c.Skill != "" {
		n.add(textEl("skillName", c.Skill), numEl("skillId", c.SkillID))
	}
	n.add(textEl("visitorName", visitorName(c, agentSide)), textEl("waitingSince", c.WaitingSince.Format(eventTime)))
	for _, ev := range c.Events {
		if ev.Type == eventLine && ev.Source == fromVisitor && !ev.AgentOnly {
			n.add(textEl("firstLine", ev.Text))
			break
		}
	}
	if c.Transferred {
		n.add(boolEl("transferred", true))
	}
	return n
}

// caAccept accepts the next chat ringing this agent. The body is {} as the
// page says or {"chat": "start"} as the sample app sends; neither matters.
func (s *Server) caAccept(q *apiReq, args []string) (*response, *apiError) {
	id, e := updated(s, inSession(args[0], func(st *state, a *agentSession, _ *user) (string, *apiError) {
		return keyOf(st.accept(s.now().UTC(), a))
	}))
	if e != nil {
		return nil, e
	}
	loc := s.sessionURL(q, args[0]) + "/chat/" + id
	return &response{status: http.StatusCreated, location: loc, body: el("chatLocation", linkEl("location", loc))}, nil
}

// caChatSessions lists the chats the session's agent holds (in this or
// another of the agent's sessions: the documented device continuity).
func (s *Server) caChatSessions(q *apiReq, args []string) (*response, *apiError) {
	base := s.sessionURL(q, args[0])
	return s.readSession(q, args[0], func(st *state, _ *agentSession, u *user) (*node, *apiError) {
		out := el("chatSessions")
		for _, c := range sortedValues(st.Chats) {
			if c.AgentID == u.ID && c.State != chatEnded {
				out.add(el("chatSession", linkEl("chat-session", base+"/chat/"+c.ID), textEl("chatSessionKey", c.ID),
					&node{Name: "startTime", Text: strconv.FormatInt(c.Started.UnixMilli(), 10), Kind: kindNumber}))
			}
		}
		return out, nil
	})
}

// caParticipant is an authenticated visitor's information. The sandbox
// has no identity provider behind the ssoKey: it answers the documented
// example's fields with the visitor's own identifiers.
func (s *Server) caParticipant(q *apiReq, args []string) (*response, *apiError) {
	resp, e := s.readSession(q, args[0], func(st *state, _ *agentSession, _ *user) (*node, *apiError) {
		var conv *conversation
		for _, c := range st.Conversations {
			if c.ParticipantID == args[1] {
				conv = c
			}
		}
		if conv == nil {
			return nil, errorf(404, wire.CodeNotFound, "no authenticated participant %q", args[1]).
				why("participant ids come from conversation.json (the chat info's participantId)")
		}
		date := func(name string, y, m, d int) *node {
			return el(name, numEl("year", y), numEl("month", m), numEl("day", d))
		}
		return el("participantInfo",
			el("authenticatedParticipantInfo", boolEl("isUserAuthenticated", true), textEl("participantId", conv.ParticipantID),
				&node{Name: "balance", Text: "0", Kind: kindNumber}, date("registrationDate", 2013, 5, 23), date("lastPaymentDate", 2014, 10, 15),
				textEl("customerId", conv.SSOKey), textEl("customerStatus", "active"), textEl("customerType", "regular"),
				textEl("socialId", ""), textEl("imei", ""), textEl("userName", conv.SSOKey), numEl("companySize", 0),
				textEl("accountName", ""), textEl("role", "")),
			el("authenticatedPersonalInfo", textEl("name", conv.SSOKey), textEl("surname", ""),
				el("contacts", textEl("email", ""), textEl("phone", "")))), nil
	})
	if e != nil {
		return nil, e
	}
	resp.bare = true // the page's JSON has no root element; XML keeps participantInfo
	return resp, nil
}
