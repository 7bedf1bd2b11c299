package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The agent's chats: the chat resource (one or several), events, lines and
// the end, info, typing, transfer, the agent survey. An agent session
// reaches the chats its agent holds.

func (s *Server) agentView(q *apiReq, sessionID, chatID string) chatView {
	sess := s.sessionURL(q, sessionID)
	return chatView{side: agentSide, url: sess + "/chat/" + chatID, session: sess, now: s.now()}
}

// agentChat resolves the session and a chat its agent holds.
func (st *state) agentChat(sessionID, chatID string) (*agentSession, *user, *chat, *apiError) {
	a, u, e := st.agentSessionOf(sessionID)
	if e != nil {
		return nil, nil, nil, e
	}
	c := st.Chats[chatID]
	if c == nil || c.AgentID != u.ID {
		return nil, nil, nil, errorf(404, wire.CodeNotFound, "no chat %q in this agent session", chatID).
			why("an agent session reaches the chats its agent accepted (chatSessions lists them)")
	}
	return a, u, c, nil
}

// readAgentChat renders the chat args[1] of session args[0].
func (s *Server) readAgentChat(q *apiReq, args []string, render func(v chatView, c *chat) (*node, *apiError)) (*response, *apiError) {
	var n *node
	e := s.view(func(st *state) *apiError {
		_, _, c, e := st.agentChat(args[0], args[1])
		if e != nil {
			return e
		}
		n, e = render(s.agentView(q, args[0], args[1]), c)
		return e
	})
	if e != nil {
		return nil, e
	}
	return ok(n), nil
}

// changeAgentChat applies fn to the chat args[1] of session args[0] and
// answers status with no body.
func (s *Server) changeAgentChat(args []string, status int, fn func(st *state, u *user, c *chat) *apiError) (*response, *apiError) {
	e := s.update(func(st *state) *apiError {
		_, u, c, e := st.agentChat(args[0], args[1])
		if e != nil {
			return e
		}
		return fn(st, u, c)
	})
	if e != nil {
		return nil, e
	}
	return &response{status: status}, nil
}

func (s *Server) caChat(q *apiReq, args []string) (*response, *apiError) {
	from, e := fromParam(q)
	if e != nil {
		return nil, e
	}
	return s.readAgentChat(q, args, func(v chatView, c *chat) (*node, *apiError) { return v.chat(c, from), nil })
}

