package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The console's live pages: the chats and agent sessions as they are now,
// the outbox of what the platform would have mailed, and a visitor page on
// which a person plays the visitor by hand (start a chat, type lines, read
// the agent's) while an application plays the agent through the Chat
// Agent API. GET pages take the console session or HTTP Basic (with
// Accept: text/plain they answer text, for scripts); the forms are POSTs
// authenticated like every console action (authPost).

// liveView is what the live pages show.
type liveView struct {
	Chats    []liveChat
	Sessions []liveSession
	Outbox   []liveOutbox
	Skills   []string
	Chat     *liveChat
	Events   []liveEvent
	Ended    bool
}

type liveChat struct {
	Key, State, Skill, Agent, Visitor string
	Started, LastUpdate               string
	Lines                             int
	Typing                            bool // the agent is typing
}

type liveSession struct {
	ID, Login, Availability, Created string
	Held                             int
}

type liveOutbox struct {
	Kind, Time, ChatID, Email, Subject string
	Lines                              []string
	Answers                            []answer
	Fields                             []string
}

type liveEvent struct {
	ID                            int
	Time, By, Source, Text, State string
	Line                          bool
}

// The live pages' templates join the console's (they use its head and foot).
func init() {
	if _, err := pages.Parse(liveTemplates); err != nil {
		panic(err)
	}
}

// serveLive answers the live pages; it reports whether the path was one.
func (s *Server) serveLive(w http.ResponseWriter, r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, "/console/")
	if !ok {
		return false
	}
	page, sub, _ := strings.Cut(rest, "/")
	switch page {
	case "chats", "outbox", "visitor":
	default:
		return false
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		sess, ok := s.viewer(w, r)
		if !ok {
			return true
		}
		switch {
		case page == "chats" && sub == "":
			s.liveChats(w, r, sess)
		case page == "outbox" && sub == "":
			s.liveOutbox(w, r, sess)
		case page == "visitor" && sub == "":
			s.visitorStartPage(w, r, sess)
		case page == "visitor" && !strings.Contains(sub, "/"):
			s.visitorPage(w, r, sess, sub)
		default:
			s.consoleFail(w, r, http.StatusNotFound, "No such console page.")
		}
		return true
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		s.consoleFail(w, r, http.StatusMethodNotAllowed, "Use GET, or POST for the forms.")
		return true
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.consoleFail(w, r, http.StatusBadRequest, "The form could not be read.")
		return true
	}
	if _, ok := s.authPost(w, r); !ok {
		return true
	}
	key, action, _ := strings.Cut(sub, "/")
	switch {
	case page == "visitor" && sub == "":
		s.visitorStart(w, r)
	case page == "visitor" && (action == "line" || action == "end" || action == "typing"):
		s.visitorAct(w, r, key, action)
	default:
		s.consoleFail(w, r, http.StatusNotFound, "No such console action.")
	}
	return true
}

// viewer authenticates a console GET: HTTP Basic (scripts) or the console
// session; otherwise it shows the sign-in page, which returns here.
func (s *Server) viewer(w http.ResponseWriter, r *http.Request) (*consoleSession, bool) {
	if user, pass, basic := r.BasicAuth(); basic {
		if s.adminOK(user, pass) {
			return nil, true
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="lpdesk sandbox console", charset="UTF-8"`)
		s.consoleFail(w, r, http.StatusUnauthorized, "Wrong administrator credentials.")
		return nil, false
	}
	if sess := s.session(r); sess != nil {
		return sess, true
	}
	if wantsText(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="lpdesk sandbox console", charset="UTF-8"`)
		s.consoleFail(w, r, http.StatusUnauthorized, "Sign in to the console first (or use HTTP Basic with the administrator's credentials).")
		return nil, false
	}
	s.page(w, http.StatusOK, "login", pageData{Title: "Sign in", Next: r.URL.Path})
	return nil, false
}

func (s *Server) livePage(w http.ResponseWriter, sess *consoleSession, title, name string, v *liveView) {
	d := pageData{Title: title, SignedIn: true, ConsoleUser: s.cfg.AdminUser, Account: s.cfg.AccountID, Live: v}
	if sess != nil {
		d.CSRF = sess.csrf
	}
	s.page(w, http.StatusOK, name, d)
}

