package agent

import (
	"context"
	"errors"
	"net/http"
	"path"
	"slices"
	"sort"
	"sync"
	"time"
)

// Chat is one chat the agent accepted. It keeps the events read so far and
// the chat's latest information; Refresh (or Follow) reads what was added
// since by the chat's "next" link. Its methods are safe for concurrent use.
type Chat struct {
	s    *Session
	url  string
	poke chan struct{}

	mu     sync.Mutex
	next   string // where the next read starts: the chat's "next" link
	events []Event
	info   Info
	end    Ending
	typing bool // the agent typing state last sent
}

// Info is the chat's information (Retrieve Chat Information).
type Info struct {
	Key           string // chatSessionKey
	State         string // waiting, chatting or ended
	VisitorName   string
	VisitorTyping bool
	AgentName     string
	Skill         string
	SkillID       int
	Started       time.Time
	// Fields are every value the platform gave, by name, for showing the
	// visitor's information.
	Fields []Field
}

// Field is one named value of the chat's information.
type Field struct{ Name, Value string }

// Ending says why a chat is over for this agent.
type Ending int

const (
	Open        Ending = iota // still chatting (or not yet read)
	Ended                     // the visitor or the agent ended it
	Transferred               // the agent transferred it away
	Gone                      // the platform no longer gives it to this session
)

// Transcript is a copy of what a chat holds now.
type Transcript struct {
	Events []Event
	Info   Info
	Ending Ending
}

func newChat(s *Session, url string) *Chat {
	return &Chat{s: s, url: url, next: url, poke: make(chan struct{}, 1)}
}

// URL is the chat's address in the agent session.
func (c *Chat) URL() string { return c.url }

// Key is the chat's chatSessionKey (the visitor's chat id too).
func (c *Chat) Key() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.info.Key != "" {
		return c.info.Key
	}
	return path.Base(c.url)
}

// Snapshot copies the chat's events and information.
func (c *Chat) Snapshot() Transcript {
	c.mu.Lock()
	defer c.mu.Unlock()
	info := c.info
	info.Fields = slices.Clone(c.info.Fields)
	return Transcript{Events: slices.Clone(c.events), Info: info, Ending: c.end}
}

// Refresh reads the events added since the last read and the chat's
// information (GET on the chat's next link: Retrieve Chat Resources,
// Events and Information). It reports whether anything changed.
func (c *Chat) Refresh(ctx context.Context) (bool, error) {
	const op = "read the chat"
	c.mu.Lock()
	next, over := c.next, c.end != Open && c.end != Ended
	c.mu.Unlock()
	if over {
		return false, nil
	}
	r, err := send(ctx, c.s.c, http.MethodGet, next, nil)
	if err != nil {
		err = c.s.chatErr(ctx, op, err)
		if errors.Is(err, ErrChatGone) {
			c.mu.Lock()
			changed := c.end == Open
			if changed {
				c.end = Gone
			}
			c.mu.Unlock()
			return changed, err
		}
		return false, err
	}
	doc, err := decode(r.Body)
	if err != nil {
		return false, malformed(op, "%v", err)
	}
	ch := doc.get("chat")
	c.mu.Lock()
	defer c.mu.Unlock()
	changed := false
	last := -1
	if len(c.events) > 0 {
		last = c.events[len(c.events)-1].ID
	}
	var fresh []Event
	for _, n := range ch.path("events", "event").list() {
		if ev := parseEvent(n); ev.ID > last {
			fresh = append(fresh, ev)
		}
	}
	sort.SliceStable(fresh, func(i, j int) bool { return fresh[i].ID < fresh[j].ID })
	if len(fresh) > 0 {
		c.events = append(c.events, fresh...)
		changed = true
	}
	if info := ch.get("info"); info.exists() {
		ni := parseInfo(info)
		if !sameInfo(ni, c.info) {
			changed = true
		}
		c.info = ni
	}
	if l := ch.link("next"); l != "" {
		c.next = l
	} else if l := ch.get("events").link("next"); l != "" {
		c.next = l
	}
	if c.info.State == "ended" && c.end == Open {
		c.end = Ended
		changed = true
	}
	return changed, nil
}

func parseInfo(n node) Info {
	in := Info{Key: n.get("chatSessionKey").str(), State: n.get("state").str(), VisitorName: n.get("visitorName").str(),
		VisitorTyping: n.get("visitorTyping").str() == "typing", AgentName: n.get("agentName").str(),
		Skill: n.get("skillName").str(), SkillID: n.get("skillId").num(), Started: parseTime(n.get("startTime").str())}
	if in.VisitorName == "" {
		in.VisitorName = "visitor"
	}
	vals := n.scalars()
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		in.Fields = append(in.Fields, Field{Name: k, Value: vals[k]})
	}
	return in
}

// sameInfo compares what a person sees change: the rest (duration,
// lastUpdate) moves with every read.
func sameInfo(a, b Info) bool {
	return a.Key == b.Key && a.State == b.State && a.VisitorName == b.VisitorName && a.VisitorTyping == b.VisitorTyping &&
		a.AgentName == b.AgentName && a.Skill == b.Skill
}

// Follow reads the chat until it is over for this agent or ctx ends,
// calling report on Follow's goroutine after each read that changed
// something or whose error differs from the last (nil once reads work
// again). It waits the Chat pace between reads, backing off while they
// fail; a line sent, the end, a transfer or Poke read at once.
func (c *Chat) Follow(ctx context.Context, report func(error)) error {
	failures := 0
	var lastErr error
	for {
		changed, err := c.Refresh(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if changed || (err == nil) != (lastErr == nil) || (err != nil && err.Error() != lastErr.Error()) {
			report(err)
		}
		lastErr = err
		if errors.Is(err, ErrSessionLost) || errors.Is(err, ErrChatGone) {
			return err
		}
		c.mu.Lock()
		over := c.end != Open
		c.mu.Unlock()
		if over {
			return nil
		}
		if err != nil {
			failures++
		} else {
			failures = 0
		}
		if !pause(ctx, c.s.cfg.Chat.Wait(failures), c.poke) {
			return ctx.Err()
		}
	}
}

// Poke makes Follow read now.
func (c *Chat) Poke() { kick(c.poke) }

// chatErr classifies a failed chat request: a 404 is the chat gone, unless
// the session itself is.
func (s *Session) chatErr(ctx context.Context, op string, err error) error {
	err = classify(op, onChat, err)
	if errors.Is(err, ErrChatGone) {
		if lost := s.probe(ctx); lost != nil {
			return lost
		}
	}
	return err
}
