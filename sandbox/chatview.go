package sandbox

import (
	"fmt"
	"html"
	"strconv"
	"time"
)

// A chat reads differently on each side: the visitor does not see lines
// meant for agents, sees the agent's lines as HTML and is "You" by default;
// the agent sees everything and the visitor is "visitor" by default. The
// links of each side lead to that side's resources.

type side int

const (
	visitorSide side = iota
	agentSide
)

const eventTime = "2006-01-02T15:04:05.000-07:00"

// chatView renders one chat on one side.
type chatView struct {
	side side
	url  string // the chat's URL on this side
	// session is the agent session's URL (agent side only).
	session string
	now     time.Time
}

func visitorName(c *chat, sd side) string {
	switch {
	case c.VisitorNm != "":
		return c.VisitorNm
	case sd == visitorSide:
		return "You"
	}
	return "visitor"
}

func byFor(c *chat, ev chatEvent, sd side) string {
	if ev.Source == fromVisitor {
		return visitorName(c, sd)
	}
	return ev.By
}

func (v chatView) visible(ev chatEvent) bool { return v.side == agentSide || !ev.AgentOnly }

// ltrDiv is how agent lines reach the visitor (SC retrieve-chat-events.md).
func ltrDiv(h string) string {
	return `<div dir="ltr" style="direction: ltr; text-align: left;">` + h + `</div>`
}

func (v chatView) event(c *chat, ev chatEvent) *node {
	n := el("event").attr("id", strconv.Itoa(ev.ID)).attr("type", string(ev.Type))
	n.add(textEl("time", ev.Time.Format(eventTime)))
	if ev.Type == eventState {
		return n.add(textEl("state", string(ev.State)))
	}
	text, tt := ev.Text, ev.TextType
	if v.side == visitorSide && ev.Source == fromAgent && tt != "html" {
		text, tt = ltrDiv(html.EscapeString(text)), "html"
	}
	n.add(textEl("textType", tt), textEl("text", text), textEl("by", byFor(c, ev, v.side)), textEl("source", string(ev.Source)))
	if ev.SystemID != 0 {
		// "a number passed as a string" (SC retrieve-chat-events.md).
		n.add(textEl("systemMessageId", strconv.Itoa(ev.SystemID)))
	}
	sub := ev.SubType
	if sub == "" {
		sub = subRegular
	}
	return n.add(textEl("subType", sub))
}

// next is the id the next poll starts from: one past the last event.
func nextFrom(c *chat, from int) int {
	if n := c.nextEventID(); n > from {
		return n
	}
	return max(from, 0)
}

// events is the events section from the event id from on (inclusive).
func (v chatView) events(c *chat, from int) *node {
	n := el("events", linkEl("self", v.url+"/events"),
		linkEl("next", fmt.Sprintf("%s/events?from=%d", v.url, nextFrom(c, from))))
	for _, ev := range c.Events {
		if ev.ID >= from && v.visible(ev) {
			n.add(v.event(c, ev))
		}
	}
	return n
}

// idEl renders an id as a number when it is one, as the examples do.
func idEl(name, v string) *node {
	if _, err := strconv.ParseInt(v, 10, 64); err == nil {
		return &node{Name: name, Text: v, Kind: kindNumber}
	}
	return textEl(name, v)
}

// info is the chat's information section.
func (v chatView) info(c *chat) *node {
	end := v.now
	if c.State == chatEnded {
		end = c.LastUpdate
	}
	i := v.url + "/info"
	n := el("info",
		linkEl("self", i), linkEl("visitor-name", i+"/visitorName"),
		linkEl("visitor-typing", i+"/visitorTyping"), linkEl("agent-typing", i+"/agentTyping"),
		textEl("state", string(c.State)),
		textEl("chatSessionKey", c.ID),
	)
	if c.Skill != "" {
		n.add(textEl("skillName", c.Skill), numEl("skillId", c.SkillID))
	}
	if c.AgentID != 0 {
		n.add(textEl("agentName", c.Agent), numEl("agentId", c.AgentID))
	}
	n.add(
		textEl("startTime", c.Started.Format(eventTime)),
		numEl("duration", int(max(end.Sub(c.Started), 0)/time.Second)),
		textEl("lastUpdate", c.LastUpdate.Format(eventTime)),
		numEl("chatTimeout", defaultChatTimeout),
		idEl("visitorId", c.VisitorID),
		textEl("agentTyping", typing(c.AgentTyping)),
		textEl("visitorTyping", typing(c.VisitorTyping)),
		textEl("visitorName", visitorName(c, v.side)),
		&node{Name: "rtSessionId", Text: strconv.FormatInt(c.RTSessionID, 10), Kind: kindNumber},
	)
	d := c.Details
	for _, f := range []struct{ name, v string }{
		{"sharkVisitorId", d.SharkVisitorID}, {"sharkSessionId", d.SharkSessionID}, {"sharkContextId", d.SharkContextID},
		{"engagementId", d.EngagementID}, {"campaignId", d.CampaignID}, {"language", d.Language},
		{"participantId", c.ParticipantID},
	} {
		if f.v != "" {
			n.add(textEl(f.name, f.v))
		}
	}
	return n
}

func typing(s string) string {
	if s == "" {
		return "not-typing"
	}
	return s
}

// The info's members read one at a time.
func (v chatView) visitorName(c *chat) *node {
	return textEl("visitorName", visitorName(c, v.side))
}
func (v chatView) visitorTyping(c *chat) *node {
	return textEl("visitorTyping", typing(c.VisitorTyping))
}
func (v chatView) agentTyping(c *chat) *node { return textEl("agentTyping", typing(c.AgentTyping)) }

// survey is the side's survey form with the answers given: the visitor's
// exit survey, the agent's survey.
func (v chatView) survey(c *chat) *node {
	form, given := c.surveyOf(v.side)
	return form.node(*given)
}

// typingOf is the side's own typing status.
func (c *chat) typingOf(sd side) *string {
	if sd == agentSide {
		return &c.AgentTyping
	}
	return &c.VisitorTyping
}

// surveyOf is the side's survey and the answers given to it.
func (c *chat) surveyOf(sd side) (survey, *[]answer) {
	if sd == agentSide {
		return agentSurvey, &c.AgentSurvey
	}
	return exitSurvey, &c.ExitSurvey
}

// chat is the chat resource: its links, events from from on, and info.
func (v chatView) chat(c *chat, from int) *node {
	n := el("chat", linkEl("self", v.url), linkEl("events", v.url+"/events"), linkEl("info", v.url+"/info"),
		linkEl("next", fmt.Sprintf("%s?from=%d", v.url, nextFrom(c, from))))
	if v.side == visitorSide {
		n.add(linkEl("transcript-request", v.url+"/transcriptRequest"),
			linkEl("transcript-with-subject-request", v.url+"/transcriptWithSubjectRequest"),
			linkEl("exit-survey", v.url+"/exitSurvey"))
	} else {
		n.add(linkEl("collaboration-channels", v.url+"/collaborationChannels"),
			linkEl("visit-id", v.session+"/visits/visit/"+visitID(c.ID)),
			linkEl("transfer", v.url+"/transfer"),
			linkEl("transfer-account", v.url+"/transferAccount"),
			linkEl("agent-survey", v.url+"/survey"))
	}
	return n.add(v.events(c, from), v.info(c))
}
