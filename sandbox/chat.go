package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The visitor's side of a chat: request, events (lines and state), info and
// the transcript request.

const eventTime = "2006-01-02T15:04:05.000Z07:00"

func (s *Server) chatURL(q *apiReq, id string) string { return q.base + "/chat/" + id }

// chatFor returns the chat named by args[0].
func (st *state) chatFor(args []string) (*chat, *apiError) {
	c := st.Chats[args[0]]
	if c == nil {
		return nil, errorf(404, wire.CodeNotFound, "no chat %q", args[0])
	}
	return c, nil
}

func (s *Server) chatRequest(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	fs, _, e := fields(q.doc, "request", nil, []string{"skill", "visitorId", "visitorName", "chatReferrer", "question"}, nil)
	if e != nil {
		return nil, e
	}
	skillName, e := optionalText(fs, "request", "skill", 100)
	if e != nil {
		return nil, e
	}
	visitorID, e := optionalText(fs, "request", "visitorId", 100)
	if e != nil {
		return nil, e
	}
	visitorName, e := optionalText(fs, "request", "visitorName", 100)
	if e != nil {
		return nil, e
	}
	question, e := optionalText(fs, "request", "question", 4000)
	if e != nil {
		return nil, e
	}
	now := s.now().UTC()
	var c *chat
	e = s.update(func(st *state) *apiError {
		if skillName != "" && st.skillByName(skillName) == nil {
			return errorf(400, wire.CodeValidation, "unknown skill %q", skillName).why("skill names are case-sensitive; GET skills lists them")
		}
		c = &chat{ID: fmt.Sprintf("H%010d", 4200000000+st.NextChat), Skill: skillName, VisitorID: visitorID,
			VisitorNm: visitorName, State: "waiting", Started: now, LastUpdate: now}
		st.NextChat++
		c.Events = append(c.Events,
			chatEvent{ID: 1, Type: "state", Time: now, State: "waiting"},
			chatEvent{ID: 2, Type: "line", Time: now, TextType: "plain", By: "info", Source: "system",
				Text: "Thank you for your patience, an agent will be with you shortly."})
		if question != "" {
			c.Events = append(c.Events, chatEvent{ID: 3, Type: "line", Time: now, TextType: "plain", By: visitorOr(c), Source: "visitor", Text: question})
		}
		st.Chats[c.ID] = c
		return nil
	})
	if e != nil {
		return nil, e
	}
	loc := s.chatURL(q, c.ID)
	return &response{status: http.StatusCreated, location: loc,
		body: el("chatLocation", linkEl("location", loc))}, nil
}

func visitorOr(c *chat) string {
	if c.VisitorNm != "" {
		return c.VisitorNm
	}
	return "visitor"
}

func (s *Server) chatGet(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	if e := s.view(func(st *state) *apiError { _, e := st.chatFor(args); return e }); e != nil {
		return nil, e
	}
	u := s.chatURL(q, args[0])
	return ok(el("chat",
		linkEl("self", u),
		linkEl("events", u+"/events"),
		linkEl("info", u+"/info"),
		linkEl("transcript-request", u+"/transcriptRequest"),
	)), nil
}

func eventNode(ev chatEvent) *node {
	n := el("event").attr("id", strconv.Itoa(ev.ID)).attr("type", ev.Type)
	n.add(textEl("time", ev.Time.Format(eventTime)))
	if ev.Type == "state" {
		n.add(textEl("state", ev.State))
		return n
	}
	return n.add(textEl("textType", ev.TextType), textEl("text", ev.Text), textEl("by", ev.By), textEl("source", ev.Source))
}

