package agent

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Config tunes a session. Zero fields take the documented defaults.
type Config struct {
	// Login names the agent to log in as (loginData.userName); empty logs
	// in as the agent the platform associates with the credentials, as
	// Start Agent Session's {"loginData": ""} does.
	Login string
	// Incoming paces the incoming-request poll (default every 2 s, the
	// documentation's minimum, backing off to 30 s while it fails).
	Incoming Pace
	// Chat paces each chat's event poll (default every second, backing
	// off to 30 s).
	Chat Pace
}

// Session is one agent session. Its methods are safe for concurrent use.
type Session struct {
	c   *apiclient.Client
	cfg Config
	url string // the session's absolute URL, from Start's location link

	poke chan struct{} // Poke's: poll the incoming requests now

	mu         sync.Mutex
	me         Agent
	ringSeen   []ringing // the requests the last poll saw
	ringSerial int       // numbers requests the platform does not name
}

// Agent is an agent of the account, as Retrieve Available Agents and
// Retrieve Agent Information describe one.
type Agent struct {
	ID       string
	Name     string // the nickname chats show
	Login    string
	State    Availability
	Chats    int // chats held now
	MaxChats int // -1 for no limit
}

// Start logs an agent in: POST agentSession, then the agent's information
// from the session's info resource.
func Start(ctx context.Context, c *apiclient.Client, cfg Config) (*Session, error) {
	const op = "start the agent session"
	body := []byte(`{"loginData": ""}`)
	if cfg.Login != "" {
		body, _ = json.Marshal(map[string]any{"loginData": map[string]string{"userName": cfg.Login}})
	}
	r, err := send(ctx, c, http.MethodPost, "agentSession", body)
	if err != nil {
		return nil, classify(op, onAccount, err)
	}
	loc, err := created(op, r, "agentSessionLocation", "the session")
	if err != nil {
		return nil, err
	}
	s := &Session{c: c, cfg: cfg, url: loc, poke: make(chan struct{}, 1)}
	s.cfg.Incoming = cfg.Incoming.orDefault(2*time.Second, 30*time.Second)
	s.cfg.Chat = cfg.Chat.orDefault(time.Second, 30*time.Second)
	if err := s.loadInfo(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// URL is the session's address on the platform.
func (s *Session) URL() string { return s.url }

// Me is the logged-in agent.
func (s *Session) Me() Agent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.me
}

func (s *Session) loadInfo(ctx context.Context) error {
	r, err := send(ctx, s.c, http.MethodGet, s.url+"/info", nil)
	if err != nil {
		return classify("read the agent's information", onSession, err)
	}
	doc, err := decode(r.Body)
	if err != nil {
		return malformed("read the agent's information", "%v", err)
	}
	info := doc.get("info")
	me := Agent{ID: info.get("id").str(), Name: info.get("agentName").str(), Login: info.get("loginName").str(),
		MaxChats: info.get("maxChats").num()}
	if me.Name == "" {
		me.Name = me.Login
	}
	me.State, _ = ParseAvailability(info.path("availability", "chat").str())
	s.mu.Lock()
	s.me = me
	s.mu.Unlock()
	return nil
}

// End logs the agent out. The platform returns the chats the agent still
// holds to the queue.
func (s *Session) End(ctx context.Context) error {
	_, err := send(ctx, s.c, http.MethodDelete, s.url, nil)
	return classify("end the agent session", onSession, err)
}

// Availability reads the session's chat state.
func (s *Session) Availability(ctx context.Context) (Availability, error) {
	const op = "read the availability"
	r, err := send(ctx, s.c, http.MethodGet, s.url+"/availability", nil)
	if err != nil {
		return "", classify(op, onSession, err)
	}
	return readAvailability(op, r.Body)
}

// SetAvailability sets the session's chat state and returns the state the
// platform now has.
func (s *Session) SetAvailability(ctx context.Context, a Availability) (Availability, error) {
	const op = "set the availability"
	body, _ := json.Marshal(map[string]any{"availability": map[string]string{"chat": string(a)}})
	r, err := send(ctx, s.c, http.MethodPut, s.url+"/availability", body)
	if err != nil {
		return "", classify(op, onSession, err)
	}
	got := a
	if len(r.Body) > 0 {
		if got, err = readAvailability(op, r.Body); err != nil {
			return "", err
		}
	}
	s.mu.Lock()
	s.me.State = got
	s.mu.Unlock()
	return got, nil
}

func readAvailability(op string, body []byte) (Availability, error) {
	doc, err := decode(body)
	if err != nil {
		return "", malformed(op, "%v", err)
	}
	a, err := ParseAvailability(doc.path("availability", "chat").str())
	if err != nil {
		return "", malformed(op, "%v", err)
	}
	return a, nil
}

// AvailableAgents lists the account's agents with their states
// (Retrieve Available Agents).
func (s *Session) AvailableAgents(ctx context.Context) ([]Agent, error) {
	const op = "list the agents"
	r, err := send(ctx, s.c, http.MethodGet, s.url+"/availableAgents", nil)
	if err != nil {
		return nil, classify(op, onSession, err)
	}
	doc, err := decode(r.Body)
	if err != nil {
		return nil, malformed(op, "%v", err)
	}
	var out []Agent
	for _, a := range doc.path("availableAgents", "agents", "agent").list() {
		ag := Agent{ID: a.get("@id").str(), Name: a.get("nickname").str(), Login: a.get("userName").str(),
			State: stateOfCode(a.get("@chatState").str()), Chats: a.get("chats").num(), MaxChats: a.get("@maxChats").num()}
		if ag.Name == "" {
			ag.Name = ag.Login
		}
		out = append(out, ag)
	}
	return out, nil
}

// stateOfCode reads availableAgents' numeric chat state (the page's
// table: 1 offline, 2 online, 3 occupied, 4 away); a name is taken too.
func stateOfCode(s string) Availability {
	switch s {
	case "2":
		return Online
	case "3":
		return Occupied
	case "4":
		return Away
	case "1", "":
		return Offline
	}
	a, err := ParseAvailability(s)
	if err != nil {
		return Offline
	}
	return a
}

// send makes one JSON request to path (relative to the account, or a
// link's absolute URL), whatever format the profile reads.
func send(ctx context.Context, c *apiclient.Client, method, path string, body []byte) (*apiclient.Response, error) {
	return c.Do(ctx, &apiclient.Request{Method: method, Path: path, Body: body, BodyFormat: wire.JSON, Format: wire.JSON})
}

// created is where the resource a POST made lives: the Location header,
// or else the location link of the answer's member key. Without either
// the answer is malformed (what names the resource in the error).
func created(op string, r *apiclient.Response, key, what string) (string, error) {
	loc := r.Header.Get("Location")
	if doc, derr := decode(r.Body); derr == nil && loc == "" {
		loc = doc.get(key).link("location")
	}
	if loc == "" {
		return "", malformed(op, "the platform answered %d without %s's location", r.Status, what)
	}
	return loc, nil
}
