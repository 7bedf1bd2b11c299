package ui

import (
	"context"

	"github.com/lpdesk/lpdesk/agent"
)

// StartAgentSession starts an agent session with the open profile's client.
func (b *coreBackend) StartAgentSession(ctx context.Context) (AgentSession, error) {
	c, _, err := b.current()
	if err != nil {
		return nil, err
	}
	s, err := agent.Start(ctx, c, b.cfg.Agent)
	if err != nil {
		return nil, err
	}
	return coreAgentSession{s}, nil
}

// coreAgentSession hands out its chats as AgentChats.
type coreAgentSession struct{ *agent.Session }

func (s coreAgentSession) Accept(ctx context.Context) (AgentChat, error) {
	c, err := s.Session.Accept(ctx)
	if err != nil {
		return nil, err
	}
	return c, nil
}
