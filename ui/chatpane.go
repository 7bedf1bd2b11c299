package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/agent"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// typingIdle is how long after the last keystroke the agent stops
// "typing" for the visitor.
const typingIdle = 5 * time.Second

// chatPane is one accepted chat: the transcript, the visitor's typing and
// information, the message box and the chat's actions.
type chatPane struct {
	ws   *workspace
	chat AgentChat
	key  string
	tab  *container.TabItem

	title     *widget.Label
	sub       *widget.Label
	typing    *widget.Label
	lines     *fyne.Container
	scroll    *container.Scroll
	info      *widget.Form
	box       *xwidget.MessageBox
	sendBtn   *widget.Button
	transfer  *widget.Button
	endBtn    *widget.Button
	status    *xwidget.Status
	over      *widget.Label
	xfer      *transferDialog
	followErr bool // the status shows a failed read, which the next good read clears

	visitor   string
	shown     int // events on screen
	unread    int
	ending    agent.Ending
	endedByMe bool
	closedBy  string // why the session no longer serves the chat, when it does not
	sending   bool
	infoSeen  []agent.Field

	cancel context.CancelFunc
	post   *coalescer
	errMu  sync.Mutex
	// readErr is the last read's error (nil once reads work again).
	readErr error

	typingOn    bool
	typingTimer *time.Timer
	typingMu    sync.Mutex // orders the typing PUTs
	typingSeq   int        // the latest wanted state's number (UI goroutine)
	typingSent  int        // the number last sent (under typingMu)
}

func newChatPane(ws *workspace, c AgentChat) *chatPane {
	p := &chatPane{ws: ws, chat: c, key: c.Key(), visitor: "visitor"}
	p.post = newCoalescer(ws.d.do, p.update)
	p.title = heading("")
	p.title.Truncation = fyne.TextTruncateEllipsis
	p.sub = widget.NewLabel("")
	p.sub.Truncation = fyne.TextTruncateEllipsis
	p.typing = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	p.lines = container.NewVBox()
	p.scroll = container.NewVScroll(p.lines)
	p.info = widget.NewForm()
	p.box = xwidget.NewMessageBox(ws.d.keys(), "Type a message — Enter sends, Shift+Enter starts a new line")
	p.box.OnSend = func(string) { p.send() }
	p.box.OnChanged = p.typed
	p.sendBtn = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), p.send)
	p.sendBtn.Importance = widget.HighImportance
	p.transfer = widget.NewButtonWithIcon("Transfer…", theme.MailForwardIcon(), p.showTransfer)
	p.endBtn = widget.NewButtonWithIcon("End chat", theme.CancelIcon(), func() { p.confirmEnd() })
	p.status = xwidget.NewStatus()
	p.over = para("")
	p.over.Importance = widget.WarningImportance
	p.over.Hide()

	head := container.NewBorder(nil, nil, nil, container.NewCenter(container.NewHBox(p.transfer, p.endBtn)), container.NewVBox(p.title, p.sub))
	composer := container.NewBorder(nil, nil, nil, container.NewVBox(p.sendBtn), p.box)
	bottom := container.NewVBox(p.typing, p.over, p.status, composer)
	infoTitle := widget.NewLabelWithStyle("Visitor", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	side := container.New(fixedWidth{w: 230}, container.NewBorder(infoTitle, nil, nil, nil, container.NewVScroll(p.info)))
	body := container.NewBorder(nil, nil, nil, side, p.scroll)
	p.tab = container.NewTabItem("Chat", container.NewBorder(head, bottom, nil, nil, body))
	return p
}

// follow reads the chat in the background until it is over or ctx ends.
func (p *chatPane) follow(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	p.cancel = cancel
	go func() {
		_ = p.chat.Follow(ctx, func(err error) {
			p.errMu.Lock()
			p.readErr = err
			p.errMu.Unlock()
			p.post.post()
		})
		p.post.post()
	}()
}

// close stops reading the chat and the typing timer.
func (p *chatPane) close() {
	if p.cancel != nil {
		p.cancel()
	}
	if p.typingTimer != nil {
		p.typingTimer.Stop()
	}
}

// visible says whether the agent is looking at this chat.
func (p *chatPane) visible() bool {
	d := p.ws.d
	return d.view == viewAgent && !d.background && p.ws.tabs.Selected() == p.tab
}

