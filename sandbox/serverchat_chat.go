package sandbox

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The visitor's chat: start (plain or authenticated), the chat resource,
// events, lines and the end, info, name, typing, transcript.

func (s *Server) visitorView(q *apiReq, id string) chatView {
	return chatView{side: visitorSide, url: s.baseFor(q, ServiceServerChat) + "/chat/" + id, now: s.now()}
}

// startChatRequest reads Start Chat's "request" member: the union of every
// documented field (the page's table and example, its older version, the
// Postman collection); others are ignored.
func startChatRequest(q *apiReq) (chatRequest, *apiError) {
	var req chatRequest
	r, e := q.member("request", `{"request": {"skill": "Sales"}}`)
	if e != nil {
		return req, e
	}
	t := fieldReader{root: "request", n: r}
	req.Skill = t.text("skill", 100)
	req.VisitorID = t.text("visitorId", 100)
	req.VisitorName = t.text("visitorName", 100)
	req.Question = t.text("question", 4000)
	req.Participant = t.text("participantId", 100)
	req.Conversation = t.text("conversationId", 200)
	d := &req.Details
	d.UserAgent = t.text("userAgent", 1000)
	d.VisitorIP = t.text("visitorIp", 100)
	d.Referrer = t.text("chatReferrer", 2000)
	if d.Referrer == "" {
		d.Referrer = t.text("chatRefferer", 2000) // Post Offline Survey's spelling
	}
	d.SharkVisitorID = t.text("LETagVisitorId", 200)
	d.SharkSessionID = t.text("LETagSessionId", 200)
	d.SharkContextID = t.text("LETagContextId", 200)
	d.EngagementID = t.text("engagementId", 100)
	d.CampaignID = t.text("campaignId", 100)
	d.Language = t.text("language", 20)
	d.InteractionTimeout = t.number("interactionTimeout", 0, 86400)
	t.number("maxWaitTime", 0, 86400)
	if id := t.number("skillId", 0, 1<<31-1); id != 0 && req.Skill == "" {
		req.Skill = "#" + strconv.Itoa(id)
	}
	if lines := r.child("preChatLines"); lines != nil {
		for _, l := range lines.Children {
			if l.Name == "line" && strings.TrimSpace(l.Text) != "" {
				req.PreChatLines = append(req.PreChatLines, l.Text)
			}
		}
	}
	if sv := r.child("survey"); sv != nil {
		d.PreChatSurvey, _ = parseSurveyAnswers(sv)
	}
	if t.err != nil {
		return req, t.err
	}
	if d.UserAgent == "" {
		d.UserAgent = q.r.UserAgent()
	}
	if d.VisitorIP == "" {
		d.VisitorIP, _, _ = net.SplitHostPort(q.r.RemoteAddr)
	}
	return req, nil
}

func (s *Server) scStartChat(q *apiReq, _ []string) (*response, *apiError) {
	req, e := startChatRequest(q)
	if e != nil {
		return nil, e
	}
	var id string
	e = s.update(func(st *state) *apiError {
		if n, ok := strings.CutPrefix(req.Skill, "#"); ok {
			id, _ := strconv.Atoi(n)
			sk, found := st.Skills.get(id)
			if !found {
				return errorf(400, wire.CodeValidation, "skillId %d names no skill", id)
			}
			req.Skill = sk.Name
		}
		c, e := st.startChat(s.now().UTC(), req)
		if e == nil {
			id = c.ID
		}
		return e
	})
	if e != nil {
		return nil, e
	}
	// 201 + Location as the platform creates resources; the page's
	// table says 200 (see the README's choices).
	return &response{status: http.StatusCreated, location: s.visitorView(q, id).url}, nil
}

