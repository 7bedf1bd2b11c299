package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/agent"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// workspace is the agent workspace: the agent session and its
// availability on top, the chat requests waiting on the left, the accepted
// chats in tabs on the right. Polling runs in the agent package's loops on
// goroutines of their own; their reports reach the UI goroutine through
// coalescers, so a slow window never queues up stale polls.
type workspace struct {
	d       *desk
	ab      AgentBackend // nil when the backend has no Chat Agent API
	content fyne.CanvasObject

	who       *widget.Label
	avail     *widget.Select
	availNote *widget.Label
	startBtn  *widget.Button
	endBtn    *widget.Button
	status    *xwidget.Status

	lost       *fyne.Container
	lostMsg    *widget.Label
	restartBtn *widget.Button

	incomingTitle *widget.Label
	incoming      *widget.List
	noRequests    *widget.Label
	acceptBtn     *widget.Button
	requests      []agent.Request

	tabs    *container.DocTabs
	noChats fyne.CanvasObject
	panes   []*chatPane

	sess      AgentSession
	sessCtx   context.Context
	stop      context.CancelFunc
	gen       int // the session's generation: reports of an older one are dropped
	starting  bool
	accepting bool
	// settingAvail keeps the select's own OnChanged quiet while the
	// window sets it.
	settingAvail bool
	availShown   agent.Availability
	autoStarted  bool
	// watchTrouble is set while the status shows a failed poll, which
	// the next good poll clears.
	watchTrouble bool

	incMu     sync.Mutex
	incLatest agent.Incoming
	incErr    error
	incNew    int
	incGen    int
	incPost   *coalescer
	tickPost  *coalescer
}

func (d *desk) workspace() *workspace {
	if d.ws == nil {
		d.ws = newWorkspace(d)
	}
	return d.ws
}

// showAgent shows the agent workspace, starting a session the first time.
func (d *desk) showAgent() {
	ws := d.workspace()
	d.setView(viewAgent, ws.content)
	ws.shown()
}

// dropWorkspace ends the workspace's session (the profile it belongs to
// is going away) and forgets it.
func (d *desk) dropWorkspace() {
	if d.ws == nil {
		return
	}
	d.loggingOut = d.ws.shutdown()
	d.ws = nil
	if d.modeBar != nil {
		d.modeBar.update()
	}
}

