package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

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
	Apps          []*appRecord    `json:"apps,omitempty"`
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
	df.Apps = st.Apps
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
	st.Apps = df.Apps
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