// scAuthenticateVisitor is Start Chat's visitor authentication request
// (conversation.json): it reserves a chat key for an authenticated
// visitor, returned in the Location; Start Chat with that key as
// conversationId starts the chat.
func (s *Server) scAuthenticateVisitor(q *apiReq, _ []string) (*response, *apiError) {
	t := fieldReader{root: "conversation", n: q.doc}
	conv := &conversation{ParticipantID: newUUID(), SSOKey: t.text("ssoKey", 1000), AuthChatConnID: t.text("authChatConnId", 100),
		Created: s.now().UTC()}
	conv.Details = chatDetails{SharkVisitorID: t.text("LETagVisitorId", 200), SharkSessionID: t.text("LETagSessionId", 200),
		SharkContextID: t.text("LETagContextId", 200), EngagementID: t.text("engagementId", 100)}
	if t.err != nil {
		return nil, t.err
	}
	if conv.SSOKey == "" {
		return nil, errorf(400, wire.CodeValidation, "ssoKey is required").why("it identifies the authenticated visitor")
	}
	e := s.update(func(st *state) *apiError {
		conv.ID = st.newChatKey()
		st.Conversations[conv.ID] = conv
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &response{status: http.StatusCreated, location: s.visitorView(q, conv.ID).url}, nil
}

// changeChat applies fn to the visitor's chat id and answers status with
// no body (the documented PUTs answer none).
func (s *Server) changeChat(id string, status int, fn func(st *state, c *chat) *apiError) (*response, *apiError) {
	e := s.update(func(st *state) *apiError {
		c, e := st.chat(id)
		if e != nil {
			return e
		}
		return fn(st, c)
	})
	if e != nil {
		return nil, e
	}
	return &response{status: status}, nil
}

// fromParam reads the first event id to return (inclusive).
func fromParam(q *apiReq) (int, *apiError) {
	from, _, e := intParam(q, "from", 0, 1<<30)
	return from, e
}

// readChat renders the visitor's chat args[0] with render.
func (s *Server) readChat(q *apiReq, id string, render func(v chatView, c *chat) *node) (*response, *apiError) {
	var n *node
	e := s.view(func(st *state) *apiError {
		c, e := st.chat(id)
		if e == nil {
			n = render(s.visitorView(q, id), c)
		}
		return e
	})
	if e != nil {
		return nil, e
	}
	return ok(n), nil
}

func (s *Server) scChat(q *apiReq, args []string) (*response, *apiError) {
	from, e := fromParam(q)
	if e != nil {
		return nil, e
	}
	return s.readChat(q, args[0], func(v chatView, c *chat) *node { return v.chat(c, from) })
}

func (s *Server) scEvents(q *apiReq, args []string) (*response, *apiError) {
	from, e := fromParam(q)
	if e != nil {
		return nil, e
	}
	return s.readChat(q, args[0], func(v chatView, c *chat) *node { return v.events(c, from) })
}

// eventByID finds one event the side may see.
func eventByID(c *chat, arg string, sd side) (chatEvent, *apiError) {
	id, err := strconv.Atoi(arg)
	if err == nil {
		for _, ev := range c.Events {
			if ev.ID == id && (sd == agentSide || !ev.AgentOnly) {
				return ev, nil
			}
		}
	}
	return chatEvent{}, errorf(404, wire.CodeNotFound, "no event %q in chat %s", arg, c.ID)
}

func (s *Server) scEvent(q *apiReq, args []string) (*response, *apiError) {
	var n *node
	e := s.view(func(st *state) *apiError {
		c, e := st.chat(args[0])
		if e != nil {
			return e
		}
		ev, e := eventByID(c, args[1], visitorSide)
		if e == nil {
			n = s.visitorView(q, c.ID).event(c, ev)
		}
		return e
	})
	if e != nil {
		return nil, e
	}
	return ok(n), nil
}

// postedEvent is an event a side adds: a line or the end.
type postedEvent struct {
	typ      eventType
	text     string
	textType string
	subType  string
}

// readEvent reads the "event" member ({"event": {"@type": "line", "text":
// …}} or {"event": {"@type": "state", "state": "ended"}}).
func readEvent(q *apiReq) (postedEvent, *apiError) {
	var pe postedEvent
	ev, e := q.member("event", `{"event": {"@type": "line", "text": "hi"}} or {"event": {"@type": "state", "state": "ended"}}`)
	if e != nil {
		return pe, e
	}
	t := fieldReader{root: "event", n: ev}
	switch typ := attrOrChild(ev, "type"); eventType(typ) {
	case eventLine:
		pe.typ = eventLine
		pe.text = t.text("text", 4000)
		pe.textType = t.text("textType", 20)
		pe.subType = t.text("subType", 20)
		if t.err == nil && strings.TrimSpace(pe.text) == "" {
			return pe, errorf(400, wire.CodeValidation, "text is required in a line event")
		}
		switch pe.textType {
		case "":
			pe.textType = "plain"
		case "plain", "html":
		default:
			return pe, errorf(400, wire.CodeValidation, "textType must be plain or html, not %q", pe.textType)
		}
		switch pe.subType {
		case "":
			pe.subType = subRegular
		case subRegular, subOnlyToRep:
		default:
			return pe, errorf(400, wire.CodeValidation, "subType must be %s or %s, not %q", subRegular, subOnlyToRep, pe.subType)
		}
	case eventState:
		pe.typ = eventState
		if st := t.text("state", 20); t.err == nil && st != string(chatEnded) {
			return pe, errorf(400, wire.CodeValidation, "the state can only be set to ended, not %q", st)
		}
	case "":
		return pe, errorf(400, wire.CodeValidation, `the event needs a type attribute ("@type" in JSON): line or state`)
	default:
		return pe, errorf(400, wire.CodeValidation, "unknown event type %q (line or state)", typ)
	}
	return pe, t.err
}

func (s *Server) scAddEvent(q *apiReq, args []string) (*response, *apiError) {
	pe, e := readEvent(q)
	if e != nil {
		return nil, e
	}
	var ev chatEvent
	e = s.update(func(st *state) *apiError {
		c, e := st.chat(args[0])
		if e != nil {
			return e
		}
		now := s.now().UTC()
		if pe.typ == eventState {
			ev, e = c.end(now)
		} else {
			ev, e = c.visitorLine(now, pe.text)
		}
		return e
	})
	if e != nil {
		return nil, e
	}
	return &response{status: http.StatusCreated, location: fmt.Sprintf("%s/events/%d", s.visitorView(q, args[0]).url, ev.ID)}, nil
}

func (s *Server) scInfo(q *apiReq, args []string) (*response, *apiError) {
	return s.readChat(q, args[0], func(v chatView, c *chat) *node { return v.info(c) })
}

func (s *Server) scVisitorName(q *apiReq, args []string) (*response, *apiError) {
	return s.readChat(q, args[0], func(_ chatView, c *chat) *node { return textEl("visitorName", visitorName(c, visitorSide)) })
}

func (s *Server) scSetVisitorName(q *apiReq, args []string) (*response, *apiError) {
	name, e := q.memberText("visitorName", 100, `{"visitorName": "Natalie"}`)
	if e != nil {
		return nil, e
	}
	if name == "" {
		return nil, errorf(400, wire.CodeValidation, "visitorName is empty")
	}
	return s.changeChat(args[0], http.StatusCreated, func(_ *state, c *chat) *apiError { // the page documents 201
		c.VisitorNm = name
		return nil
	})
}

func (s *Server) scVisitorTyping(q *apiReq, args []string) (*response, *apiError) {
	return s.readChat(q, args[0], func(_ chatView, c *chat) *node { return textEl("visitorTyping", typing(c.VisitorTyping)) })
}

func (s *Server) scAgentTyping(q *apiReq, args []string) (*response, *apiError) {
	return s.readChat(q, args[0], func(_ chatView, c *chat) *node { return textEl("agentTyping", typing(c.AgentTyping)) })
}

// readTyping reads {"<member>": "typing"|"not-typing"}.
func readTyping(q *apiReq, member string) (string, *apiError) {
	v, e := q.memberText(member, 20, fmt.Sprintf(`{"%s": "typing"}`, member))
	if e != nil {
		return "", e
	}
	if v != "typing" && v != "not-typing" {
		return "", errorf(400, wire.CodeValidation, "%s must be typing or not-typing, not %q", member, v)
	}
	return v, nil
}

func (s *Server) scSetVisitorTyping(q *apiReq, args []string) (*response, *apiError) {
	v, e := readTyping(q, "visitorTyping")
	if e != nil {
		return nil, e
	}
	return s.changeChat(args[0], http.StatusOK, func(_ *state, c *chat) *apiError {
		c.VisitorTyping = v
		return nil
	})
}

// scTranscript records a transcript request in the outbox: {"email": …}
// as documented, {"request": {"email": …}} as lpdesk sent it before, and an
// optional subject for the linked transcriptWithSubjectRequest.
func (s *Server) scTranscript(q *apiReq, args []string) (*response, *apiError) {
	src := q.doc
	if r := q.doc.child("request"); r != nil {
		src = r
	}
	t := fieldReader{root: "transcript request", n: src}
	email, subject := t.text("email", 200), t.text("subject", 200)
	if t.err != nil {
		return nil, t.err
	}
	if email == "" {
		return nil, errorf(400, wire.CodeValidation, "email is required").why(`send {"email": "visitor@example.com"}`)
	}
	if !validEmail(email) {
		return nil, errorf(400, wire.CodeValidation, "email %q is not an e-mail address", email)
	}
	return s.changeChat(args[0], http.StatusOK, func(st *state, c *chat) *apiError {
		c.Transcript = email
		st.post(&outboxItem{Kind: outTranscript, Time: s.now().UTC(), ChatID: c.ID, Email: email, Subject: subject, Lines: transcriptLines(c)})
		return nil
	})
}