func newWorkspace(d *desk) *workspace {
	ws := &workspace{d: d}
	ws.ab, _ = d.be.(AgentBackend)
	ws.incPost = newCoalescer(d.do, ws.applyIncoming)
	ws.tickPost = newCoalescer(d.do, ws.tick)

	ws.who = widget.NewLabelWithStyle("No agent session", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	ws.avail = widget.NewSelect([]string{string(agent.Online), string(agent.Occupied), string(agent.Away)}, ws.availabilityChosen)
	ws.avail.PlaceHolder = "Offline"
	ws.avail.Disable()
	ws.availNote = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	ws.availNote.Truncation = fyne.TextTruncateEllipsis
	ws.startBtn = widget.NewButtonWithIcon("Start session", theme.LoginIcon(), ws.start)
	ws.startBtn.Importance = widget.HighImportance
	ws.endBtn = widget.NewButtonWithIcon("End session", theme.LogoutIcon(), ws.confirmEnd)
	ws.endBtn.Hide()
	ws.status = xwidget.NewStatus()

	ws.lostMsg = para("")
	ws.lostMsg.Importance = widget.DangerImportance
	ws.restartBtn = widget.NewButtonWithIcon("Start a new session", theme.LoginIcon(), ws.start)
	ws.restartBtn.Importance = widget.HighImportance
	ws.lost = container.NewBorder(nil, nil, nil, container.NewCenter(ws.restartBtn), ws.lostMsg)
	ws.lost.Hide()

	ws.incomingTitle = widget.NewLabelWithStyle("Chat requests", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	ws.incoming = widget.NewList(func() int { return len(ws.requests) }, newRequestRow, ws.updateRequestRow)
	ws.incoming.OnSelected = func(widget.ListItemID) { ws.incoming.UnselectAll() }
	ws.noRequests = para("No chat request is waiting.")
	ws.noRequests.Importance = widget.LowImportance
	ws.acceptBtn = widget.NewButtonWithIcon("Accept next", theme.ConfirmIcon(), ws.accept)
	ws.acceptBtn.Importance = widget.HighImportance
	ws.acceptBtn.Disable()

	ws.tabs = container.NewDocTabs()
	ws.tabs.OnSelected = ws.tabSelected
	ws.tabs.CloseIntercept = ws.closeTab
	empty := para("No chat open. Go Online to receive chat requests, then accept one on the left: it opens here, and several chats open side by side in tabs.")
	empty.Importance = widget.LowImportance
	ws.noChats = container.NewPadded(empty)

	availBox := container.NewHBox(widget.NewLabel("Availability"), ws.avail)
	top := container.NewBorder(nil, nil, ws.who, container.NewHBox(availBox, ws.startBtn, ws.endBtn), ws.availNote)
	left := container.NewBorder(ws.incomingTitle, ws.acceptBtn, nil, nil, container.NewStack(ws.incoming, container.NewVBox(ws.noRequests)))
	split := container.NewHSplit(left, container.NewStack(ws.noChats, ws.tabs))
	split.Offset = 0.28
	ws.content = container.NewBorder(container.NewVBox(top, ws.lost, ws.status), nil, nil, nil, split)
	ws.layoutChats()

	// The desktop notification is for a window the agent is not looking at.
	lc := d.app.Lifecycle()
	lc.SetOnEnteredForeground(func() { d.background = false; ws.seen() })
	lc.SetOnExitedForeground(func() { d.background = true })
	if ws.ab == nil {
		ws.startBtn.Disable()
		ws.status.Info("This account's connection has no Chat Agent API, so the agent workspace cannot be used.")
	}
	return ws
}

// shown is called when the workspace comes on screen.
func (ws *workspace) shown() {
	if ws.sess == nil && !ws.autoStarted && !ws.lost.Visible() && ws.ab != nil {
		// Coming to the workspace is asking to work in it.
		ws.autoStarted = true
		ws.start()
	}
	ws.seen()
}

// seen clears the unread count of the chat on show.
func (ws *workspace) seen() {
	if p := ws.selected(); p != nil && ws.d.view == viewAgent && !ws.d.background {
		p.markRead()
	}
}

// waiting is the number of requests ringing (0 without a workspace).
func (ws *workspace) waiting() int {
	if ws == nil {
		return 0
	}
	return len(ws.requests)
}

// start starts an agent session.
func (ws *workspace) start() {
	if ws.ab == nil || ws.starting || ws.sess != nil {
		return
	}
	ws.starting = true
	ws.startBtn.Disable()
	ws.restartBtn.Disable()
	ws.status.Busy("Starting the agent session…")
	ws.d.bg(func(ctx context.Context) func() {
		s, err := ws.ab.StartAgentSession(ctx)
		return func() {
			ws.starting = false
			ws.startBtn.Enable()
			ws.restartBtn.Enable()
			if err != nil {
				ws.fail("start the agent session", err, ws.start)
				return
			}
			ws.began(s)
		}
	})
}

// began takes over a started session: its polls start.
func (ws *workspace) began(s AgentSession) {
	ws.gen++
	ws.sess = s
	ws.sessCtx, ws.stop = context.WithCancel(ws.d.ctx)
	ws.lost.Hide()
	ws.startBtn.Hide()
	ws.status.Clear()
	me := s.Me()
	who := me.Name
	if me.Login != "" && me.Login != me.Name {
		who = fmt.Sprintf("%s (%s)", me.Name, me.Login)
	}
	ws.who.SetText("Agent: " + who)
	ws.endBtn.Show()
	ws.avail.Enable()
	ws.showAvailability(me.State)
	gen, ctx := ws.gen, ws.sessCtx
	go func() {
		_ = s.Watch(ctx, func(inc agent.Incoming, err error) {
			ws.incMu.Lock()
			ws.incLatest, ws.incErr, ws.incGen = inc, err, gen
			ws.incNew += inc.New
			ws.incMu.Unlock()
			ws.incPost.post()
		})
	}()
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				ws.tickPost.post()
			case <-ctx.Done():
				return
			}
		}
	}()
	ws.d.emit(evAgentSession)
}

// showAvailability shows a, without asking the platform again.
func (ws *workspace) showAvailability(a agent.Availability) {
	ws.availShown = a
	ws.settingAvail = true
	if a == agent.Offline || a == "" {
		ws.avail.ClearSelected()
	} else {
		ws.avail.SetSelected(string(a))
	}
	ws.settingAvail = false
	note := a.Describe()
	if a == agent.Offline || a == "" {
		note = "Offline: choose Online to receive chat requests"
	}
	ws.availNote.SetText(note)
}