func (p *chatPane) inProgress() bool { return p.ending == agent.Open && p.closedBy == "" }

// update shows what the chat holds now: new lines, typing, information,
// and its end.
func (p *chatPane) update() {
	if p.ws.d.closed {
		return
	}
	tr := p.chat.Snapshot()
	if tr.Info.VisitorName != "" {
		p.visitor = tr.Info.VisitorName
	}
	added := false
	// Follow the conversation unless the agent scrolled up to read.
	stick := p.scroll.Offset.Y >= p.lines.MinSize().Height-p.scroll.Size().Height-theme.Padding()*4
	for _, ev := range tr.Events[min(p.shown, len(tr.Events)):] {
		if o := p.render(ev); o != nil {
			p.lines.Add(o)
			added = true
			if ev.Line && ev.Source == agent.FromVisitor && !p.visible() {
				p.unread++
			}
		}
	}
	p.shown = len(tr.Events)
	if added && stick {
		p.scrollDown()
	}
	p.title.SetText(p.visitor)
	p.sub.SetText(p.describe(tr.Info))
	if tr.Info.VisitorTyping && p.inProgress() && tr.Ending == agent.Open {
		p.typing.SetText(p.visitor + " is typing…")
	} else {
		p.typing.SetText("")
	}
	p.showInfo(tr.Info)
	if tr.Ending != agent.Open && p.ending == agent.Open {
		p.ending = tr.Ending
		p.ended()
	}
	p.showFollowError()
	p.updateTitle()
	p.updateActions()
	p.ws.d.emitDetail(evChatChanged, p.key)
}

// scrollDown shows the newest line: now, and again once the new lines have
// been laid out (a wrapped line only knows its height then).
func (p *chatPane) scrollDown() {
	p.scroll.ScrollToBottom()
	d := p.ws.d
	time.AfterFunc(100*time.Millisecond, func() {
		d.do(func() {
			if !d.closed {
				p.scroll.ScrollToBottom()
			}
		})
	})
}

// describe is the line under the visitor's name.
func (p *chatPane) describe(in agent.Info) string {
	var parts []string
	if in.Skill != "" {
		parts = append(parts, in.Skill)
	}
	if !in.Started.IsZero() {
		parts = append(parts, "started "+in.Started.Local().Format("15:04"))
	}
	if in.State != "" {
		parts = append(parts, in.State)
	}
	return strings.Join(parts, " · ")
}

// infoFields are the chat information shown, in order, with their labels.
var infoFields = []struct{ name, label string }{
	{"visitorName", "Name"}, {"skillName", "Skill"}, {"state", "State"}, {"startTime", "Started"},
	{"visitorId", "Visitor ID"}, {"language", "Language"}, {"engagementId", "Engagement"}, {"campaignId", "Campaign"},
	{"participantId", "Participant"}, {"sharkVisitorId", "LE visitor"}, {"chatSessionKey", "Chat key"},
}

func (p *chatPane) showInfo(in agent.Info) {
	var fields []agent.Field
	byName := map[string]string{}
	for _, f := range in.Fields {
		byName[f.Name] = f.Value
	}
	for _, f := range infoFields {
		v := byName[f.name]
		if v == "" {
			continue
		}
		if f.name == "startTime" && !in.Started.IsZero() {
			v = in.Started.Local().Format("2006-01-02 15:04")
		}
		fields = append(fields, agent.Field{Name: f.label, Value: v})
	}
	if slices.Equal(fields, p.infoSeen) {
		return
	}
	p.infoSeen = fields
	p.info.Items = nil
	for _, f := range fields {
		v := widget.NewLabel(f.Value)
		v.Wrapping = fyne.TextWrapBreak
		v.SizeName = theme.SizeNameCaptionText
		p.info.Append(f.Name, v)
	}
	p.info.Refresh()
}

