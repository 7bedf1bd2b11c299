package ui

import (
	"context"

	"github.com/lpdesk/lpdesk/agent"
)

// AgentBackend is the Chat Agent API for the agent workspace. NewBackend's
// backend implements it; a Backend without it shows the workspace as
// unavailable. Like Backend's, its calls and those of the sessions and
// chats it returns may block on the network: the window makes them off the
// UI goroutine only.
type AgentBackend interface {
	// StartAgentSession logs the open profile's agent in.
	StartAgentSession(ctx context.Context) (AgentSession, error)
}

// AgentSession is one agent session (agent.Session).
type AgentSession interface {
	Me() agent.Agent
	SetAvailability(ctx context.Context, a agent.Availability) (agent.Availability, error)
	// Watch polls the incoming requests until ctx ends or the session is
	// lost, reporting each poll on its own goroutine.
	Watch(ctx context.Context, report func(agent.Incoming, error)) error
	// Poke makes Watch poll now.
	Poke()
	// Accept takes the oldest ringing request.
	Accept(ctx context.Context) (AgentChat, error)
	End(ctx context.Context) error
}

// AgentChat is one accepted chat (agent.Chat).
type AgentChat interface {
	Key() string
	// Snapshot copies what has been read of the chat.
	Snapshot() agent.Transcript
	// Follow reads the chat until it is over or ctx ends, reporting each
	// change on its own goroutine.
	Follow(ctx context.Context, report func(error)) error
	Send(ctx context.Context, text string) error
	SetTyping(ctx context.Context, typing bool) error
	TransferSkills(ctx context.Context) ([]agent.Skill, error)
	TransferAgents(ctx context.Context) ([]agent.Agent, error)
	Transfer(ctx context.Context, to agent.Target) error
	End(ctx context.Context) error
}