func (ws *workspace) availabilityChosen(choice string) {
	if ws.settingAvail || ws.sess == nil {
		return
	}
	a, err := agent.ParseAvailability(choice)
	if err != nil || a == ws.availShown {
		return
	}
	prev := ws.availShown
	sess, gen := ws.sess, ws.gen
	ws.avail.Disable()
	ws.status.Busy("Setting your availability to " + choice + "…")
	ws.d.bg(func(ctx context.Context) func() {
		got, err := sess.SetAvailability(ctx, a)
		return func() {
			if gen != ws.gen {
				return
			}
			ws.avail.Enable()
			if err != nil {
				ws.showAvailability(prev)
				ws.fail("set your availability", err, func() { ws.availabilityChosen(choice) })
				return
			}
			ws.status.Clear()
			ws.showAvailability(got)
			sess.Poke()
		}
	})
}

// applyIncoming shows the latest poll of the incoming requests.
func (ws *workspace) applyIncoming() {
	ws.incMu.Lock()
	inc, err, gen, fresh := ws.incLatest, ws.incErr, ws.incGen, ws.incNew
	ws.incNew = 0
	ws.incMu.Unlock()
	if ws.d.closed || gen != ws.gen || ws.sess == nil {
		return
	}
	if err != nil {
		if errors.Is(err, agent.ErrSessionLost) {
			ws.sessionLost(err)
			return
		}
		ws.watchTrouble = true
		ws.status.Info(agentProblem("check for chat requests", err) + " Checking again shortly.")
		return
	}
	if ws.watchTrouble {
		ws.watchTrouble = false
		ws.status.Clear()
	}
	ws.setRequests(inc.Requests)
	if fresh > 0 && ws.d.background {
		ws.notify(fresh)
	}
}

func (ws *workspace) setRequests(rs []agent.Request) {
	changed := len(rs) != len(ws.requests)
	for i := 0; !changed && i < len(rs); i++ {
		changed = rs[i].ID != ws.requests[i].ID
	}
	ws.requests = rs
	ws.incoming.Refresh()
	if len(rs) == 0 {
		ws.incomingTitle.SetText("Chat requests")
		ws.noRequests.Show()
	} else {
		ws.incomingTitle.SetText(fmt.Sprintf("Chat requests (%d waiting)", len(rs)))
		ws.noRequests.Hide()
	}
	ws.updateAccept()
	if ws.d.modeBar != nil {
		ws.d.modeBar.update()
	}
	if changed {
		ws.d.emitDetail(evIncoming, fmt.Sprint(len(rs)))
	}
}

func (ws *workspace) updateAccept() {
	if len(ws.requests) == 0 || ws.sess == nil || ws.accepting {
		ws.acceptBtn.SetText("Accept next")
		ws.acceptBtn.Disable()
		return
	}
	r := ws.requests[0]
	if r.Detailed {
		ws.acceptBtn.SetText("Accept " + r.VisitorName)
	} else {
		ws.acceptBtn.SetText("Accept next")
	}
	ws.acceptBtn.Enable()
}

// notify announces new requests on the desktop.
func (ws *workspace) notify(fresh int) {
	title := "New chat request"
	if fresh > 1 {
		title = fmt.Sprintf("%d new chat requests", fresh)
	}
	body := "A visitor is waiting in lpdesk's agent workspace."
	if n := len(ws.requests); n > 0 && ws.requests[n-1].Detailed {
		r := ws.requests[n-1]
		body = requestSummary(r)
	}
	ws.d.app.SendNotification(fyne.NewNotification(title, body))
}

// requestSummary is one line about a request: who, for what, what they said.
func requestSummary(r agent.Request) string {
	s := r.VisitorName
	if s == "" {
		s = "A visitor"
	}
	if r.Skill != "" {
		s += " (" + r.Skill + ")"
	}
	if r.FirstLine != "" {
		s += ": " + r.FirstLine
	}
	return s
}

// tick moves the waiting times on.
func (ws *workspace) tick() {
	if len(ws.requests) > 0 && !ws.d.closed {
		ws.incoming.Refresh()
	}
}

func newRequestRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	wait := widget.NewLabel("")
	skill := widget.NewLabel("")
	skill.SizeName = theme.SizeNameCaptionText
	skill.Truncation = fyne.TextTruncateEllipsis
	first := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	first.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(container.NewBorder(nil, nil, nil, wait, name), skill, first)
}

