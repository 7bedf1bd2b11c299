package sandbox

import (
	"errors"
	"fmt"
)

// The demo's conversation: `lpdesk demo` starts with a visitor waiting and a
// colleague online, so the agent workspace has a request to accept and
// somewhere to transfer it. These are in-process shortcuts for what a
// visitor does with Start Chat and a second agent with Start Agent Session
// and Set Agent Availability; the API answers them exactly as if those
// calls had been made.

// VisitorChat is a chat a visitor asks for.
type VisitorChat struct {
	// Skill names the skill (case-sensitive); empty rings every agent.
	Skill string
	// VisitorName is the name agents see; empty leaves "visitor".
	VisitorName string
	// Question is the visitor's first line; empty sends none.
	Question string
}

// StartVisitorChat queues a chat as Start Chat does and returns its
// chatSessionKey: the chat id on both the Server Chat and the Chat Agent
// side.
func (s *Server) StartVisitorChat(v VisitorChat) (string, error) {
	var id string
	e := s.update(func(st *state) *apiError {
		c, e := st.startChat(s.now().UTC(), chatRequest{Skill: v.Skill, VisitorName: v.VisitorName, Question: v.Question})
		if e == nil {
			id = c.ID
		}
		return e
	})
	if e != nil {
		return "", fmt.Errorf("sandbox: start a visitor chat: %w", e)
	}
	return id, nil
}

// ErrNoSuchAgent is returned by StartOnlineAgent for an unknown login.
var ErrNoSuchAgent = errors.New("sandbox: no user with that loginName")

// StartOnlineAgent logs login in as an agent (an agent session of its own)
// and sets it Online, as a colleague at another desk would. It returns the
// session id.
func (s *Server) StartOnlineAgent(login string) (string, error) {
	a := &agentSession{ID: randomHex(8), Chat: agentOnline, Voice: agentOffline, Created: s.now().UTC()}
	e := s.update(func(st *state) *apiError {
		u := st.userByLogin(login)
		if u == nil {
			return errorf(400, 0, "%s", login)
		}
		a.UserID, a.LoginName = u.ID, u.LoginName
		st.Sessions[a.ID] = a
		return nil
	})
	if e != nil {
		return "", fmt.Errorf("%w: %q", ErrNoSuchAgent, login)
	}
	return a.ID, nil
}
