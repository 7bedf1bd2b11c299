package sandbox

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

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
		r("/skills", map[string]handler{"GET": s.skillList, "POST": s.skillCreate}),
		r("/skills/{}", map[string]handler{"GET": s.skillGet, "PUT": s.skillUpdate, "DELETE": s.skillDelete}),
		r("/users", map[string]handler{"GET": s.userList, "POST": s.userCreate}),
		r("/users/{}", map[string]handler{"GET": s.userGet, "PUT": s.userUpdate, "DELETE": s.userDelete}),
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

// ---- account base -------------------------------------------------------

func (s *Server) accountBase(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	b := q.base
	n := el("account",
		linkEl("self", b),
		linkEl("chat-availability", b+"/chat/availability"),
		linkEl("chat-estimatedWaitTime", b+"/chat/estimatedWaitTime"),
		linkEl("chat-available-slots", b+"/chat/availableSlots"),
		linkEl("chat-request", b+"/chat/request"),
		linkEl("agent-session", b+"/agentSession"),
		linkEl("skills", b+"/skills"),
		linkEl("users", b+"/users"),
	).attr("id", s.cfg.AccountID)
	return ok(n), nil
}

// ---- chat availability ---------------------------------------------------

// skillWait is a stable, plausible estimated wait for a skill, in seconds.
func skillWait(name string) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() % 240)
}

// skillAgents counts users assigned to each skill; the caller holds s.mu.
func (s *Server) skillAgents() map[int]int {
	out := map[int]int{}
	for _, u := range s.st.Users {
		for _, id := range u.SkillIDs {
			out[id]++
		}
	}
	return out
}

func (s *Server) skillByName(name string) *skill {
	for _, id := range s.st.SkillOrder {
		if sk := s.st.Skills[id]; sk.Name == name {
			return sk
		}
	}
	return nil
}

func intParam(q *apiReq, name string, lo, hi int) (int, bool, *apiError) {
	v, present := q.param(name)
	if !present {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, true, errorf(400, wire.CodeValidation, "%s must be an integer from %d to %d, got %q", name, lo, hi, v)
	}
	return n, true, nil
}

