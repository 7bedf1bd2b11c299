package sandbox

import (
	"fmt"
	"time"
)

// accessToken is an installed application's token credentials.
type accessToken struct {
	Token       string    `json:"token"`
	Secret      string    `json:"secret"`
	ConsumerKey string    `json:"consumerKey"`
	Created     time.Time `json:"created"`
	// How the token came to be: "oauth" (three-legged) or "console".
	Via      string    `json:"via"`
	LastUsed time.Time `json:"lastUsed,omitzero"`
}

// requestToken is a temporary credential of the three-legged flow.
type requestToken struct {
	Token       string    `json:"token"`
	Secret      string    `json:"secret"`
	ConsumerKey string    `json:"consumerKey"`
	Callback    string    `json:"callback"`
	Created     time.Time `json:"created"`
	Verifier    string    `json:"verifier,omitempty"`
}

// state is everything the sandbox remembers, guarded by Server.mu.
type state struct {
	AllowUnsigned bool
	AccessTokens  map[string]*accessToken
	RequestTokens map[string]*requestToken // change through addRequestToken and deleteRequestToken
	Skills        *collection[*skill]
	Users         *collection[*user]
	Chats         map[string]*chat
	NextChat      int
	NextRTSession int
	Sessions      map[string]*agentSession
	// Conversations are authenticated visitors' chats reserved by
	// conversation.json and not started yet, by chat key.
	Conversations map[string]*conversation
	Outbox        []*outboxItem
	// Visits hold the engagement attributes reported per monitored
	// visit (visitor and session).
	Visits map[string]*visit
	// Apps are the applications registered in the console (the
	// configured ones are not kept: they come with every start).
	Apps []*appRecord

	pending *pendingTokens // RequestTokens by consumer and age
}

func newState() *state {
	return &state{
		AccessTokens:  map[string]*accessToken{},
		RequestTokens: map[string]*requestToken{},
		Skills:        newCollection[*skill](),
		Users:         newCollection[*user](),
		Chats:         map[string]*chat{},
		Sessions:      map[string]*agentSession{},
		Conversations: map[string]*conversation{},
		Visits:        map[string]*visit{},
		NextChat:      1,
		pending:       newPendingTokens(),
	}
}

// errUnchanged, returned by an update's function, means "nothing changed,
// nothing to write", and update returns nil for it.
var errUnchanged = &apiError{}

// update runs fn on the locked state. Unless fn refuses (or reports
// errUnchanged), the change is marked and, once the lock is released,
// written to the data file; a failed write is logged by persist and the
// change stays in memory.
func (s *Server) update(fn func(st *state) *apiError) *apiError {
	s.mu.Lock()
	e := fn(s.st)
	changed := e == nil
	if e == errUnchanged {
		e = nil
	}
	if changed {
		s.gen++
	}
	s.mu.Unlock()
	if changed {
		_ = s.persist()
	}
	return e
}

// view runs fn on the locked state without marking a change.
func (s *Server) view(fn func(st *state) *apiError) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(s.st)
}

// viewed is view for a function that computes a value under the lock.
func viewed[T any](s *Server, fn func(st *state) (T, *apiError)) (T, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(s.st)
}

// updated is update for a function that also computes a value under the
// lock.
func updated[T any](s *Server, fn func(st *state) (T, *apiError)) (T, *apiError) {
	var v T
	e := s.update(func(st *state) *apiError {
		var e *apiError
		v, e = fn(st)
		return e
	})
	return v, e
}

// persist writes the current state if it changed since the last write.
// Each call snapshots the state as it is when it gets the write lock, so a
// later write never loses an earlier change.
func (s *Server) persist() error {
	if s.cfg.DataFile == "" {
		return nil
	}
	s.persistMu.Lock()
	defer s.persistMu.Unlock()
	s.mu.Lock()
	gen := s.gen
	if gen == s.savedGen {
		s.mu.Unlock()
		return nil
	}
	data, err := s.st.snapshot()
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("snapshot state: %w", err)
	}
	if err := writeAtomic(s.cfg.DataFile, data); err != nil {
		s.log.Error("sandbox: persisting state failed", "file", s.cfg.DataFile, "err", err)
		return err
	}
	s.mu.Lock()
	if gen > s.savedGen {
		s.savedGen = gen
	}
	s.mu.Unlock()
	return nil
}
