package ui

import (
	"errors"
	"fmt"

	"github.com/lpdesk/lpdesk/agent"
	"github.com/lpdesk/lpdesk/apiclient"
)

// agentProblem says, for a person, what went wrong when the workspace
// tried to do action ("send your message") and what to do about it.
func agentProblem(action string, err error) string {
	var ae *apiclient.APIError
	switch {
	case errors.Is(err, agent.ErrNetwork):
		return fmt.Sprintf("Could not %s: the platform could not be reached (%s). Check the network connection and try again.", action, rootCause(err))
	case errors.Is(err, agent.ErrSessionLost) && errors.Is(err, apiclient.ErrAccessRevoked):
		return fmt.Sprintf("Could not %s: access to the account was revoked, so the agent session is lost. Set up access again in the resource browser, then start a new session.", action)
	case errors.Is(err, agent.ErrSessionLost):
		return fmt.Sprintf("Could not %s: the platform no longer has this agent session (it was logged out or expired). Start a new session.", action)
	case errors.Is(err, agent.ErrChatGone):
		return fmt.Sprintf("Could not %s: this chat is no longer yours (it was transferred or returned to the queue).", action)
	case errors.Is(err, agent.ErrNoRequest):
		return "That request is no longer waiting: a colleague took it or the visitor left."
	case errors.As(err, &ae):
		msg := fmt.Sprintf("The platform refused to %s: %s", action, ae.Message)
		if ae.Reason != "" {
			msg += " (" + ae.Reason + ")"
		}
		return msg + "."
	}
	return fmt.Sprintf("Could not %s: %v.", action, err)
}

// rootCause is the innermost error's text: the agent and apiclient
// layers each add their context, which the sentence already gives.
func rootCause(err error) string {
	for {
		var next error
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			next = u.Unwrap()
		case interface{ Unwrap() []error }:
			if es := u.Unwrap(); len(es) > 0 {
				next = es[len(es)-1]
			}
		}
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