// render is one event as the transcript shows it; nil for one not shown.
func (p *chatPane) render(ev agent.Event) fyne.CanvasObject {
	at := ev.Time.Local().Format("15:04")
	if !ev.Line {
		// Only the end is news: waiting and chatting are what the
		// system lines already say.
		if ev.State != "ended" {
			return nil
		}
		return systemLine(at, "The chat ended.")
	}
	if ev.Source == agent.FromSystem {
		return systemLine(at, ev.Text)
	}
	who := ev.By
	if who == "" {
		who = p.visitor
	}
	color := theme.ColorNameForeground
	if ev.Source == agent.FromVisitor {
		color = theme.ColorNamePrimary
	}
	// The author and time head the line; the last segment of the head is
	// a block, which ends the row, and the text follows below.
	caption := func(text string, color fyne.ThemeColorName) *widget.TextSegment {
		return &widget.TextSegment{Text: text, Style: widget.RichTextStyle{Inline: true, ColorName: color, SizeName: theme.SizeNameCaptionText}}
	}
	segs := []widget.RichTextSegment{
		&widget.TextSegment{Text: who + "  ", Style: widget.RichTextStyle{Inline: true, ColorName: color, TextStyle: fyne.TextStyle{Bold: true}}},
		caption(at, theme.ColorNamePlaceHolder),
	}
	if ev.AgentsOnly {
		segs = append(segs, caption("  · only agents see this", theme.ColorNameWarning))
	}
	segs[len(segs)-1].(*widget.TextSegment).Style.Inline = false
	segs = append(segs, &widget.TextSegment{Text: ev.Text, Style: widget.RichTextStyleParagraph})
	rt := widget.NewRichText(segs...)
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// systemLine is a line from the platform: small, centred, out of the way.
func systemLine(at, text string) fyne.CanvasObject {
	rt := widget.NewRichText(&widget.TextSegment{Text: at + " · " + text, Style: widget.RichTextStyle{
		Alignment: fyne.TextAlignCenter, ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText,
		TextStyle: fyne.TextStyle{Italic: true}}})
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// markRead clears the unread count (the agent is looking).
func (p *chatPane) markRead() {
	if p.unread != 0 {
		p.unread = 0
		p.updateTitle()
	}
}

func (p *chatPane) updateTitle() {
	t := p.visitor
	switch {
	case p.unread > 0:
		t = fmt.Sprintf("%s (%d)", t, p.unread)
	case !p.inProgress():
		t += " — closed"
	}
	if p.tab.Text != t {
		p.tab.Text = t
		p.ws.tabs.Refresh()
	}
}

func (p *chatPane) updateActions() {
	live := p.inProgress()
	for _, b := range []*widget.Button{p.transfer, p.endBtn} {
		if live {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if live && !p.sending {
		p.sendBtn.Enable()
		p.box.Enable()
	} else {
		p.sendBtn.Disable()
		if !live {
			// Disabled keeps the text: nothing typed is lost. A disabled
			// entry that keeps the focus swallows every shortcut but
			// Copy (Fyne's desktop driver), Ctrl+Q included: let go of it.
			p.box.Disable()
			if c := p.ws.d.win.Canvas(); c.Focused() == p.box {
				c.Unfocus()
			}
		}
	}
}

// ended says how the chat ended for this agent.
func (p *chatPane) ended() {
	var msg string
	switch p.ending {
	case agent.Ended:
		msg = p.visitor + " ended the chat."
		if p.endedByMe {
			msg = "You ended the chat."
		}
	case agent.Transferred:
		return // transferred() said where
	case agent.Gone:
		msg = "This chat is no longer yours: it was transferred or returned to the queue elsewhere."
	default:
		return
	}
	p.showOver(msg)
}

func (p *chatPane) showOver(msg string) {
	p.over.SetText(msg + " Close the tab when you are done with it.")
	p.over.Show()
	p.stopTyping()
	p.updateTitle()
	p.updateActions()
	p.ws.d.emitDetail(evChatOver, p.key)
}

// sessionOver marks the chat as out of reach with the session.
func (p *chatPane) sessionOver(why string) {
	if !p.inProgress() {
		return
	}
	p.closedBy = why
	p.close()
	p.over.SetText(why)
	p.over.Show()
	p.updateTitle()
	p.updateActions()
}

// showFollowError says when reading the chat fails, and stops saying it
// once reads work again.
func (p *chatPane) showFollowError() {
	p.errMu.Lock()
	err := p.readErr
	p.errMu.Unlock()
	switch {
	case err == nil && p.followErr:
		p.followErr = false
		p.status.Clear()
	case errors.Is(err, agent.ErrSessionLost):
		p.ws.sessionLost(err)
	case err != nil && !errors.Is(err, agent.ErrChatGone) && !p.sending:
		p.followErr = true
		p.status.Info(agentProblem("read the chat", err) + " Trying again shortly.")
	}
}

// send sends the message box's text; the text stays until the platform
// has the line, and stays on any failure.
func (p *chatPane) send() {
	text := p.box.Text
	if strings.TrimSpace(text) == "" || p.sending || !p.inProgress() {
		return
	}
	p.sending = true
	p.updateActions()
	p.status.Busy("Sending…")
	c := p.chat
	p.ws.d.bg(func(ctx context.Context) func() {
		err := c.Send(ctx, text)
		return func() {
			p.sending = false
			p.updateActions()
			if err != nil {
				p.fail("send your message", err, p.send)
				return
			}
			p.status.Clear()
			p.followErr = false
			// Keep whatever was typed meanwhile.
			rest := strings.TrimPrefix(p.box.Text, text)
			if rest == p.box.Text {
				rest = ""
			}
			p.box.SetText(strings.TrimLeft(rest, "\n"))
			p.typingOn = false
			p.ws.d.emitDetail(evLineSent, p.key)
		}
	})
}

// fail shows a failed action. The message box keeps its text.
func (p *chatPane) fail(action string, err error, retry func()) {
	switch {
	case errors.Is(err, context.Canceled):
		p.status.Clear()
	case errors.Is(err, agent.ErrSessionLost):
		p.status.Fail(agentProblem(action, err)+" Your text is kept.", nil)
		p.ws.sessionLost(err)
	case errors.Is(err, agent.ErrChatGone):
		p.status.Fail(agentProblem(action, err), nil)
		p.ending = agent.Gone
		p.ended()
	default:
		msg := agentProblem(action, err)
		if p.box.Text != "" {
			msg += " Your text is kept."
		}
		p.status.Fail(msg, retry)
		p.ws.d.emitDetail(evAgentFailed, msg)
	}
}

// typed tells the visitor the agent is typing while there is text and
// keys come, and stops after a pause.
func (p *chatPane) typed(s string) {
	if !p.inProgress() {
		return
	}
	on := strings.TrimSpace(s) != ""
	if p.typingTimer != nil {
		p.typingTimer.Stop()
	}
	if on {
		d := p.ws.d
		p.typingTimer = time.AfterFunc(typingIdle, func() { d.do(p.stopTyping) })
	}
	p.setTyping(on)
}

func (p *chatPane) stopTyping() {
	if p.typingTimer != nil {
		p.typingTimer.Stop()
	}
	if p.inProgress() {
		p.setTyping(false)
	}
}

// setTyping sends the agent's typing state when it changes. The PUTs go
// out one at a time and a stale one is skipped, so the last state wins.
func (p *chatPane) setTyping(on bool) {
	if p.typingOn == on {
		return
	}
	p.typingOn = on
	p.typingSeq++
	seq, c := p.typingSeq, p.chat
	p.ws.d.bg(func(ctx context.Context) func() {
		p.typingMu.Lock()
		defer p.typingMu.Unlock()
		if seq < p.typingSent {
			return nil
		}
		p.typingSent = seq
		// A failed typing state is not worth an error on screen: the
		// next line or keystroke sends it again, and a real problem
		// shows on the next read.
		_ = c.SetTyping(ctx, on)
		return nil
	})
}

// confirmEnd asks before ending the chat.
func (p *chatPane) confirmEnd() {
	p.ws.d.confirm("End the chat?", fmt.Sprintf("End the chat with %s? The visitor is told the chat has ended.", p.visitor),
		"End chat", func() { p.end(false) })
}

// end ends the chat; closeTab also closes its tab once it has ended.
func (p *chatPane) end(closeTab bool) {
	if !p.inProgress() {
		return
	}
	p.endBtn.Disable()
	p.status.Busy("Ending the chat…")
	// Said before asking: the chat's reader may see the end first.
	p.endedByMe = true
	c := p.chat
	p.ws.d.bg(func(ctx context.Context) func() {
		err := c.End(ctx)
		return func() {
			if err != nil {
				p.endedByMe = false
				p.updateActions()
				p.fail("end the chat", err, func() { p.end(closeTab) })
				return
			}
			p.status.Clear()
			if closeTab {
				p.ws.closePane(p)
			}
		}
	})
}
