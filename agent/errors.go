package agent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"

	"github.com/lpdesk/lpdesk/apiclient"
)

// Kinds of failure a caller must tell apart: each calls for a different
// remedy. Match them with errors.Is on any error this package returns.
var (
	// ErrSessionLost: the agent session is gone on the platform (logged
	// out, expired, or the access token no longer works): start a new one.
	ErrSessionLost = errors.New("the agent session was lost")
	// ErrChatGone: the chat is no longer this session's (transferred,
	// taken back by the queue): stop following it.
	ErrChatGone = errors.New("the chat is no longer held by this session")
	// ErrNoRequest: Accept found no chat request ringing (a colleague
	// took it, or the visitor left): carry on watching.
	ErrNoRequest = errors.New("no chat request is waiting")
	// ErrNetwork: the platform could not be reached or the connection
	// dropped: try again.
	ErrNetwork = errors.New("the platform could not be reached")
	// ErrPlatform: the platform refused the request (its answer says why).
	ErrPlatform = errors.New("the platform refused the request")
)

// Error is a failed operation: what was attempted, its kind (one of the
// Err… values above) and the cause, an *apiclient.APIError for a refusal.
type Error struct {
	Op   string
	Kind error
	Err  error
}

func (e *Error) Error() string { return e.Op + ": " + e.Err.Error() }

// Unwrap gives the kind and the cause: errors.Is finds either, and
// errors.As finds the *apiclient.APIError of a refusal.
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }

// scope is what an operation addresses, which decides what a 404 means.
type scope int

const (
	onAccount scope = iota // agentSession itself: a 404 is the platform's
	onSession              // the session's resources: a 404 or 401 loses it
	onChat                 // a chat's resources: a 404 may be the chat or the session
)

// classify wraps err from operation op into an *Error of its kind. A
// cancelled context passes through unchanged: nobody needs telling.
func classify(op string, sc scope, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var ae *apiclient.APIError
	if errors.As(err, &ae) {
		kind := ErrPlatform
		switch {
		case sc == onAccount:
		case ae.Status == http.StatusUnauthorized:
			kind = ErrSessionLost
		case ae.Status == http.StatusNotFound && sc == onSession:
			kind = ErrSessionLost
		case ae.Status == http.StatusNotFound && sc == onChat:
			kind = ErrChatGone
		}
		return &Error{Op: op, Kind: kind, Err: err}
	}
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Op: op, Kind: ErrNetwork, Err: err}
	}
	return &Error{Op: op, Kind: ErrPlatform, Err: err}
}

// malformed is an answer this package cannot read.
func malformed(op string, format string, a ...any) error {
	return &Error{Op: op, Kind: ErrPlatform, Err: fmt.Errorf(format, a...)}
}
