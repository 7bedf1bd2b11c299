package ui

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/agent"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/sandbox"
)

// These tests run the agent workspace against the real core and an
// in-process sandbox, with a visitor typing through the Server Chat API
// as the documentation shows it (unsigned, with the global app key).

var quickAgent = agent.Config{Incoming: agent.Pace{Every: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond},
	Chat: agent.Pace{Every: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}}

// agentWindow opens a window on a profile installed into a fresh sandbox,
// with be wrapping the real backend when not nil.
func agentWindow(t *testing.T, wrap func(Backend) Backend) (*harness, *sandbox.Server, string) {
	t.Helper()
	sb, server := startSandbox(t)
	sb.SetAllowUnsigned(true) // the visitor's calls, as the Server Chat pages print them
	var be Backend = NewBackend(BackendConfig{Store: memStore(t), Agent: quickAgent})
	if wrap != nil {
		be = wrap(be)
	}
	h := newHarness(t, be, Options{})
	w := h.d.wiz
	h.typeIn(w.accountPage.server, server)
	h.typeIn(w.accountPage.account, "12345678")
	h.tap(w.accountPage.codeBtn)
	tok, sec, err := sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	h.typeIn(w.codePage.code, tok+";"+sec)
	h.tap(w.codePage.installBtn)
	h.tap(w.donePage.openBtn)
	if !h.d.opened {
		t.Fatalf("profile not opened: %s", h.d.br.status.ErrorText())
	}
	return h, sb, server
}

// visitor is a visitor's side of a chat, on the Server Chat API.
type visitor struct {
	t   *testing.T
	url string
}

func visitorCall(t *testing.T, method, url, body string, put bool) string {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "LivePerson appKey="+sandbox.DocsAppKey)
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if put {
		req.Header.Set("X-HTTP-Method-Override", "PUT")
	}
	q := req.URL.Query()
	q.Set("v", "1")
	req.URL.RawQuery = q.Encode()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("visitor %s %s: %d %s", method, url, resp.StatusCode, b)
	}
	if loc := resp.Header.Get("Location"); loc != "" && method == http.MethodPost && strings.HasSuffix(url, "/chat/request") {
		return loc
	}
	return string(b)
}

func startVisitor(t *testing.T, server, skill, name, question string) *visitor {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"request": map[string]string{"skill": skill, "visitorName": name, "question": question}})
	loc := visitorCall(t, http.MethodPost, server+"/api/account/12345678/chat/request", string(body), false)
	return &visitor{t: t, url: loc}
}

func (v *visitor) say(text string) {
	b, _ := json.Marshal(map[string]any{"event": map[string]string{"@type": "line", "text": text}})
	visitorCall(v.t, http.MethodPost, v.url+"/events", string(b), false)
}

func (v *visitor) typing(on bool) {
	s := "not-typing"
	if on {
		s = "typing"
	}
	visitorCall(v.t, http.MethodPost, v.url+"/info/visitorTyping", `{"visitorTyping":"`+s+`"}`, true)
}

func (v *visitor) get(path string) string {
	return visitorCall(v.t, http.MethodGet, v.url+path, "", false)
}

// eventually waits for the platform (not the window) to show something.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(settleTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func dialogButton(h *harness, text string) *widget.Button {
	for _, o := range h.w.Canvas().Overlays().List() {
		if b := findButton(o, text); b != nil {
			return b
		}
	}
	h.t.Fatalf("no %q button in a dialog; window shows:\n%s", text, strings.Join(h.texts(), " | "))
	return nil
}