func (s *Server) liveChats(w http.ResponseWriter, r *http.Request, sess *consoleSession) {
	v := &liveView{}
	_ = s.view(func(st *state) *apiError {
		chats := sortedValues(st.Chats)
		slices.SortStableFunc(chats, func(a, b *chat) int { return b.LastUpdate.Compare(a.LastUpdate) })
		for _, c := range chats {
			v.Chats = append(v.Chats, liveChatOf(c))
		}
		for _, a := range sortedValues(st.Sessions) {
			held := 0
			if u := st.sessionUser(a); u != nil {
				held = st.activeChats(u.ID)
			}
			v.Sessions = append(v.Sessions, liveSession{ID: a.ID, Login: a.LoginName, Availability: string(a.Chat), Created: fmtTime(a.Created), Held: held})
		}
		return nil
	})
	if wantsText(r) {
		var b strings.Builder
		for _, c := range v.Chats {
			fmt.Fprintf(&b, "chat %s %s skill=%q agent=%q visitor=%q lines=%d\n", c.Key, c.State, c.Skill, c.Agent, c.Visitor, c.Lines)
		}
		for _, a := range v.Sessions {
			fmt.Fprintf(&b, "agentSession %s %s %s chats=%d\n", a.ID, a.Login, a.Availability, a.Held)
		}
		writeText(w, http.StatusOK, b.String())
		return
	}
	s.livePage(w, sess, "Live chats", "live-chats", v)
}

func liveChatOf(c *chat) liveChat {
	lines := 0
	for _, ev := range c.Events {
		if ev.Type == eventLine && ev.Source != fromSystem {
			lines++
		}
	}
	return liveChat{Key: c.ID, State: string(c.State), Skill: c.Skill, Agent: c.Agent, Visitor: visitorName(c, agentSide),
		Started: fmtTime(c.Started), LastUpdate: fmtTime(c.LastUpdate), Lines: lines, Typing: c.AgentTyping == "typing"}
}

func (s *Server) liveOutbox(w http.ResponseWriter, r *http.Request, sess *consoleSession) {
	v := &liveView{}
	_ = s.view(func(st *state) *apiError {
		for i := len(st.Outbox) - 1; i >= 0; i-- {
			it := st.Outbox[i]
			o := liveOutbox{Kind: string(it.Kind), Time: fmtTime(it.Time), ChatID: it.ChatID, Email: it.Email, Subject: it.Subject,
				Lines: it.Lines, Answers: it.Answers}
			for k, val := range it.Fields {
				o.Fields = append(o.Fields, k+": "+val)
			}
			slices.Sort(o.Fields)
			v.Outbox = append(v.Outbox, o)
		}
		return nil
	})
	if wantsText(r) {
		var b strings.Builder
		for _, o := range v.Outbox {
			fmt.Fprintf(&b, "%s %s chat=%s to=%s subject=%q\n", o.Time, o.Kind, o.ChatID, o.Email, o.Subject)
			for _, l := range o.Lines {
				fmt.Fprintf(&b, "  %s\n", l)
			}
			for _, a := range o.Answers {
				fmt.Fprintf(&b, "  answer %s: %s\n", a.QuestionID, a.Value)
			}
			for _, f := range o.Fields {
				fmt.Fprintf(&b, "  %s\n", f)
			}
		}
		writeText(w, http.StatusOK, b.String())
		return
	}
	s.livePage(w, sess, "Outbox", "live-outbox", v)
}

func (s *Server) visitorStartPage(w http.ResponseWriter, r *http.Request, sess *consoleSession) {
	v := &liveView{}
	_ = s.view(func(st *state) *apiError {
		for _, sk := range st.Skills.all() {
			v.Skills = append(v.Skills, sk.Name)
		}
		for _, c := range sortedValues(st.Chats) {
			if c.State != chatEnded {
				v.Chats = append(v.Chats, liveChatOf(c))
			}
		}
		return nil
	})
	s.livePage(w, sess, "Play the visitor", "live-visitor-start", v)
}

// visitorStart starts a chat as a visitor would through the Server Chat API.
func (s *Server) visitorStart(w http.ResponseWriter, r *http.Request) {
	req := chatRequest{Skill: strings.TrimSpace(r.PostFormValue("skill")), VisitorName: strings.TrimSpace(r.PostFormValue("name")),
		Question: strings.TrimSpace(r.PostFormValue("question")), Details: chatDetails{UserAgent: r.UserAgent()}}
	if len(req.VisitorName) > 100 || len(req.Question) > 4000 {
		s.consoleFail(w, r, http.StatusBadRequest, "The name or the first line is too long.")
		return
	}
	var key string
	e := s.update(func(st *state) *apiError {
		c, e := st.startChat(s.now().UTC(), req)
		if e == nil {
			key = c.ID
		}
		return e
	})
	if e != nil {
		s.consoleFail(w, r, e.Status, e.Message+".")
		return
	}
	if wantsText(r) {
		writeText(w, http.StatusOK, "chat="+key+"\n")
		return
	}
	http.Redirect(w, r, "/console/visitor/"+url.PathEscape(key), http.StatusSeeOther)
}

