package sandbox

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The agent's chats beyond what both sides share (chatside.go): several
// chats at once, transfer, the linked resources no page documents, the
// visit. An agent session reaches the chats its agent holds.

// agentChats is the agent's side of the chats (chatside.go).
func (s *Server) agentChats() chatSide { return chatSide{s, agentSide} }

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
	return rendered(viewed(s, func(st *state) (*node, *apiError) {
		out := el("chats")
		for i, k := range keys {
			_, _, c, e := st.agentChat(args[0], strings.TrimSpace(k))
			if e != nil {
				return nil, e
			}
			out.add(s.agentView(q, args[0], c.ID).chat(c, froms[i]))
		}
		return out, nil
	}))
}

// caTransferSkills lists the skills the chat can be transferred to now:
// those with an agent online who is not in the chat.
func (s *Server) caTransferSkills(q *apiReq, args []string) (*response, *apiError) {
	return rendered(viewed(s, func(st *state) (*node, *apiError) {
		_, u, _, e := st.agentChat(args[0], args[1])
		if e != nil {
			return nil, e
		}
		out := el("transfer")
		for _, sk := range st.Skills.all() {
			if n := st.onlineAgents(sk.ID, u.ID); n > 0 {
				out.add(el("skill", textEl("id", strconv.Itoa(sk.ID)), textEl("name", sk.Name), textEl("onlineAgents", strconv.Itoa(n))))
			}
		}
		return out, nil
	}))
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
	return s.agentChats().change(args, http.StatusOK, func(st *state, u *user, c *chat) *apiError {
		return st.transfer(s.now().UTC(), c, u, skillID, agentID, note)
	})
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