func (s *Server) eventsGet(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only("from"); e != nil {
		return nil, e
	}
	from, _, e := intParam(q, "from", 0, 1<<30)
	if e != nil {
		return nil, e
	}
	n := el("events")
	e = s.view(func(st *state) *apiError {
		c, e := st.chatFor(args)
		if e != nil {
			return e
		}
		next := max(from, 1)
		var evs []*node
		for _, ev := range c.Events {
			if ev.ID >= from {
				evs = append(evs, eventNode(ev))
				next = ev.ID + 1
			}
		}
		n.add(linkEl("next", fmt.Sprintf("%s/events?from=%d", s.chatURL(q, c.ID), next)))
		n.add(evs...)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return ok(n), nil
}

// visitorEvent reads the event a visitor posts: a line or the end.
func visitorEvent(doc *node, now time.Time) (chatEvent, *apiError) {
	fs, at, e := fields(doc, "event", []string{"type"}, []string{"text", "state", "textType"}, nil)
	if e != nil {
		return chatEvent{}, e
	}
	switch typ := at["type"]; typ {
	case "line":
		text, e := requiredText(fs, "event", "text", 4000)
		if e != nil {
			return chatEvent{}, e
		}
		tt, e := optionalText(fs, "event", "textType", 20)
		if e != nil {
			return chatEvent{}, e
		}
		if tt == "" {
			tt = "plain"
		}
		if tt != "plain" && tt != "html" {
			return chatEvent{}, errorf(400, wire.CodeValidation, "textType must be plain or html")
		}
		return chatEvent{Type: "line", Time: now, TextType: tt, Text: text, Source: "visitor"}, nil
	case "state":
		st, e := requiredText(fs, "event", "state", 20)
		if e != nil {
			return chatEvent{}, e
		}
		if st != "ended" {
			return chatEvent{}, errorf(400, wire.CodeValidation, "a visitor can only set the state to ended, not %q", st)
		}
		return chatEvent{Type: "state", Time: now, State: "ended"}, nil
	case "":
		return chatEvent{}, errorf(400, wire.CodeValidation, `the event needs a type attribute ("@type" in JSON): line or state`)
	default:
		return chatEvent{}, errorf(400, wire.CodeValidation, "unknown event type %q (line or state)", typ)
	}
}

func (s *Server) eventsPost(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	now := s.now().UTC()
	ev, e := visitorEvent(q.doc, now)
	if e != nil {
		return nil, e
	}
	e = s.update(func(st *state) *apiError {
		c, e := st.chatFor(args)
		if e != nil {
			return e
		}
		if c.State == "ended" {
			return errorf(http.StatusConflict, wire.CodeConflict, "the chat has ended")
		}
		ev.ID = len(c.Events) + 1
		if ev.Type == "line" {
			ev.By = visitorOr(c)
		}
		c.Events = append(c.Events, ev)
		if ev.Type == "state" {
			c.State = "ended"
		} else {
			// A canned agent answers so that polling the next link shows
			// something happening.
			if c.State == "waiting" {
				c.State = "chatting"
				c.Agent = st.pickAgent(c.Skill)
				c.Events = append(c.Events, chatEvent{ID: len(c.Events) + 1, Type: "state", Time: now, State: "chatting"})
			}
			c.Events = append(c.Events, chatEvent{ID: len(c.Events) + 1, Type: "line", Time: now, TextType: "plain",
				By: c.Agent, Source: "agent", Text: fmt.Sprintf("Hi, %s here. You wrote: %q. How can I help?", c.Agent, ev.Text)})
		}
		c.LastUpdate = now
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &response{status: http.StatusCreated,
		location: fmt.Sprintf("%s/events?from=%d", s.chatURL(q, args[0]), ev.ID),
		body:     eventNode(ev)}, nil
}

// pickAgent names an agent for a chat.
func (st *state) pickAgent(skillName string) string {
	sk := st.skillByName(skillName)
	for _, u := range st.Users.all() {
		if sk == nil || slices.Contains(u.SkillIDs, sk.ID) {
			if u.Nickname != "" {
				return u.Nickname
			}
			return u.LoginName
		}
	}
	return "Agent"
}

func (s *Server) chatInfo(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	var n *node
	e := s.view(func(st *state) *apiError {
		c, e := st.chatFor(args)
		if e != nil {
			return e
		}
		end := s.now()
		if c.State == "ended" {
			end = c.LastUpdate
		}
		n = el("info",
			textEl("state", c.State),
			textEl("chatSessionKey", c.ID),
			textEl("skillName", c.Skill),
			textEl("agentName", c.Agent),
			textEl("visitorId", c.VisitorID),
			textEl("visitorName", c.VisitorNm),
			textEl("startTime", c.Started.Format(eventTime)),
			numEl("duration", int(end.Sub(c.Started)/time.Second)),
			textEl("lastUpdate", c.LastUpdate.Format(eventTime)),
			linkEl("self", s.chatURL(q, c.ID)+"/info"),
		)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return ok(n), nil
}

func (s *Server) transcriptRequest(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	fs, _, e := fields(q.doc, "request", nil, []string{"email"}, nil)
	if e != nil {
		return nil, e
	}
	email, e := requiredText(fs, "request", "email", 200)
	if e != nil {
		return nil, e
	}
	if !validEmail(email) {
		return nil, errorf(400, wire.CodeValidation, "email %q is not an e-mail address", email)
	}
	e = s.update(func(st *state) *apiError {
		c, e := st.chatFor(args)
		if e != nil {
			return e
		}
		c.Transcript = email
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &response{status: http.StatusCreated, location: s.chatURL(q, args[0]),
		body: el("transcriptRequest", textEl("email", email), textEl("state", "queued"))}, nil
}
