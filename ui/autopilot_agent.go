//go:build lpdesk_testdrivers

package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/lpdesk/lpdesk/agent"
)

// AgentSentMarker starts the line the autopilot prints, in its agent mode
// (LPDESK_TEST_AUTOPILOT=agent), once the agent's line has reached the
// platform: "LPDESK_AGENT_SENT <chat key> <line>". The smoke test then
// checks the visitor received the line and answers as the visitor; the
// autopilot finishes when the answer is on screen.
const AgentSentMarker = "LPDESK_AGENT_SENT"

// agentLine is what the autopilot says to the visitor.
const agentLine = "Hello from the lpdesk autopilot"

// agentAutopilotDriver runs the autopilot in its agent mode.
func agentAutopilotDriver(out io.Writer) driver {
	return func(d *desk) { startAutopilot(d, out, "", 0, true) }
}

// startAgent moves on from the browser to the agent workspace: a session,
// Online, accept the waiting chat, send a line, wait for an answer, end
// the chat.
func (ap *autopilot) startAgent() {
	ap.stage = "agent session"
	ap.d.showAgent()
}

// agentEvent follows the workspace's events in agent mode; it reports
// whether the event was one of them.
func (ap *autopilot) agentEvent(ev event, detail string) bool {
	d := ap.d
	ws := d.ws
	switch {
	case ev == evAgentFailed || ev == evSessionLost:
		ap.finish(fmt.Sprintf("failed: at stage %s: %s %s", ap.stage, ev, detail))
	case ev == evAgentSession && ap.stage == "agent session":
		ap.stage = "online"
		ws.avail.SetSelected(string(agent.Online))
	case ev == evIncoming && ap.stage == "online" && detail != "0":
		ap.stage = "accept"
		ws.accept()
	case ev == evChatOpened && ap.stage == "accept":
		ap.stage = "send"
		p := ws.selected()
		p.box.SetText(agentLine)
		p.send()
	case ev == evLineSent && ap.stage == "send":
		ap.stage = "await visitor"
		fmt.Fprintf(ap.out, "%s %s %s\n", AgentSentMarker, detail, agentLine)
	case ev == evChatChanged && ap.stage == "await visitor":
		if p := ws.selected(); p != nil {
			if ap.answer = visitorAnswer(p.chat.Snapshot()); ap.answer != "" {
				ap.stage = "end chat"
				p.end(false)
			}
		}
	case ev == evChatOver && ap.stage == "end chat":
		p := ws.selected()
		if p == nil || p.ending != agent.Ended {
			ap.finish(fmt.Sprintf("failed: the chat did not end (%s)", detail))
			return true
		}
		ap.finish(fmt.Sprintf("ok: showing %s; chat %s: sent %q, received %q, ended", ap.skill, p.key, agentLine, ap.answer))
	default:
		return false
	}
	return true
}

// visitorAnswer is the visitor's first line after the autopilot's.
func visitorAnswer(tr agent.Transcript) string {
	sent := false
	for _, ev := range tr.Events {
		switch {
		case !ev.Line:
		case ev.Source == agent.FromAgent && strings.Contains(ev.Text, agentLine):
			sent = true
		case sent && ev.Source == agent.FromVisitor:
			return ev.Text
		}
	}
	return ""
}
