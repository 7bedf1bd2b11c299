package agent

import (
	"html"
	"regexp"
	"strings"
	"time"
)

// Source is who an event comes from.
type Source string

// The documented sources.
const (
	FromVisitor Source = "visitor"
	FromAgent   Source = "agent"
	FromSystem  Source = "system"
)

// Event is one event of a chat: a line, or a change of the chat's state.
type Event struct {
	ID   int
	Time time.Time
	// Line is true for a line; otherwise State names the chat's new state
	// (waiting, chatting, ended).
	Line  bool
	State string
	// Text is the line as plain text: an HTML line's markup is reduced to
	// its text.
	Text   string
	By     string // the author's name as the platform gives it
	Source Source
	// AgentsOnly lines (subType ONLY_TO_REP) are not shown to the visitor.
	AgentsOnly bool
	// SystemMessage is the documented system message id, 0 for none.
	SystemMessage int
}

var (
	breakTags = regexp.MustCompile(`(?i)<br\s*/?>|</p>|</div>`)
	tags      = regexp.MustCompile(`<[^>]*>`)
)

// plainText reduces an HTML line to what a person reads.
func plainText(s string) string {
	s = breakTags.ReplaceAllString(s, "\n")
	s = tags.ReplaceAllString(s, "")
	return strings.TrimSpace(html.UnescapeString(s))
}

func parseEvent(n node) Event {
	ev := Event{ID: n.get("@id").num(), Time: parseTime(n.get("time").str())}
	switch n.get("@type").str() {
	case "state":
		ev.State = n.get("state").str()
		return ev
	}
	ev.Line = true
	ev.Text = n.get("text").str()
	if n.get("textType").str() == "html" {
		ev.Text = plainText(ev.Text)
	}
	ev.By = n.get("by").str()
	ev.Source = Source(n.get("source").str())
	ev.AgentsOnly = n.get("subType").str() == "ONLY_TO_REP"
	ev.SystemMessage = n.get("systemMessageId").num()
	return ev
}