// visitorAct types a line, sets typing or ends the chat as the visitor.
func (s *Server) visitorAct(w http.ResponseWriter, r *http.Request, key, action string) {
	text := strings.TrimSpace(r.PostFormValue("text"))
	if action == "line" && (text == "" || len(text) > 4000) {
		s.consoleFail(w, r, http.StatusBadRequest, "Type a line of at most 4000 characters.")
		return
	}
	e := s.update(func(st *state) *apiError {
		c, e := st.chat(key)
		if e != nil {
			return e
		}
		now := s.now().UTC()
		switch action {
		case "line":
			_, e = c.visitorLine(now, text)
		case "typing":
			c.VisitorTyping = "typing"
		default:
			_, e = c.end(now)
		}
		return e
	})
	if e != nil {
		s.consoleFail(w, r, e.Status, e.Message+".")
		return
	}
	if wantsText(r) {
		writeText(w, http.StatusOK, action+"\n")
		return
	}
	http.Redirect(w, r, "/console/visitor/"+url.PathEscape(key), http.StatusSeeOther)
}

// visitorPage shows a chat as its visitor sees it.
func (s *Server) visitorPage(w http.ResponseWriter, r *http.Request, sess *consoleSession, key string) {
	v := &liveView{}
	e := s.view(func(st *state) *apiError {
		c, e := st.chat(key)
		if e != nil {
			return e
		}
		lc := liveChatOf(c)
		v.Chat, v.Ended = &lc, c.State == chatEnded
		for _, ev := range c.Events {
			if ev.AgentOnly {
				continue
			}
			v.Events = append(v.Events, liveEvent{ID: ev.ID, Time: ev.Time.UTC().Format(time.TimeOnly), By: byFor(c, ev, visitorSide),
				Source: string(ev.Source), Text: ev.Text, State: string(ev.State), Line: ev.Type == eventLine})
		}
		return nil
	})
	if e != nil {
		s.consoleFail(w, r, http.StatusNotFound, "No such chat.")
		return
	}
	if wantsText(r) {
		var b strings.Builder
		for _, ev := range v.Events {
			if ev.Line {
				fmt.Fprintf(&b, "%d %s %s: %s\n", ev.ID, ev.Time, ev.By, ev.Text)
			} else {
				fmt.Fprintf(&b, "%d %s (%s)\n", ev.ID, ev.Time, ev.State)
			}
		}
		writeText(w, http.StatusOK, b.String())
		return
	}
	s.livePage(w, sess, "Visitor", "live-visitor", v)
}

