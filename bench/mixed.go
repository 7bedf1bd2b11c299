package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lpdesk/lpdesk/agent"
	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Mixed is the sandbox as a platform under a bounded mixed load: agents on
// the Chat Agent API (start a session, go online, poll incoming requests,
// accept, read each chat by its next link), visitors on the Server Chat API
// (start a chat, post lines, end it, start another) and administrators
// reading skills. Every client has its own apiclient.Client: agents and
// administrators sign with a token of their own, as separate desktops
// would; visitors use the appKey, as a visitor-facing site does.
type Mixed struct {
	Agents, Visitors, Admins int
	Duration                 time.Duration
	// Think is each client's pause between its steps. Zero is a closed
	// loop (as fast as the sandbox answers); the soak uses the pace the
	// documentation gives clients (incoming requests every 2 s, chats
	// every second) so that it runs at a steady, realistic rate.
	Think time.Duration
	// Lines is how many lines a visitor posts before ending the chat.
	Lines int
}

// MixedClients are a mixed load's clients, one per simulated person.
type MixedClients struct {
	Agents, Visitors, Admins []*apiclient.Client
}

// NewMixedClients builds m's clients for t: agents and admins each sign
// with a token of t.Tokens (round-robin; with none, all with t's own),
// visitors each use the appKey. Every client's transport records into rec.
func (m Mixed) NewMixedClients(t Target, rec *RouteRecorder) (*MixedClients, error) {
	mc := &MixedClients{}
	n := 0
	signed := func() (*apiclient.Client, error) {
		tt := t
		if len(t.Tokens) > 0 {
			tok := t.Tokens[n%len(t.Tokens)]
			tt.Credentials.Token, tt.Credentials.TokenSecret = tok.Token, tok.Secret
		}
		n++
		return tt.Client(apiclient.Config{Transport: rec.Wrap(RawTransport(4))})
	}
	for range m.Agents {
		c, err := signed()
		if err != nil {
			return nil, err
		}
		mc.Agents = append(mc.Agents, c)
	}
	for range m.Admins {
		c, err := signed()
		if err != nil {
			return nil, err
		}
		mc.Admins = append(mc.Admins, c)
	}
	for range m.Visitors {
		c, err := t.Client(apiclient.Config{Auth: apiclient.AuthAppKey, Transport: rec.Wrap(RawTransport(4))})
		if err != nil {
			return nil, err
		}
		mc.Visitors = append(mc.Visitors, c)
	}
	return mc, nil
}

