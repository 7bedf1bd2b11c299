package sandbox

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// dataFile is the on-disk form of state. Sessions of the console and the
// nonce memory are deliberately not kept.
type dataFile struct {
	Format        int             `json:"format"`
	AllowUnsigned bool            `json:"allowUnsigned"`
	AccessTokens  []*accessToken  `json:"accessTokens"`
	RequestTokens []*requestToken `json:"requestTokens"`
	Skills        []*skill        `json:"skills"`
	Users         []*user         `json:"users"`
	NextSkillID   int             `json:"nextSkillId"`
	NextUserID    int             `json:"nextUserId"`
	Chats         []*chat         `json:"chats"`
	NextChat      int             `json:"nextChat"`
	Sessions      []*agentSession `json:"agentSessions"`
	NextRTSession int             `json:"nextRtSession,omitempty"`
	Conversations []*conversation `json:"conversations,omitempty"`
	Outbox        []*outboxItem   `json:"outbox,omitempty"`
	Visits        []*visit        `json:"visits,omitempty"`
}

const dataFormat = 1

func (st *state) snapshot() ([]byte, error) {
	df := dataFile{Format: dataFormat, AllowUnsigned: st.AllowUnsigned,
		NextSkillID: st.Skills.next, NextUserID: st.Users.next, NextChat: st.NextChat,
		Skills: st.Skills.all(), Users: st.Users.all()}
	for _, t := range sortedValues(st.AccessTokens) {
		df.AccessTokens = append(df.AccessTokens, t)
	}
	for _, t := range sortedValues(st.RequestTokens) {
		df.RequestTokens = append(df.RequestTokens, t)
	}
	df.Chats = sortedValues(st.Chats)
	df.Sessions = sortedValues(st.Sessions)
	df.NextRTSession = st.NextRTSession
	df.Conversations = sortedValues(st.Conversations)
	df.Outbox = st.Outbox
	df.Visits = sortedValues(st.Visits)
	return json.Marshal(df)
}

func sortedValues[V any](m map[string]V) []V {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]V, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

// loadState reads path; ok is false when the file does not exist yet.
func loadState(path string) (st *state, ok bool, err error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read data file: %w", err)
	}
	var df dataFile
	if err := json.Unmarshal(raw, &df); err != nil {
		return nil, false, fmt.Errorf("data file %s is not a sandbox data file: %w", path, err)
	}
	if df.Format != dataFormat {
		return nil, false, fmt.Errorf("data file %s has format %d, this sandbox reads %d", path, df.Format, dataFormat)
	}
	st = newState()
	st.AllowUnsigned = df.AllowUnsigned
	for _, t := range df.AccessTokens {
		st.AccessTokens[t.Token] = t
	}
	for _, t := range df.RequestTokens {
		st.addRequestToken(t)
	}
	for _, sk := range df.Skills {
		st.Skills.add(sk)
	}
	for _, u := range df.Users {
		st.Users.add(u)
	}
	for _, c := range df.Chats {
		st.Chats[c.ID] = c
	}
	for _, a := range df.Sessions {
		st.Sessions[a.ID] = a
	}
	for _, c := range df.Conversations {
		st.Conversations[c.ID] = c
	}
	st.Outbox = df.Outbox
	for _, v := range df.Visits {
		st.Visits[visitKey(v.VisitorID, v.SessionID)] = v
	}
	st.NextRTSession = df.NextRTSession
	st.Skills.next = max(st.Skills.next, df.NextSkillID)
	st.Users.next = max(st.Users.next, df.NextUserID)
	st.NextChat = max(st.NextChat, df.NextChat, 1)
	return st, true, nil
}

// writeAtomic replaces path with data through a temporary file in the same
// directory and a rename, so a crash leaves either the old or the new file.
// The file holds token secrets: mode 0600.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write data file: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("write data file: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write data file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write data file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write data file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write data file: %w", err)
	}
	return nil
}

// changed marks state as modified; the caller holds s.mu and calls
// s.persist after releasing it. Prefer update, which does both.
func (s *Server) changed() { s.gen++ }

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

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// randomSecret returns n random bytes, URL-safe base64 (never ';', which
// separates the verification code's two halves).
func randomSecret(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
