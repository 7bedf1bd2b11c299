package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The chat resource as both sides reach it: the Server Chat API serves the
// visitor's side (/chat/{chatId}), the Chat Agent API the agent's
// (/agentSession/{agentSessionId}/chat/{chatId}: the chats its agent holds).
// The methods both APIs document are one handler each; chatView renders
// what each side may see.

// chatSide is one side's access to chats.
type chatSide struct {
	s    *Server
	side side
}

// nargs is how many path arguments name the chat; an event id follows them.
func (cs chatSide) nargs() int {
	if cs.side == agentSide {
		return 2
	}
	return 1
}

// find resolves the chat args name; on the agent side, its agent too.
func (cs chatSide) find(st *state, args []string) (*user, *chat, *apiError) {
	if cs.side == agentSide {
		_, u, c, e := st.agentChat(args[0], args[1])
		return u, c, e
	}
	c, e := st.chat(args[0])
	return nil, c, e
}

// view is how this side sees the chat args name.
func (cs chatSide) view(q *apiReq, args []string) chatView {
	if cs.side == agentSide {
		return cs.s.agentView(q, args[0], args[1])
	}
	return cs.s.visitorView(q, args[0])
}

// read answers what render makes of the chat args name.
func (cs chatSide) read(q *apiReq, args []string, render func(v chatView, c *chat) (*node, *apiError)) (*response, *apiError) {
	return rendered(viewed(cs.s, func(st *state) (*node, *apiError) {
		_, c, e := cs.find(st, args)
		if e != nil {
			return nil, e
		}
		return render(cs.view(q, args), c)
	}))
}

// change applies fn to the chat args name and answers status with no body
// (the documented PUTs answer none).
func (cs chatSide) change(args []string, status int, fn func(st *state, u *user, c *chat) *apiError) (*response, *apiError) {
	e := cs.s.update(func(st *state) *apiError {
		u, c, e := cs.find(st, args)
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

// reading is a GET answering what render makes of the chat.
func (cs chatSide) reading(render func(v chatView, c *chat) *node) handler {
	return func(q *apiReq, args []string) (*response, *apiError) {
		return cs.read(q, args, func(v chatView, c *chat) (*node, *apiError) { return render(v, c), nil })
	}
}

// empty answers an empty element for a chat this side reaches: resources
// the chat links but the sandbox has nothing in.
func (cs chatSide) empty(name string) handler {
	return cs.reading(func(chatView, *chat) *node { return el(name) })
}

// readingFrom is reading for the resources that list events from=.
func (cs chatSide) readingFrom(render func(v chatView, c *chat, from int) *node) handler {
	return func(q *apiReq, args []string) (*response, *apiError) {
		from, e := fromParam(q)
		if e != nil {
			return nil, e
		}
		return cs.read(q, args, func(v chatView, c *chat) (*node, *apiError) { return render(v, c, from), nil })
	}
}

// fromParam reads the first event id to return (inclusive).
func fromParam(q *apiReq) (int, *apiError) {
	from, _, e := intParam(q, "from", 0, 1<<30)
	return from, e
}

// event is one event this side may see: the Location of an added one.
func (cs chatSide) event(q *apiReq, args []string) (*response, *apiError) {
	return cs.read(q, args, func(v chatView, c *chat) (*node, *apiError) {
		ev, e := eventByID(c, args[cs.nargs()], cs.side)
		if e != nil {
			return nil, e
		}
		return v.event(c, ev), nil
	})
}

// addEvent adds this side's line or ends the chat, answering 201 with the
// event's Location. The agent's answer carries it in a body too:
// chatEventLocation, or chatLocation for the end, as end-chat.md shows.
func (cs chatSide) addEvent(q *apiReq, args []string) (*response, *apiError) {
	pe, e := readEvent(q)
	if e != nil {
		return nil, e
	}
	ev, e := updated(cs.s, func(st *state) (chatEvent, *apiError) {
		u, c, e := cs.find(st, args)
		if e != nil {
			return chatEvent{}, e
		}
		now := cs.s.now().UTC()
		switch {
		case pe.typ == eventState:
			return c.end(now)
		case cs.side == agentSide:
			return c.agentLine(now, u, pe.text, pe.textType, pe.subType)
		}
		return c.visitorLine(now, pe.text)
	})
	if e != nil {
		return nil, e
	}
	loc := fmt.Sprintf("%s/events/%d", cs.view(q, args).url, ev.ID)
	resp := &response{status: http.StatusCreated, location: loc}
	if cs.side == agentSide {
		root := "chatEventLocation"
		if pe.typ == eventState {
			root = "chatLocation"
		}
		resp.body = el(root, linkEl("location", loc))
	}
	return resp, nil
}

// setTyping sets this side's own typing status: {"visitorTyping": …} or
// {"agentTyping": …}.
func (cs chatSide) setTyping(q *apiReq, args []string) (*response, *apiError) {
	member := "visitorTyping"
	if cs.side == agentSide {
		member = "agentTyping"
	}
	v, e := readTyping(q, member)
	if e != nil {
		return nil, e
	}
	return cs.change(args, http.StatusOK, func(_ *state, _ *user, c *chat) *apiError {
		*c.typingOf(cs.side) = v
		return nil
	})
}

// submitSurvey records this side's survey answers: the visitor's exit
// survey, the agent's survey.
func (cs chatSide) submitSurvey(q *apiReq, args []string) (*response, *apiError) {
	answers, _, e := readSurvey(q)
	if e != nil {
		return nil, e
	}
	return cs.change(args, http.StatusOK, func(_ *state, _ *user, c *chat) *apiError {
		_, given := c.surveyOf(cs.side)
		*given = answers
		return nil
	})
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