func (ws *workspace) updateRequestRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(ws.requests) {
		return
	}
	r := ws.requests[i]
	box := o.(*fyne.Container)
	head := box.Objects[0].(*fyne.Container)
	name, wait := head.Objects[0].(*widget.Label), head.Objects[1].(*widget.Label)
	skill, first := box.Objects[1].(*widget.Label), box.Objects[2].(*widget.Label)
	who := r.VisitorName
	if !r.Detailed {
		who = fmt.Sprintf("Chat request %d", i+1)
	}
	name.SetText(who)
	wait.SetText(waited(time.Since(r.Since)))
	what := r.Skill
	switch {
	case !r.Detailed:
		what = "Who and why show once accepted"
	case what == "":
		what = "Any skill"
	}
	if r.Transferred {
		what += " · transferred"
	}
	skill.SetText(what)
	first.SetText(r.FirstLine)
	if r.FirstLine == "" {
		first.Hide()
	} else {
		first.Show()
	}
}

// waited shows a waiting time as a person reads one: 0:42, 12:05, 1 h 02.
func waited(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d h %02d", s/3600, s/60%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// accept accepts the oldest request.
func (ws *workspace) accept() {
	if ws.sess == nil || ws.accepting || len(ws.requests) == 0 {
		return
	}
	ws.accepting = true
	ws.updateAccept()
	ws.status.Busy("Accepting the chat…")
	sess, gen := ws.sess, ws.gen
	ws.d.bg(func(ctx context.Context) func() {
		c, err := sess.Accept(ctx)
		return func() {
			ws.accepting = false
			if gen != ws.gen {
				return
			}
			ws.updateAccept()
			sess.Poke()
			if errors.Is(err, agent.ErrNoRequest) {
				ws.status.Info(agentProblem("accept the chat", err))
				return
			}
			if err != nil {
				ws.fail("accept the chat", err, ws.accept)
				return
			}
			ws.status.Clear()
			ws.open(c)
		}
	})
}

// open shows an accepted chat in a tab of its own and follows it.
func (ws *workspace) open(c AgentChat) {
	p := newChatPane(ws, c)
	ws.panes = append(ws.panes, p)
	ws.tabs.Append(p.tab)
	ws.layoutChats()
	ws.tabs.Select(p.tab)
	// What the chat holds when accepted is read with the chat on show:
	// none of it is unread.
	p.update()
	p.follow(ws.sessCtx)
	ws.d.win.Canvas().Focus(p.box)
	ws.d.emitDetail(evChatOpened, p.key)
}

func (ws *workspace) layoutChats() {
	if len(ws.panes) == 0 {
		ws.tabs.Hide()
		ws.noChats.Show()
		return
	}
	ws.noChats.Hide()
	ws.tabs.Show()
}

func (ws *workspace) paneOf(item *container.TabItem) *chatPane {
	for _, p := range ws.panes {
		if p.tab == item {
			return p
		}
	}
	return nil
}

func (ws *workspace) selected() *chatPane {
	if ws == nil || ws.tabs == nil {
		return nil
	}
	return ws.paneOf(ws.tabs.Selected())
}

func (ws *workspace) tabSelected(item *container.TabItem) {
	if p := ws.paneOf(item); p != nil {
		p.markRead()
		ws.d.win.Canvas().Focus(p.box)
	}
}

// closeTab closes an ended chat's tab, or asks to end a chat in progress.
func (ws *workspace) closeTab(item *container.TabItem) {
	p := ws.paneOf(item)
	if p == nil {
		ws.tabs.Remove(item)
		return
	}
	if p.inProgress() {
		ws.d.confirm("End the chat?", fmt.Sprintf("The chat with %s is in progress. End it and close its tab?", p.visitor),
			"End chat", func() { p.end(true) })
		return
	}
	ws.closePane(p)
}

func (ws *workspace) closePane(p *chatPane) {
	p.close()
	ws.tabs.Remove(p.tab)
	for i, q := range ws.panes {
		if q == p {
			ws.panes = append(ws.panes[:i], ws.panes[i+1:]...)
			break
		}
	}
	ws.layoutChats()
}

// sendSelected sends the message of the chat on show (Ctrl+Enter).
func (ws *workspace) sendSelected() {
	if p := ws.selected(); p != nil {
		p.send()
	}
}

// fail shows what went wrong; a lost session turns into the banner.
func (ws *workspace) fail(action string, err error, retry func()) {
	if errors.Is(err, context.Canceled) {
		return
	}
	if errors.Is(err, agent.ErrSessionLost) {
		ws.sessionLost(err)
		return
	}
	msg := agentProblem(action, err)
	ws.status.Fail(msg, retry)
	ws.d.emitDetail(evAgentFailed, msg)
}

// sessionLost says the platform no longer has the session and offers a new
// one. The chats stay on screen with what was typed in them.
func (ws *workspace) sessionLost(err error) {
	if ws.sess == nil {
		return
	}
	ws.halt()
	ws.startBtn.Hide() // the banner's button says it better
	ws.status.Clear()
	ws.lostMsg.SetText(agentProblem("continue", err) + " Your open chats stay on screen, with anything you typed, but can no longer be answered from here.")
	ws.lost.Show()
	for _, p := range ws.panes {
		p.sessionOver("The agent session was lost: this chat can no longer be answered from here.")
	}
	ws.d.emit(evSessionLost)
}

// halt stops the session's polls and forgets it.
func (ws *workspace) halt() {
	if ws.stop != nil {
		ws.stop()
	}
	ws.sess = nil
	ws.gen++
	ws.who.SetText("No agent session")
	ws.endBtn.Hide()
	ws.startBtn.Show()
	ws.avail.Disable()
	ws.showAvailability(agent.Offline)
	ws.setRequests(nil)
}

func (ws *workspace) inProgress() int {
	n := 0
	for _, p := range ws.panes {
		if p.inProgress() {
			n++
		}
	}
	return n
}

// confirmEnd ends the session, asking first when chats are in progress.
func (ws *workspace) confirmEnd() {
	if n := ws.inProgress(); n > 0 {
		ws.d.confirm("End the agent session?", fmt.Sprintf("%s in progress. Ending the session returns %s to the queue for another agent.",
			plural(n, "chat is", "chats are"), plural(n, "it", "them")), "End session", ws.end)
		return
	}
	ws.end()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func (ws *workspace) end() {
	if ws.sess == nil {
		return
	}
	sess := ws.sess
	ws.endBtn.Disable()
	ws.status.Busy("Ending the agent session…")
	ws.d.bg(func(ctx context.Context) func() {
		err := sess.End(ctx)
		return func() {
			ws.endBtn.Enable()
			if err != nil && !errors.Is(err, agent.ErrSessionLost) {
				ws.fail("end the agent session", err, ws.end)
				return
			}
			ws.halt()
			ws.status.Info("The agent session has ended. Start a session to take chats again.")
			for _, p := range ws.panes {
				p.sessionOver("The agent session has ended.")
			}
			ws.d.emit(evSessionEnded)
		}
	})
}

// quitQuestion is what to ask before quitting with chats in progress ("" when
// there are none).
func (ws *workspace) quitQuestion() string {
	if ws == nil || ws.sess == nil {
		return ""
	}
	if n := ws.inProgress(); n > 0 {
		return fmt.Sprintf("%s in progress. Quitting ends your agent session and returns %s to the queue.",
			plural(n, "chat is", "chats are"), plural(n, "it", "them"))
	}
	return ""
}

// shutdown stops the polls and logs the agent out in the background, so
// the platform does not keep ringing an agent who has gone (it returns
// held chats to the queue). The channel closes when the logout is done.
func (ws *workspace) shutdown() <-chan struct{} {
	sess := ws.sess
	if ws.stop != nil {
		ws.stop()
	}
	for _, p := range ws.panes {
		p.close()
	}
	ws.sess = nil
	ws.gen++
	done := make(chan struct{})
	if sess == nil {
		close(done)
		return done
	}
	go func() {
		defer close(done)
		ctx, cancel := context.WithTimeout(context.Background(), logoutTimeout)
		defer cancel()
		_ = sess.End(ctx)
	}()
	return done
}

// logoutTimeout bounds the logout when the window closes.
const logoutTimeout = 3 * time.Second

// awaitLogout waits for the agent's logout to finish, once the window is
// gone (Run, after the UI loop): quitting must not leave the agent
// ringing on the platform.
func (d *desk) awaitLogout() {
	if d.loggingOut != nil {
		select {
		case <-d.loggingOut:
		case <-time.After(logoutTimeout + time.Second):
		}
	}
}