// goOnline opens the workspace (which starts a session) and sets Online.
func goOnline(t *testing.T, h *harness) *workspace {
	t.Helper()
	h.tap(h.d.modes().agent)
	ws := h.d.ws
	h.until("the agent session", func() bool { return ws.sess != nil || ws.status.Failed() })
	if ws.sess == nil {
		t.Fatalf("no session: %s", ws.status.ErrorText())
	}
	h.mustShow("Agent: Alice (alice.martin)")
	h.mustShow("choose Online")
	ws.avail.SetSelected(string(agent.Online))
	h.until("Online", func() bool { return ws.availShown == agent.Online || ws.status.Failed() })
	if ws.availShown != agent.Online {
		t.Fatalf("availability: %s", ws.status.ErrorText())
	}
	if cs, ok := ws.sess.(coreAgentSession); ok {
		got, err := cs.Availability(context.Background())
		if err != nil || got != agent.Online {
			t.Fatalf("the platform has the agent %s (%v)", got, err)
		}
	}
	return ws
}

func TestAgentWorkspaceFlow(t *testing.T) {
	h, sb, server := agentWindow(t, nil)
	ws := goOnline(t, h)
	h.mustShow("No chat request is waiting.")

	// A visitor asks while the window is in the background: the request
	// is listed and announced on the desktop.
	h.d.background = true
	var ann *visitor
	test.AssertNotificationSent(t, fyne.NewNotification("New chat request", "Ann (Sales): Where is my order?"), func() {
		ann = startVisitor(t, server, "Sales", "Ann", "Where is my order?")
		h.until("the request", func() bool { return len(ws.requests) == 1 })
	})
	h.d.background = false
	h.mustShow("Chat requests (1 waiting)")
	h.mustShow("Ann")
	if ws.acceptBtn.Text != "Accept Ann" {
		t.Fatalf("the accept button says %q", ws.acceptBtn.Text)
	}
	h.mustShow("Sales")
	h.mustShow("Where is my order?")
	if h.d.modes().agent.Text != "Agent workspace · 1 waiting" {
		t.Fatalf("the mode bar says %q", h.d.modes().agent.Text)
	}

	// Accept: the chat opens in a tab with what the visitor said.
	h.tap(ws.acceptBtn)
	h.until("the chat tab", func() bool { return len(ws.panes) == 1 && ws.panes[0].shown > 0 })
	p := ws.panes[0]
	h.until("the request leaves the list", func() bool { return len(ws.requests) == 0 })
	h.mustShow("You are now chatting with Alice.")
	if p.title.Text != "Ann" || !strings.Contains(p.sub.Text, "Sales") || p.tab.Text != "Ann" {
		t.Fatalf("chat header %q / %q, tab %q", p.title.Text, p.sub.Text, p.tab.Text)
	}
	if len(p.info.Items) == 0 || p.info.Items[0].Text != "Name" {
		t.Fatalf("no visitor information: %+v", p.info.Items)
	}

	// The visitor types, then the agent: each sees the other typing.
	ann.typing(true)
	h.until("the visitor typing", func() bool { return p.typing.Text == "Ann is typing…" })
	h.typeIn(&p.box.Entry, "Let me check")
	eventually(t, "the agent typing on the visitor's side", func() bool {
		return strings.Contains(ann.get("/info/agentTyping"), `"typing"`)
	})
	// Shift+Enter breaks the line, Enter sends.
	p.box.KeyDown(&fyne.KeyEvent{Name: "LeftShift"})
	p.box.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	p.box.KeyUp(&fyne.KeyEvent{Name: "LeftShift"})
	test.Type(&p.box.Entry, "order 4411.")
	p.box.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.until("the line sent", func() bool { return p.box.Text == "" && !p.sending })
	if p.status.Failed() {
		t.Fatalf("send: %s", p.status.ErrorText())
	}
	if ev := ann.get("/events"); !strings.Contains(ev, `Let me check\norder 4411.`) {
		t.Fatalf("the visitor did not get the line: %s", ev)
	}
	if at := ann.get("/info/agentTyping"); !strings.Contains(at, "not-typing") {
		t.Fatalf("the agent still types after sending: %s", at)
	}
	h.until("the agent's own line", func() bool { return h.shows("order 4411.") })

	// The visitor answers; a second visitor's chat opens beside it and
	// counts what the first says while it is not on show.
	ann.say("Thanks, it was order 4411")
	h.until("the visitor's line", func() bool { return h.shows("Thanks, it was order 4411") && p.typing.Text == "" })
	if p.unread != 0 {
		t.Fatalf("a line on show counted unread: %d", p.unread)
	}
	bob := startVisitor(t, server, "Sales", "Bob", "Can I change my plan?")
	h.until("Bob's request", func() bool { return len(ws.requests) == 1 })
	h.tap(ws.acceptBtn)
	h.until("the second tab", func() bool { return len(ws.panes) == 2 && ws.panes[1].shown > 0 })
	q := ws.panes[1]
	if ws.tabs.Selected() != q.tab {
		t.Fatal("the accepted chat is not on show")
	}
	ann.say("Are you still there?")
	h.until("the unread count", func() bool { return p.tab.Text == "Ann (1)" })
	ws.tabs.Select(p.tab)
	h.settle()
	if p.tab.Text != "Ann" || p.unread != 0 {
		t.Fatalf("after looking: tab %q, unread %d", p.tab.Text, p.unread)
	}

	// Transfer Bob to Sales, where a colleague is online.
	if _, err := sb.StartOnlineAgent("bruno.silva"); err != nil {
		t.Fatal(err)
	}
	ws.tabs.Select(q.tab)
	h.tap(q.transfer)
	x := q.xfer
	h.until("the transfer targets", func() bool { return len(x.skill.Options) > 0 || x.status.Failed() })
	sales := -1
	for i, o := range x.skill.Options {
		if strings.HasPrefix(o, "Sales — ") {
			sales = i
		}
	}
	if sales < 0 {
		t.Fatalf("Sales is not offered: %q (%s)", x.skill.Options, x.status.ErrorText())
	}
	if len(x.agent.Options) != 1 || !strings.HasPrefix(x.agent.Options[0], "Bruno (Online") {
		t.Fatalf("agents offered: %q", x.agent.Options)
	}
	x.skill.SetSelectedIndex(sales)
	x.note.SetText("Wants to upgrade")
	h.tap(x.okBtn)
	h.until("the transfer", func() bool { return q.ending == agent.Transferred || x.status.Failed() })
	h.mustShow("Transferred to Sales: the chat is no longer yours.")
	if q.box.Disabled() != true || q.tab.Text != "Bob — closed" {
		t.Fatalf("a transferred chat still takes lines (tab %q)", q.tab.Text)
	}
	if info := bob.get("/info"); !strings.Contains(info, `"state":"waiting"`) {
		t.Fatalf("Bob's chat is not back in the queue: %s", info)
	}
	ws.closeTab(q.tab) // the tab's close icon
	h.settle()
	if len(ws.panes) != 1 || ws.tabs.Selected() != p.tab {
		t.Fatalf("closing the transferred chat's tab: %d panes", len(ws.panes))
	}

	// End Ann's chat.
	h.tap(p.endBtn)
	h.tap(dialogButton(h, "End chat"))
	h.until("the end", func() bool { return p.ending == agent.Ended })
	h.mustShow("You ended the chat.")
	if info := ann.get("/info"); !strings.Contains(info, `"state":"ended"`) {
		t.Fatalf("the visitor's chat did not end: %s", info)
	}

	// End the session: the platform no longer has it.
	sess := ws.sess.(coreAgentSession)
	h.tap(ws.endBtn)
	h.until("the session's end", func() bool { return ws.sess == nil })
	h.mustShow("The agent session has ended.")
	if _, err := sess.Availability(context.Background()); !errors.Is(err, agent.ErrSessionLost) {
		t.Fatalf("the session lives on: %v", err)
	}
}

