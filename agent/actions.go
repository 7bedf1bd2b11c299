package agent

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// ErrEmptyLine is returned by Send for a line with nothing but spaces.
var ErrEmptyLine = errors.New("the line is empty")

// Send sends a line to the visitor (Send Lines: a plain-text line event).
// Its event arrives with the next read, which it triggers.
func (c *Chat) Send(ctx context.Context, text string) error {
	if strings.TrimSpace(text) == "" {
		return ErrEmptyLine
	}
	body, _ := json.Marshal(map[string]any{"event": map[string]string{"@type": "line", "text": text, "textType": "plain"}})
	if _, err := send(ctx, c.s.c, http.MethodPost, c.url+"/events", body); err != nil {
		return c.s.chatErr(ctx, "send the line", err)
	}
	// The platform clears the agent's typing state with a line.
	c.mu.Lock()
	c.typing = false
	c.mu.Unlock()
	c.Poke()
	return nil
}

// End ends the chat (End Chat: a state event "ended"). The chat stays
// readable; its reader stops once it has read the end.
func (c *Chat) End(ctx context.Context) error {
	body := []byte(`{"event": {"@type": "state", "state": "ended"}}`)
	if _, err := send(ctx, c.s.c, http.MethodPost, c.url+"/events", body); err != nil {
		return c.s.chatErr(ctx, "end the chat", err)
	}
	c.Poke()
	return nil
}

// SetTyping tells the visitor whether the agent is typing (Set Agent's
// Typing Status). It sends only a change.
func (c *Chat) SetTyping(ctx context.Context, typing bool) error {
	c.mu.Lock()
	same := c.typing == typing
	c.mu.Unlock()
	if same {
		return nil
	}
	state := "not-typing"
	if typing {
		state = "typing"
	}
	body, _ := json.Marshal(map[string]string{"agentTyping": state})
	if _, err := send(ctx, c.s.c, http.MethodPut, c.url+"/info/agentTyping", body); err != nil {
		return c.s.chatErr(ctx, "send the typing state", err)
	}
	c.mu.Lock()
	c.typing = typing
	c.mu.Unlock()
	return nil
}

// Skill is a skill a chat can be transferred to.
type Skill struct {
	ID           string
	Name         string
	OnlineAgents int
}

// Target is where Transfer sends a chat: a skill or an agent (by id).
type Target struct {
	SkillID string
	AgentID string
	// Note is for the receiving agent only; the visitor never sees it.
	Note string
}

// TransferSkills lists the skills the chat can go to now (Retrieve
// Available Skills: those with an agent online who is not in the chat).
func (c *Chat) TransferSkills(ctx context.Context) ([]Skill, error) {
	const op = "list the skills to transfer to"
	r, err := send(ctx, c.s.c, http.MethodGet, c.url+"/transfer", nil)
	if err != nil {
		return nil, c.s.chatErr(ctx, op, err)
	}
	doc, err := decode(r.Body)
	if err != nil {
		return nil, malformed(op, "%v", err)
	}
	var out []Skill
	for _, n := range doc.path("transfer", "skill").list() {
		out = append(out, Skill{ID: n.get("id").str(), Name: n.get("name").str(), OnlineAgents: n.get("onlineAgents").num()})
	}
	return out, nil
}

// TransferAgents lists the agents who can receive the chat now: the
// session's colleagues who are Online or Occupied.
func (c *Chat) TransferAgents(ctx context.Context) ([]Agent, error) {
	all, err := c.s.AvailableAgents(ctx)
	if err != nil {
		return nil, err
	}
	me := c.s.Me()
	var out []Agent
	for _, a := range all {
		if (a.State == Online || a.State == Occupied) && a.ID != me.ID {
			out = append(out, a)
		}
	}
	return out, nil
}

// Transfer hands the chat to a skill or an agent (Transfer a Chat). The
// chat then leaves this agent: Snapshot says Transferred and its reader
// stops.
func (c *Chat) Transfer(ctx context.Context, to Target) error {
	const op = "transfer the chat"
	tr := map[string]any{}
	switch {
	case to.AgentID != "":
		tr["agent"] = map[string]string{"id": to.AgentID}
	case to.SkillID != "":
		tr["skill"] = map[string]string{"id": to.SkillID}
	default:
		return &Error{Op: op, Kind: ErrPlatform, Err: errors.New("choose a skill or an agent")}
	}
	if to.Note != "" {
		tr["text"] = to.Note
	}
	body, _ := json.Marshal(map[string]any{"transfer": tr})
	if _, err := send(ctx, c.s.c, http.MethodPost, c.url+"/transfer", body); err != nil {
		return c.s.chatErr(ctx, op, err)
	}
	c.mu.Lock()
	c.end = Transferred
	c.mu.Unlock()
	c.Poke()
	return nil
}