func (s *Server) chatAvailability(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only("skill", "serviceQueue", "maxWaitTime", "agent"); e != nil {
		return nil, e
	}
	maxWait, hasMax, e := intParam(q, "maxWaitTime", 0, 86400)
	if e != nil {
		return nil, e
	}
	skillName, hasSkill := q.param("skill")
	_, hasQueue := q.param("serviceQueue")
	agent, hasAgent := q.param("agent")
	if hasQueue && !hasMax {
		return nil, errorf(400, wire.CodeValidation, "serviceQueue is only accepted together with maxWaitTime")
	}
	if hasAgent && (hasSkill || hasQueue || hasMax) {
		return nil, errorf(400, wire.CodeValidation, "agent must be used alone")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	available := false
	switch {
	case hasAgent:
		for _, a := range s.st.Sessions {
			if a.LoginName == agent && a.Chat == "Online" {
				available = true
			}
		}
	default:
		agents := s.skillAgents()
		for _, id := range s.st.SkillOrder {
			sk := s.st.Skills[id]
			if hasSkill && sk.Name != skillName {
				continue
			}
			if agents[id] > 0 && (!hasMax || skillWait(sk.Name) <= maxWait) {
				available = true
				break
			}
		}
	}
	return ok(boolEl("availability", available)), nil
}

func (s *Server) estimatedWaitTime(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only("skill"); e != nil {
		return nil, e
	}
	skillName, hasSkill := q.param("skill")
	s.mu.Lock()
	defer s.mu.Unlock()
	agents := s.skillAgents()
	wait := -1 // unknown
	if hasSkill {
		wait = -2 // unavailable
		if sk := s.skillByName(skillName); sk != nil && agents[sk.ID] > 0 {
			wait = skillWait(sk.Name)
		}
	} else {
		for _, id := range s.st.SkillOrder {
			if agents[id] == 0 {
				continue
			}
			if w := skillWait(s.st.Skills[id].Name); wait < 0 || w < wait {
				wait = w
			}
		}
	}
	return ok(numEl("estimatedWaitTime", wait)), nil
}

func (s *Server) availableSlots(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only("skill"); e != nil {
		return nil, e
	}
	skillName, hasSkill := q.param("skill")
	s.mu.Lock()
	defer s.mu.Unlock()
	slots := 0
	var sk *skill
	if hasSkill {
		if sk = s.skillByName(skillName); sk == nil {
			return ok(textEl("availableSlots", "0")), nil
		}
	}
	for _, u := range s.st.Users {
		for _, id := range u.SkillIDs {
			if sk == nil || id == sk.ID {
				slots += 2
				break
			}
		}
	}
	for _, c := range s.st.Chats {
		if c.State != "ended" && (sk == nil || c.Skill == sk.Name) {
			slots--
		}
	}
	return ok(textEl("availableSlots", strconv.Itoa(max(slots, 0)))), nil
}

// ---- request bodies -------------------------------------------------------

// fields checks a parsed body's root element and returns its children by
// name. Read-only attributes (ignored) and link elements are tolerated so
// that a client can send back what it read. multi names fields that may
// repeat.
func fields(doc *node, root string, attrs, allowed, multi []string) (map[string][]*node, map[string]string, *apiError) {
	if doc == nil {
		return nil, nil, errorf(400, wire.CodeValidation, "a <%s> body is required", root).
			why(fmt.Sprintf(`send e.g. {"%s": {…}} as application/json or <%s>…</%s> as application/xml`, root, root, root))
	}
	if doc.Name != root {
		return nil, nil, errorf(400, wire.CodeValidation, "the body's root element must be %q, not %q", root, doc.Name)
	}
	at := map[string]string{}
	for _, a := range doc.Attrs {
		switch {
		case a.Name == "id" || a.Name == "revision":
		case contains(attrs, a.Name):
			at[a.Name] = a.Value
		default:
			return nil, nil, unknownField(root, "@"+a.Name, allowed)
		}
	}
	out := map[string][]*node{}
	for _, c := range doc.Children {
		if c.Name == "link" {
			continue
		}
		if !contains(allowed, c.Name) {
			return nil, nil, unknownField(root, c.Name, allowed)
		}
		if len(out[c.Name]) > 0 && !contains(multi, c.Name) {
			return nil, nil, errorf(400, wire.CodeValidation, "field %q of %q is given more than once", c.Name, root)
		}
		out[c.Name] = append(out[c.Name], c)
	}
	return out, at, nil
}

func unknownField(root, name string, allowed []string) *apiError {
	e := errorf(400, wire.CodeValidation, "unknown field %q in %q", name, root)
	for _, a := range allowed {
		if strings.EqualFold(a, strings.TrimPrefix(name, "@")) {
			return e.why(fmt.Sprintf("field names are case-sensitive: did you mean %q?", a))
		}
	}
	return e.why("fields: " + strings.Join(allowed, ", "))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// textField returns a field's text; elements with children are refused.
func textField(fs map[string][]*node, root, name string) (string, bool, *apiError) {
	ns := fs[name]
	if len(ns) == 0 {
		return "", false, nil
	}
	if len(ns[0].Children) > 0 || len(ns[0].Attrs) > 0 {
		return "", true, errorf(400, wire.CodeValidation, "field %q of %q must be a text value", name, root)
	}
	return ns[0].Text, true, nil
}

func requiredText(fs map[string][]*node, root, name string, maxLen int) (string, *apiError) {
	v, _, e := textField(fs, root, name)
	if e != nil {
		return "", e
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errorf(400, wire.CodeValidation, "%s is required in %q", name, root)
	}
	if len([]rune(v)) > maxLen {
		return "", errorf(400, wire.CodeValidation, "%s must be at most %d characters", name, maxLen)
	}
	return v, nil
}

func optionalText(fs map[string][]*node, root, name string, maxLen int) (string, *apiError) {
	v, _, e := textField(fs, root, name)
	if e != nil {
		return "", e
	}
	v = strings.TrimSpace(v)
	if len([]rune(v)) > maxLen {
		return "", errorf(400, wire.CodeValidation, "%s must be at most %d characters", name, maxLen)
	}
	return v, nil
}

func optionalInt(fs map[string][]*node, root, name string, lo, hi, def int) (int, *apiError) {
	v, present, e := textField(fs, root, name)
	if e != nil {
		return 0, e
	}
	if !present || strings.TrimSpace(v) == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		return 0, errorf(400, wire.CodeValidation, "%s must be an integer from %d to %d, got %q", name, lo, hi, v)
	}
	return n, nil
}

func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>,;") && strings.Count(s, "@") == 1
}

// ---- chats -----------------------------------------------------------------

const eventTime = "2006-01-02T15:04:05.000Z07:00"

func (s *Server) chatURL(q *apiReq, id string) string { return q.base + "/chat/" + id }