// flakyAgents wraps the real backend's agent sessions with a switch that
// makes their calls fail as a dropped network does.
type flakyAgents struct {
	Backend
	down atomic.Bool
}

var errDown = &agent.Error{Op: "test", Kind: agent.ErrNetwork, Err: errors.New("dial tcp 127.0.0.1:1: connection refused")}

func (f *flakyAgents) StartAgentSession(ctx context.Context) (AgentSession, error) {
	s, err := f.Backend.(AgentBackend).StartAgentSession(ctx)
	if err != nil {
		return nil, err
	}
	return flakySession{AgentSession: s, f: f}, nil
}

type flakySession struct {
	AgentSession
	f *flakyAgents
}

func (s flakySession) Accept(ctx context.Context) (AgentChat, error) {
	c, err := s.AgentSession.Accept(ctx)
	if err != nil {
		return nil, err
	}
	return flakyChat{AgentChat: c, f: s.f}, nil
}

type flakyChat struct {
	AgentChat
	f *flakyAgents
}

func (c flakyChat) Send(ctx context.Context, text string) error {
	if c.f.down.Load() {
		return errDown
	}
	return c.AgentChat.Send(ctx, text)
}

// A failed send keeps the text and says what happened and what to do; a
// lost session says so, keeps the text, and offers a new session.
func TestAgentWorkspaceErrorsKeepTheText(t *testing.T) {
	var flaky *flakyAgents
	h, _, server := agentWindow(t, func(b Backend) Backend { flaky = &flakyAgents{Backend: b}; return flaky })
	ws := goOnline(t, h)
	ann := startVisitor(t, server, "Sales", "Ann", "Hello?")
	h.until("the request", func() bool { return len(ws.requests) == 1 })
	h.tap(ws.acceptBtn)
	h.until("the chat", func() bool { return len(ws.panes) == 1 })
	p := ws.panes[0]

	flaky.down.Store(true)
	h.typeIn(&p.box.Entry, "Hi Ann")
	h.tap(p.sendBtn)
	if p.box.Text != "Hi Ann" || !p.status.Failed() {
		t.Fatalf("after a failed send: text %q, status %q", p.box.Text, p.status.ErrorText())
	}
	if msg := p.status.ErrorText(); !strings.Contains(msg, "could not be reached") || !strings.Contains(msg, "Check the network connection") ||
		!strings.Contains(msg, "Your text is kept") {
		t.Fatalf("the failure says %q", msg)
	}
	flaky.down.Store(false)
	h.tap(p.status.RetryButton())
	if p.box.Text != "" || p.status.Failed() {
		t.Fatalf("retry: text %q, status %q", p.box.Text, p.status.ErrorText())
	}
	eventually(t, "the line at the visitor's", func() bool { return strings.Contains(ann.get("/events"), "Hi Ann") })

	// The session ends on the platform (another device logs out).
	if err := ws.sess.(flakySession).AgentSession.End(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.typeIn(&p.box.Entry, "Are you there?")
	h.w.Canvas().Focus(p.box)
	p.box.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.until("the lost session", func() bool { return ws.lost.Visible() })
	if h.w.Canvas().Focused() == p.box {
		t.Fatal("the lost chat's disabled message box keeps the focus (and would swallow Ctrl+Q)")
	}
	if p.box.Text != "Are you there?" {
		t.Fatalf("the lost session took the text: %q", p.box.Text)
	}
	h.mustShow("no longer has this agent session")
	h.mustShow("Start a new session")
	if !p.box.Disabled() {
		t.Fatal("a chat of a lost session still takes lines")
	}
	h.tap(ws.restartBtn)
	h.until("a new session", func() bool { return ws.sess != nil })
	if ws.lost.Visible() {
		t.Fatal("the lost banner stays after a new session")
	}
}

// With no Chat Agent API the workspace says so instead of failing later.
func TestAgentWorkspaceWithoutChatAgentAPI(t *testing.T) {
	h, _ := openBrowser(t)
	h.tap(h.d.modes().agent)
	if h.d.view != viewAgent || !h.d.ws.startBtn.Disabled() {
		t.Fatal("the workspace offers a session it cannot start")
	}
	h.mustShow("no Chat Agent API")
	h.tap(h.d.modes().resources)
	if h.d.view != viewBrowser {
		t.Fatalf("back to the browser: view %s", h.d.view)
	}
}