// Run drives the clients until Duration has passed (or ctx ends). Errors
// are counted by the recorder, per route; Run returns only set-up failures.
func (m Mixed) Run(ctx context.Context, mc *MixedClients) error {
	ctx, cancel := context.WithTimeout(ctx, m.Duration)
	defer cancel()
	lines := max(m.Lines, 1)
	var wg sync.WaitGroup
	errs := make(chan error, len(mc.Agents))
	pause := func(d time.Duration) bool {
		if d <= 0 {
			return ctx.Err() == nil
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for _, c := range mc.Agents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := runAgent(ctx, c, m.Think, pause); err != nil && ctx.Err() == nil {
				errs <- err
			}
		}()
	}
	for _, c := range mc.Visitors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runVisitor(ctx, c, lines, m.Think, pause)
		}()
	}
	for i, c := range mc.Admins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			paths := []string{"skills", "skills/1", "skills?limit=10&offset=10", "skills/" + fmt.Sprint(2+i%8)}
			for k := 0; ctx.Err() == nil; k++ {
				_, _ = c.Get(ctx, paths[k%len(paths)], nil)
				if !pause(m.Think) {
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// runAgent logs in, goes online and then, in turn, polls the incoming
// requests (accepting one while it holds fewer than four chats) and reads
// each chat it holds; a chat the visitor ended is let go.
func runAgent(ctx context.Context, c *apiclient.Client, think time.Duration, pause func(time.Duration) bool) error {
	s, err := agent.Start(ctx, c, agent.Config{})
	if err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	if _, err := s.SetAvailability(ctx, agent.Online); err != nil {
		return fmt.Errorf("agent online: %w", err)
	}
	var chats []*agent.Chat
	for ctx.Err() == nil {
		inc, err := s.Incoming(ctx)
		if err == nil && inc.Count > 0 && len(chats) < 4 {
			if ch, err := s.Accept(ctx); err == nil {
				chats = append(chats, ch)
			}
		}
		// Incoming every other chat read: the documentation's 2 s and 1 s.
		for range 2 {
			if !pause(think / 2) {
				return nil
			}
			for _, ch := range chats {
				_, _ = ch.Refresh(ctx)
			}
			chats = slices.DeleteFunc(chats, func(ch *agent.Chat) bool { return ch.Snapshot().Ending != agent.Open })
		}
	}
	return nil
}

// runVisitor starts a chat, posts lines, ends it and starts the next.
func runVisitor(ctx context.Context, c *apiclient.Client, lines int, think time.Duration, pause func(time.Duration) bool) {
	var chat string
	posted := 0
	line, _ := json.Marshal(map[string]any{"event": map[string]string{"@type": "line", "text": "Hello, is anyone there? My order has not arrived."}})
	end := []byte(`{"event": {"@type": "state", "state": "ended"}}`)
	start, _ := json.Marshal(map[string]any{"request": map[string]string{"visitorName": "Load Visitor", "question": "Where is my order?"}})
	for ctx.Err() == nil {
		switch {
		case chat == "":
			if r, err := c.Create(ctx, "chat/request", start, wire.JSON); err == nil {
				chat, posted = r.Header.Get("Location"), 0
			}
		case posted < lines:
			_, _ = c.Create(ctx, chat+"/events", line, wire.JSON)
			posted++
		default:
			_, _ = c.Create(ctx, chat+"/events", end, wire.JSON)
			chat = ""
		}
		if !pause(think) {
			return
		}
	}
}

// RouteRecorder counts and times every request per route (method and
// path pattern), through the transport of each client it wraps.
type RouteRecorder struct {
	mu     sync.Mutex
	routes map[string]*RouteStats
	closed bool
}

// RouteStats is one route's tally.
type RouteStats struct {
	Route    string
	Requests int
	// Errors are failures and answers ≥ 400, except Races.
	Errors     int
	FirstError string
	// Races are 404s to Accept a Chat: another agent took the request
	// between the poll and the accept, which the documentation expects.
	Races   int
	Samples Samples
}

// NewRouteRecorder returns an empty recorder.
func NewRouteRecorder() *RouteRecorder { return &RouteRecorder{routes: map[string]*RouteStats{}} }

// Wrap returns base with recording.
func (rr *RouteRecorder) Wrap(base http.RoundTripper) http.RoundTripper {
	return recordingTransport{rr, base}
}

// Stop makes the recorder ignore what arrives from now on (requests cut
// off by the end of the run).
func (rr *RouteRecorder) Stop() {
	rr.mu.Lock()
	rr.closed = true
	rr.mu.Unlock()
}

// Stats returns the routes' tallies, by name.
func (rr *RouteRecorder) Stats() []*RouteStats {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	var out []*RouteStats
	for _, s := range rr.routes {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *RouteStats) int { return strings.Compare(a.Route, b.Route) })
	return out
}

type recordingTransport struct {
	rr   *RouteRecorder
	base http.RoundTripper
}

func (t recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	route := RouteOf(r.Method, r.Header.Get("X-HTTP-Method-Override"), r.URL.Path)
	t0 := time.Now()
	resp, err := t.base.RoundTrip(r)
	if err == nil {
		// The body is part of the answer's time: read it here, keep it.
		resp.Body = &timedBody{ReadCloser: resp.Body, done: func() { t.rr.add(route, time.Since(t0), resp.StatusCode, nil) }}
		return resp, nil
	}
	if r.Context().Err() == nil {
		t.rr.add(route, time.Since(t0), 0, err)
	}
	return resp, err
}

func (rr *RouteRecorder) add(route string, d time.Duration, status int, err error) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if rr.closed {
		return
	}
	s := rr.routes[route]
	if s == nil {
		s = &RouteStats{Route: route}
		rr.routes[route] = s
	}
	s.Requests++
	s.Samples = append(s.Samples, d)
	switch {
	case err != nil:
		s.Errors++
		if s.FirstError == "" {
			s.FirstError = err.Error()
		}
	case status == http.StatusNotFound && route == RouteAccept:
		s.Races++
	case status >= 400:
		s.Errors++
		if s.FirstError == "" {
			s.FirstError = fmt.Sprintf("%s: HTTP %d", route, status)
		}
	}
}

// timedBody reports once, when the body is closed (apiclient reads it to
// the end first).
type timedBody struct {
	io.ReadCloser
	done func()
	once sync.Once
}

func (b *timedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}

// Route names of the mixed load.
const (
	RouteStartSession = "agent: POST agentSession (start)"
	RouteAvailability = "agent: PUT availability"
	RouteIncoming     = "agent: GET incomingRequests (poll)"
	RouteAccept       = "agent: POST incomingRequests (accept)"
	RouteChatEvents   = "agent: GET chat (events since the next link)"
	RouteAgentOther   = "agent: GET other session resources"
	RouteStartChat    = "visitor: POST chat/request (start chat)"
	RouteVisitorEvent = "visitor: POST chat events (line, end)"
	RouteSkills       = "admin: GET skills"
	RouteOther        = "other"
)

// RouteOf names the route of a request the mixed load sends.
func RouteOf(method, override, path string) string {
	if override != "" {
		method = strings.ToUpper(override)
	}
	_, rest, ok := strings.Cut(path, "/api/account/")
	if !ok {
		return RouteOther
	}
	segs := strings.Split(rest, "/")[1:] // after the account id
	switch {
	case len(segs) == 0:
		return RouteOther
	case segs[0] == "agentSession":
		switch {
		case len(segs) == 1 && method == http.MethodPost:
			return RouteStartSession
		case len(segs) == 3 && segs[2] == "availability" && method == http.MethodPut:
			return RouteAvailability
		case len(segs) == 3 && segs[2] == "incomingRequests":
			if method == http.MethodPost {
				return RouteAccept
			}
			return RouteIncoming
		case len(segs) >= 4 && segs[2] == "chat" && method == http.MethodGet:
			return RouteChatEvents
		}
		return RouteAgentOther
	case segs[0] == "chat" && len(segs) == 2 && segs[1] == "request":
		return RouteStartChat
	case segs[0] == "chat" && len(segs) == 3 && segs[2] == "events" && method == http.MethodPost:
		return RouteVisitorEvent
	case strings.HasPrefix(segs[0], "skills"):
		return RouteSkills
	}
	return RouteOther
}