// chatFor returns the chat named by args[0]; the caller holds s.mu.
func (s *Server) chatFor(args []string) (*chat, *apiError) {
	c := s.st.Chats[args[0]]
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
	now := s.now()
	s.mu.Lock()
	if skillName != "" && s.skillByName(skillName) == nil {
		s.mu.Unlock()
		return nil, errorf(400, wire.CodeValidation, "unknown skill %q", skillName).why("skill names are case-sensitive; GET skills lists them")
	}
	c := &chat{ID: fmt.Sprintf("H%010d", 4200000000+s.st.NextChat), Skill: skillName, VisitorID: visitorID,
		VisitorNm: visitorName, State: "waiting", Started: now.UTC(), LastUpdate: now.UTC()}
	s.st.NextChat++
	c.Events = append(c.Events,
		chatEvent{ID: 1, Type: "state", Time: now.UTC(), State: "waiting"},
		chatEvent{ID: 2, Type: "line", Time: now.UTC(), TextType: "plain", By: "info", Source: "system",
			Text: "Thank you for your patience, an agent will be with you shortly."})
	if question != "" {
		c.Events = append(c.Events, chatEvent{ID: 3, Type: "line", Time: now.UTC(), TextType: "plain", By: visitorOr(c), Source: "visitor", Text: question})
	}
	s.st.Chats[c.ID] = c
	s.changed()
	s.mu.Unlock()
	_ = s.persist()
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
	s.mu.Lock()
	_, e := s.chatFor(args)
	s.mu.Unlock()
	if e != nil {
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
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.chatFor(args)
	if e != nil {
		return nil, e
	}
	n := el("events")
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
	return ok(n), nil
}

func (s *Server) eventsPost(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	fs, at, e := fields(q.doc, "event", []string{"type"}, []string{"text", "state", "textType"}, nil)
	if e != nil {
		return nil, e
	}
	typ := at["type"]
	now := s.now().UTC()
	var ev chatEvent
	switch typ {
	case "line":
		text, e := requiredText(fs, "event", "text", 4000)
		if e != nil {
			return nil, e
		}
		tt, e := optionalText(fs, "event", "textType", 20)
		if e != nil {
			return nil, e
		}
		if tt == "" {
			tt = "plain"
		}
		if tt != "plain" && tt != "html" {
			return nil, errorf(400, wire.CodeValidation, "textType must be plain or html")
		}
		ev = chatEvent{Type: "line", Time: now, TextType: tt, Text: text, Source: "visitor"}
	case "state":
		st, e := requiredText(fs, "event", "state", 20)
		if e != nil {
			return nil, e
		}
		if st != "ended" {
			return nil, errorf(400, wire.CodeValidation, "a visitor can only set the state to ended, not %q", st)
		}
		ev = chatEvent{Type: "state", Time: now, State: "ended"}
	case "":
		return nil, errorf(400, wire.CodeValidation, `the event needs a type attribute ("@type" in JSON): line or state`)
	default:
		return nil, errorf(400, wire.CodeValidation, "unknown event type %q (line or state)", typ)
	}
	s.mu.Lock()
	c, e := s.chatFor(args)
	if e != nil {
		s.mu.Unlock()
		return nil, e
	}
	if c.State == "ended" {
		s.mu.Unlock()
		return nil, errorf(http.StatusConflict, wire.CodeConflict, "the chat has ended")
	}
	ev.ID = len(c.Events) + 1
	if ev.Type == "line" {
		ev.By = visitorOr(c)
	}
	c.Events = append(c.Events, ev)
	created := ev
	if ev.Type == "state" {
		c.State = "ended"
	} else {
		// A canned agent answers so that polling the next link shows
		// something happening.
		if c.State == "waiting" {
			c.State = "chatting"
			c.Agent = s.pickAgent(c.Skill)
			c.Events = append(c.Events, chatEvent{ID: len(c.Events) + 1, Type: "state", Time: now, State: "chatting"})
		}
		c.Events = append(c.Events, chatEvent{ID: len(c.Events) + 1, Type: "line", Time: now, TextType: "plain",
			By: c.Agent, Source: "agent", Text: fmt.Sprintf("Hi, %s here. You wrote: %q. How can I help?", c.Agent, ev.Text)})
	}
	c.LastUpdate = now
	s.changed()
	s.mu.Unlock()
	_ = s.persist()
	return &response{status: http.StatusCreated,
		location: fmt.Sprintf("%s/events?from=%d", s.chatURL(q, args[0]), created.ID),
		body:     eventNode(created)}, nil
}

// pickAgent names an agent for a chat; the caller holds s.mu.
func (s *Server) pickAgent(skillName string) string {
	sk := s.skillByName(skillName)
	for _, id := range s.st.UserOrder {
		u := s.st.Users[id]
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
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.chatFor(args)
	if e != nil {
		return nil, e
	}
	end := s.now()
	if c.State == "ended" {
		end = c.LastUpdate
	}
	return ok(el("info",
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
	)), nil
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
	s.mu.Lock()
	c, e := s.chatFor(args)
	if e == nil {
		c.Transcript = email
		s.changed()
	}
	s.mu.Unlock()
	if e != nil {
		return nil, e
	}
	_ = s.persist()
	return &response{status: http.StatusCreated, location: s.chatURL(q, args[0]),
		body: el("transcriptRequest", textEl("email", email), textEl("state", "queued"))}, nil
}

// ---- agent sessions ----------------------------------------------------------

func (s *Server) sessionURL(q *apiReq, id string) string { return q.base + "/agentSession/" + id }

func (s *Server) sessionFor(args []string) (*agentSession, *apiError) {
	a := s.st.Sessions[args[0]]
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
	s.mu.Lock()
	if login == "" && len(s.st.UserOrder) > 0 {
		login = s.st.Users[s.st.UserOrder[0]].LoginName
	} else if login != "" && s.userByLogin(login) == nil {
		s.mu.Unlock()
		return nil, errorf(400, wire.CodeValidation, "no user with loginName %q", login)
	}
	a := &agentSession{ID: randomHex(8), LoginName: login, Chat: "Offline", Voice: "Offline", Created: s.now().UTC()}
	s.st.Sessions[a.ID] = a
	s.changed()
	s.mu.Unlock()
	_ = s.persist()
	loc := s.sessionURL(q, a.ID)
	return &response{status: http.StatusCreated, location: loc, body: el("agentSessionLocation", linkEl("location", loc))}, nil
}

func (s *Server) userByLogin(login string) *user {
	for _, u := range s.st.Users {
		if u.LoginName == login {
			return u
		}
	}
	return nil
}

func (s *Server) sessionGet(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	s.mu.Lock()
	a, e := s.sessionFor(args)
	s.mu.Unlock()
	if e != nil {
		return nil, e
	}
	u := s.sessionURL(q, a.ID)
	return ok(el("agentSession", textEl("loginName", a.LoginName),
		linkEl("self", u), linkEl("availability", u+"/availability"),
		linkEl("incomingRequests", u+"/incomingRequests"), linkEl("chatSessions", u+"/chatSessions"),
	).attr("id", a.ID)), nil
}

func (s *Server) sessionDelete(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	s.mu.Lock()
	a, e := s.sessionFor(args)
	if e == nil {
		delete(s.st.Sessions, a.ID)
		s.changed()
	}
	s.mu.Unlock()
	if e != nil {
		return nil, e
	}
	_ = s.persist()
	return ok(el("agentSession", textEl("loginName", a.LoginName), textEl("state", "ended")).attr("id", a.ID)), nil
}

func availabilityNode(a *agentSession) *node {
	return el("availability", textEl("chat", a.Chat), textEl("voice", a.Voice))
}

func (s *Server) sessionAvailability(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, e := s.sessionFor(args)
	if e != nil {
		return nil, e
	}
	return ok(availabilityNode(a)), nil
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
	s.mu.Lock()
	a, e := s.sessionFor(args)
	if e == nil {
		if chatState != "" {
			a.Chat = chatState
		}
		if voice != "" {
			a.Voice = voice
		}
		s.changed()
	}
	var n *node
	if e == nil {
		n = availabilityNode(a)
	}
	s.mu.Unlock()
	if e != nil {
		return nil, e
	}
	_ = s.persist()
	return ok(n), nil
}

func (s *Server) incomingRequests(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, e := s.sessionFor(args)
	if e != nil {
		return nil, e
	}
	ringing := 0
	if a.Chat == "Online" {
		for _, c := range s.st.Chats {
			if c.State == "waiting" {
				ringing++
			}
		}
	}
	return ok(el("incomingRequests", textEl("ringingCount", strconv.Itoa(ringing)))), nil
}

func (s *Server) chatSessions(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, e := s.sessionFor(args); e != nil {
		return nil, e
	}
	n := el("chatSessions", linkEl("self", s.sessionURL(q, args[0])+"/chatSessions"))
	for _, c := range sortedValues(s.st.Chats) {
		if c.State != "ended" {
			n.add(el("chatSession", textEl("state", c.State), textEl("skillName", c.Skill), linkEl("self", s.chatURL(q, c.ID))).attr("id", c.ID))
		}
	}
	return ok(n), nil
}