const liveTemplates = `
{{define "live-nav"}}<p><a href="/console">Console</a> · <a href="/console/chats">Live chats</a> · <a href="/console/visitor">Play the visitor</a> · <a href="/console/outbox">Outbox</a></p>{{end}}

{{define "live-chats"}}{{template "head" .}}{{template "live-nav" .}}
<div class="card"><h1>Chats</h1>{{with .Live.Chats}}<table><tr><th>Chat</th><th>State</th><th>Skill</th><th>Agent</th><th>Visitor</th><th>Lines</th><th>Last update</th></tr>
{{range .}}<tr><td><a href="/console/visitor/{{.Key}}"><code>{{.Key}}</code></a></td><td>{{.State}}</td><td>{{.Skill}}</td><td>{{.Agent}}</td><td>{{.Visitor}}</td><td>{{.Lines}}</td><td>{{.LastUpdate}}</td></tr>{{end}}
</table>{{else}}<p class="muted">No chats yet: start one on the <a href="/console/visitor">visitor page</a> or with the Server Chat API.</p>{{end}}</div>
<div class="card"><h2>Agent sessions</h2>{{with .Live.Sessions}}<table><tr><th>Session</th><th>Agent</th><th>Chat availability</th><th>Chats held</th><th>Started</th></tr>
{{range .}}<tr><td><code>{{.ID}}</code></td><td>{{.Login}}</td><td>{{.Availability}}</td><td>{{.Held}}</td><td>{{.Created}}</td></tr>{{end}}
</table>{{else}}<p class="muted">No agent is logged in: start an agent session with the Chat Agent API (POST agentSession).</p>{{end}}</div>
{{template "foot" .}}{{end}}

{{define "live-outbox"}}{{template "head" .}}{{template "live-nav" .}}
<div class="card"><h1>Outbox</h1><p class="muted">The sandbox sends no mail: transcript requests and offline survey messages wait here.</p>
{{range .Live.Outbox}}<h3>{{.Kind}} <span class="muted">{{.Time}}</span></h3>
{{if .Email}}<p>To <code>{{.Email}}</code>{{if .Subject}}, subject “{{.Subject}}”{{end}}{{if .ChatID}}, chat <a href="/console/visitor/{{.ChatID}}"><code>{{.ChatID}}</code></a>{{end}}</p>{{end}}
{{if .Lines}}<pre class="code">{{range .Lines}}{{.}}
{{end}}</pre>{{end}}
{{if .Answers}}<table><tr><th>Question</th><th>Answer</th></tr>{{range .Answers}}<tr><td>{{.QuestionID}}</td><td>{{.Value}}</td></tr>{{end}}</table>{{end}}
{{range .Fields}}<p class="muted">{{.}}</p>{{end}}
{{else}}<p class="muted">Empty.</p>{{end}}</div>
{{template "foot" .}}{{end}}

{{define "live-visitor-start"}}{{template "head" .}}{{template "live-nav" .}}
<div class="card"><h1>Play the visitor</h1><p>Start a chat as a visitor of account <code>{{.Account}}</code> would; an agent session (your application, through the Chat Agent API) hears it ring.</p>
<form method="post" action="/console/visitor"><input type="hidden" name="csrf" value="{{.CSRF}}">
<label for="skill">Skill</label><select id="skill" name="skill"><option value="">(any)</option>{{range .Live.Skills}}<option>{{.}}</option>{{end}}</select>
<label for="name">Your name</label><input type="text" id="name" name="name" placeholder="You">
<label for="question">First line (optional)</label><input type="text" id="question" name="question">
<p><button type="submit">Start the chat</button></p></form></div>
{{with .Live.Chats}}<div class="card"><h2>Open chats</h2><table><tr><th>Chat</th><th>State</th><th>Skill</th><th>Agent</th></tr>
{{range .}}<tr><td><a href="/console/visitor/{{.Key}}"><code>{{.Key}}</code></a></td><td>{{.State}}</td><td>{{.Skill}}</td><td>{{.Agent}}</td></tr>{{end}}</table></div>{{end}}
{{template "foot" .}}{{end}}

{{define "live-visitor"}}{{template "head" .}}{{template "live-nav" .}}
{{with .Live.Chat}}<div class="card"><h1>Chat <code>{{.Key}}</code></h1><p>{{.State}}{{if .Skill}} · skill {{.Skill}}{{end}}{{if .Agent}} · with {{.Agent}}{{end}}{{if .Typing}} · <em>{{.Agent}} is typing…</em>{{end}}</p>{{end}}
<table>{{range .Live.Events}}<tr><td class="muted">{{.Time}}</td>{{if .Line}}<td><strong>{{.By}}</strong></td><td>{{.Text}}</td>{{else}}<td></td><td class="muted">({{.State}})</td>{{end}}</tr>{{end}}</table>
<p><a href="/console/visitor/{{.Live.Chat.Key}}">Refresh</a> to see new lines.</p>
{{if not .Live.Ended}}<form method="post" action="/console/visitor/{{.Live.Chat.Key}}/line"><input type="hidden" name="csrf" value="{{.CSRF}}">
<label for="text">Type a line</label><input type="text" id="text" name="text" autofocus autocomplete="off"><p><button type="submit">Send</button></p></form>
<form class="inline" method="post" action="/console/visitor/{{.Live.Chat.Key}}/typing"><input type="hidden" name="csrf" value="{{.CSRF}}"><button class="secondary" type="submit">Show “typing”</button></form>
<form class="inline" method="post" action="/console/visitor/{{.Live.Chat.Key}}/end"><input type="hidden" name="csrf" value="{{.CSRF}}"><button class="danger" type="submit">End the chat</button></form>{{end}}
</div>{{template "foot" .}}{{end}}
`