// caChats is several chats at once: chatSessionKeys=K1,K2 with
// fromEventIds=E1,E2 paired by position, each the first event id to return
// (as from= is elsewhere; the page's "last event ids" would skip one).
func (s *Server) caChats(q *apiReq, args []string) (*response, *apiError) {
	keysParam, given := q.param("chatSessionKeys")
	if !given || strings.TrimSpace(keysParam) == "" {
		return nil, errorf(400, wire.CodeValidation, "chatSessionKeys is required").why("a comma-separated list of chat session keys")
	}
	keys := strings.Split(keysParam, ",")
	froms := make([]int, len(keys))
	if f, ok := q.param("fromEventIds"); ok && f != "" {
		parts := strings.Split(f, ",")
		if len(parts) != len(keys) {
			return nil, errorf(400, wire.CodeValidation, "fromEventIds has %d ids for %d chatSessionKeys", len(parts), len(keys)).
				why("give one event id per chat session key, in the same order")
		}
		for i, p := range parts {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || n < 0 {
				return nil, errorf(400, wire.CodeValidation, "fromEventIds: %q is not an event id", p)
			}
			froms[i] = n
		}
	}
	var out *node
	e := s.view(func(st *state) *apiError {
		out = el("chats")
		for i, k := range keys {
			_, _, c, e := st.agentChat(args[0], strings.TrimSpace(k))
			if e != nil {
				return e
			}
			out.add(s.agentView(q, args[0], c.ID).chat(c, froms[i]))
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return ok(out), nil
}

func (s *Server) caEvents(q *apiReq, args []string) (*response, *apiError) {
	from, e := fromParam(q)
	if e != nil {
		return nil, e
	}
	return s.readAgentChat(q, args, func(v chatView, c *chat) (*node, *apiError) { return v.events(c, from), nil })
}

func (s *Server) caEvent(q *apiReq, args []string) (*response, *apiError) {
	return s.readAgentChat(q, args, func(v chatView, c *chat) (*node, *apiError) {
		ev, e := eventByID(c, args[2], agentSide)
		if e != nil {
			return nil, e
		}
		return v.event(c, ev), nil
	})
}

// caAddEvent adds the agent's line (answered with chatEventLocation) or
// ends the chat (answered with chatLocation, as end-chat.md shows).
func (s *Server) caAddEvent(q *apiReq, args []string) (*response, *apiError) {
	pe, e := readEvent(q)
	if e != nil {
		return nil, e
	}
	var ev chatEvent
	e = s.update(func(st *state) *apiError {
		_, u, c, e := st.agentChat(args[0], args[1])
		if e != nil {
			return e
		}
		now := s.now().UTC()
		if pe.typ == eventState {
			ev, e = c.end(now)
		} else {
			ev, e = c.agentLine(now, u, pe.text, pe.textType, pe.subType)
		}
		return e
	})
	if e != nil {
		return nil, e
	}
	loc := fmt.Sprintf("%s/events/%d", s.agentView(q, args[0], args[1]).url, ev.ID)
	root := "chatEventLocation"
	if pe.typ == eventState {
		root = "chatLocation"
	}
	return &response{status: http.StatusCreated, location: loc, body: el(root, linkEl("location", loc))}, nil
}

func (s *Server) caInfo(q *apiReq, args []string) (*response, *apiError) {
	return s.readAgentChat(q, args, func(v chatView, c *chat) (*node, *apiError) { return v.info(c), nil })
}

func (s *Server) caVisitorName(q *apiReq, args []string) (*response, *apiError) {
	return s.readAgentChat(q, args, func(_ chatView, c *chat) (*node, *apiError) {
		return textEl("visitorName", visitorName(c, agentSide)), nil
	})
}

// The typing GETs answer 200 although their pages say 201 (a GET creates
// nothing; see the README's choices).
func (s *Server) caAgentTyping(q *apiReq, args []string) (*response, *apiError) {
	return s.readAgentChat(q, args, func(_ chatView, c *chat) (*node, *apiError) {
		return textEl("agentTyping", typing(c.AgentTyping)), nil
	})
}

func (s *Server) caVisitorTyping(q *apiReq, args []string) (*response, *apiError) {
	return s.readAgentChat(q, args, func(_ chatView, c *chat) (*node, *apiError) {
		return textEl("visitorTyping", typing(c.VisitorTyping)), nil
	})
}

func (s *Server) caSetAgentTyping(q *apiReq, args []string) (*response, *apiError) {
	v, e := readTyping(q, "agentTyping")
	if e != nil {
		return nil, e
	}
	return s.changeAgentChat(args, http.StatusOK, func(_ *state, _ *user, c *chat) *apiError {
		c.AgentTyping = v
		return nil
	})
}

// caTransferSkills lists the skills the chat can be transferred to now:
// those with an agent online who is not in the chat.
func (s *Server) caTransferSkills(q *apiReq, args []string) (*response, *apiError) {
	var out *node
	e := s.view(func(st *state) *apiError {
		_, u, _, e := st.agentChat(args[0], args[1])
		if e != nil {
			return e
		}
		out = el("transfer")
		for _, sk := range st.Skills.all() {
			if n := st.onlineAgents(sk.ID, u.ID); n > 0 {
				out.add(el("skill", textEl("id", strconv.Itoa(sk.ID)), textEl("name", sk.Name), textEl("onlineAgents", strconv.Itoa(n))))
			}
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return ok(out), nil
}

// idOf reads {"id": 2} (or "@id") or a bare 2.
func idOf(n *node) (int, *apiError) {
	if n == nil {
		return 0, nil
	}
	v := attrOrChild(n, "id")
	if v == "" && len(n.Children) == 0 {
		v = strings.TrimSpace(n.Text)
	}
	id, err := strconv.Atoi(v)
	if err != nil || id <= 0 {
		return 0, errorf(400, wire.CodeValidation, "%s id %q is not an id", n.Name, v)
	}
	return id, nil
}

// caTransfer transfers the chat to a skill or an agent (the agent wins when
// both are named). The note to the receiving agent is "text" inside
// "transfer", as the page has it, or beside it, as the sample app sends it.
func (s *Server) caTransfer(q *apiReq, args []string) (*response, *apiError) {
	tr, e := q.member("transfer", `{"transfer": {"skill": {"id": 2}, "text": "…"}}`)
	if e != nil {
		return nil, e
	}
	skillID, e := idOf(tr.child("skill"))
	if e != nil {
		return nil, e
	}
	agentID, e := idOf(tr.child("agent"))
	if e != nil {
		return nil, e
	}
	t := fieldReader{root: "transfer", n: tr}
	note := t.text("text", 4000)
	if note == "" {
		t.root, t.n = "body", q.doc
		note = t.text("text", 4000)
	}
	if t.err != nil {
		return nil, t.err
	}
	return s.changeAgentChat(args, http.StatusOK, func(st *state, u *user, c *chat) *apiError {
		return st.transfer(s.now().UTC(), c, u, skillID, agentID, note)
	})
}

func (s *Server) caSurvey(q *apiReq, args []string) (*response, *apiError) {
	return s.readAgentChat(q, args, func(_ chatView, c *chat) (*node, *apiError) {
		return agentSurvey.node(c.AgentSurvey), nil
	})
}

func (s *Server) caSubmitSurvey(q *apiReq, args []string) (*response, *apiError) {
	answers, _, e := readSurvey(q)
	if e != nil {
		return nil, e
	}
	return s.changeAgentChat(args, http.StatusOK, func(_ *state, _ *user, c *chat) *apiError {
		c.AgentSurvey = answers
		return nil
	})
}

// The chat links these two; no page documents them, and the sandbox has no
// collaboration channels or other accounts to transfer to.
func (s *Server) caCollaborationChannels(q *apiReq, args []string) (*response, *apiError) {
	return s.readAgentChat(q, args, func(chatView, *chat) (*node, *apiError) { return el("collaborationChannels"), nil })
}

func (s *Server) caTransferAccount(q *apiReq, args []string) (*response, *apiError) {
	return s.readAgentChat(q, args, func(chatView, *chat) (*node, *apiError) { return el("transferAccount"), nil })
}

// caVisit is the visit the chat's visit-id link names: the chat's visitor
// and the monitoring session (Visit Information has the rest).
func (s *Server) caVisit(q *apiReq, args []string) (*response, *apiError) {
	return s.readSession(q, args[0], func(st *state, _ *agentSession, u *user) (*node, *apiError) {
		for _, c := range st.Chats {
			if visitID(c.ID) == args[1] && c.AgentID == u.ID {
				return el("visit", textEl("chatSessionKey", c.ID), idEl("visitorId", c.VisitorID),
					textEl("sharkVisitorId", c.Details.SharkVisitorID), textEl("sharkSessionId", c.Details.SharkSessionID),
					linkEl("self", s.sessionURL(q, args[0])+"/visits/visit/"+args[1])).attr("id", args[1]), nil
			}
		}
		return nil, errorf(404, wire.CodeNotFound, "no visit %q in this agent session", args[1])
	})
}
