package agent

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
)

// Request is one chat request ringing the agent.
type Request struct {
	// ID tells requests apart between polls: the chat's key when the
	// platform names it, otherwise a number this session gave it.
	ID string
	// Skill, VisitorName and FirstLine are what the platform says of the
	// request; the documented answer says nothing, lpdesk's sandbox does
	// (Detailed). Accepting the chat reveals them in any case.
	Skill       string
	VisitorName string
	FirstLine   string
	// Since is when the request started waiting: the platform's time, or
	// when this session first saw it ringing.
	Since       time.Time
	Detailed    bool
	Transferred bool // a colleague transferred it
}

// Incoming is what one poll of the incoming requests found.
type Incoming struct {
	// Count is the platform's ringingCount.
	Count int
	// Requests are the ringing requests, oldest first: Accept takes the
	// first. There are Count of them.
	Requests []Request
	// New counts the requests the previous poll had not seen.
	New int
}

// ringing is a request as the session remembers it between polls.
type ringing struct {
	id    string
	since time.Time
}

// eventTime is how the platform writes times (2016-04-25T08:41:03.071-04:00).
const eventTime = "2006-01-02T15:04:05.000-07:00"

func parseTime(s string) time.Time {
	for _, layout := range []string{eventTime, time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// Incoming polls once: GET incomingRequests (Determine Incoming Chat
// Request). Poll no more often than every two seconds; Watch does that.
func (s *Session) Incoming(ctx context.Context) (Incoming, error) {
	const op = "read the incoming chat requests"
	r, err := send(ctx, s.c, http.MethodGet, s.url+"/incomingRequests", nil)
	if err != nil {
		return Incoming{}, classify(op, onSession, err)
	}
	doc, err := decode(r.Body)
	if err != nil {
		return Incoming{}, malformed(op, "%v", err)
	}
	inc := doc.get("incomingRequests")
	count := inc.get("ringingCount").num()
	var described []Request
	for _, q := range inc.get("request").list() {
		described = append(described, Request{ID: q.get("chatSessionKey").str(), Skill: q.get("skillName").str(),
			VisitorName: q.get("visitorName").str(), FirstLine: q.get("firstLine").str(),
			Since: parseTime(q.get("waitingSince").str()), Detailed: true, Transferred: q.get("transferred").str() == "true"})
	}
	return s.remember(count, described, time.Now()), nil
}

// remember matches a poll's requests with the previous poll's. Described
// requests carry their own identity; a bare count is matched by position,
// oldest first: when it grows, the new ones are the last; when it shrinks,
// the oldest were taken (the platform hands out the oldest first).
func (s *Session) remember(count int, described []Request, now time.Time) Incoming {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]time.Time{}
	for _, r := range s.ringSeen {
		seen[r.id] = r.since
	}
	out := Incoming{Count: count}
	if len(described) > 0 {
		out.Requests = described
	} else {
		keep := s.ringSeen
		if len(keep) > count {
			keep = keep[len(keep)-count:]
		}
		for _, r := range keep {
			out.Requests = append(out.Requests, Request{ID: r.id, Since: r.since})
		}
		for len(out.Requests) < count {
			s.ringSerial++
			out.Requests = append(out.Requests, Request{ID: fmt.Sprintf("ringing-%d", s.ringSerial), Since: now})
		}
	}
	s.ringSeen = s.ringSeen[:0]
	for i, r := range out.Requests {
		if since, ok := seen[r.ID]; !ok {
			out.New++
		} else if r.Since.IsZero() {
			out.Requests[i].Since = since
		}
		if out.Requests[i].Since.IsZero() {
			out.Requests[i].Since = now
		}
		s.ringSeen = append(s.ringSeen, ringing{id: r.ID, since: out.Requests[i].Since})
	}
	return out
}

// Watch polls the incoming requests until ctx ends or the session is lost,
// handing each poll's result (or error) to report on Watch's goroutine.
// It waits the Incoming pace between polls, backing off while they fail;
// Poke makes it poll at once. It returns the error that ended it.
func (s *Session) Watch(ctx context.Context, report func(Incoming, error)) error {
	failures := 0
	for {
		inc, err := s.Incoming(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		report(inc, err)
		if errors.Is(err, ErrSessionLost) {
			return err
		}
		if err != nil {
			failures++
		} else {
			failures = 0
		}
		if !pause(ctx, s.cfg.Incoming.Wait(failures), s.poke) {
			return ctx.Err()
		}
	}
}

// Poke makes Watch poll now rather than at its next turn.
func (s *Session) Poke() { kick(s.poke) }

// Accept accepts the oldest chat request ringing the agent (Accept a
// Chat) and returns the chat. When nothing rings any more (a colleague was
// quicker) the error matches ErrNoRequest.
func (s *Session) Accept(ctx context.Context) (*Chat, error) {
	const op = "accept the chat"
	r, err := send(ctx, s.c, http.MethodPost, s.url+"/incomingRequests", []byte(`{}`))
	if err != nil {
		var ae *apiclient.APIError
		if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
			if lost := s.probe(ctx); lost != nil {
				return nil, lost
			}
			return nil, &Error{Op: op, Kind: ErrNoRequest, Err: err}
		}
		return nil, classify(op, onSession, err)
	}
	loc, err := created(op, r, "chatLocation", "the chat")
	if err != nil {
		return nil, err
	}
	s.Poke()
	c := newChat(s, loc)
	// The chat is accepted even when this first read fails: its reader
	// (Follow) tries again.
	_, _ = c.Refresh(ctx)
	return c, nil
}

// probe tells whether the session still exists: nil when it does (or when
// that cannot be known now), an ErrSessionLost error when it is gone.
func (s *Session) probe(ctx context.Context) error {
	_, err := send(ctx, s.c, http.MethodGet, s.url+"/availability", nil)
	if err = classify("check the agent session", onSession, err); errors.Is(err, ErrSessionLost) {
		return err
	}
	return nil
}
