package apiclient

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// ErrAccessRevoked matches (errors.Is) an *APIError saying the access token
// is unknown or revoked: the user must authorize the application again, as
// opposed to fixing a signature or a clock.
var ErrAccessRevoked = errors.New("access token revoked or unknown")

// ErrBodyTooLarge is wrapped by the error returned when a response body
// exceeds Config.MaxBodySize.
var ErrBodyTooLarge = errors.New("response body too large")

// APIError is a non-2xx answer. Message, Reason and InternalCode come from
// the platform's error body (JSON or XML); when the body is not one, Message
// describes the status and content type instead.
type APIError struct {
	Status       int
	Message      string
	Reason       string
	InternalCode int
	Body         []byte
	// Signed is what lpdesk sent (as Response.Signed): on a 401 its
	// BaseString is the one to compare with the provider's.
	Signed *Signed
}

// Error renders one line: status, message, reason, internal code. The reason
// is kept whole because for a bad signature it names the base string the
// server computed, which is what a user needs to see why.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "api: %d", e.Status)
	if t := http.StatusText(e.Status); t != "" && !strings.HasPrefix(e.Message, t) {
		b.WriteString(" " + t)
	}
	if e.Message != "" {
		b.WriteString(": " + oneLine(e.Message))
	}
	if e.Reason != "" {
		b.WriteString(" (" + oneLine(e.Reason) + ")")
	}
	if e.InternalCode != 0 {
		fmt.Fprintf(&b, " [internalCode %d]", e.InternalCode)
	}
	return b.String()
}

// AccessRevoked reports a 401 whose internal code says the token is unknown
// or revoked.
func (e *APIError) AccessRevoked() bool {
	return e.Status == http.StatusUnauthorized && e.InternalCode == wire.CodeTokenRevoked
}

// BadSignature reports a 401 whose internal code says the signature did not
// verify; Reason then holds the server's base string.
func (e *APIError) BadSignature() bool {
	return e.Status == http.StatusUnauthorized && e.InternalCode == wire.CodeBadSignature
}

// PreconditionFailed reports a 412: the resource changed since its ETag was
// read (another client updated it), so the If-Match no longer matches. Read
// it again, reapply the edit and send it with the new ETag.
func (e *APIError) PreconditionFailed() bool {
	return e.Status == http.StatusPreconditionFailed || e.InternalCode == wire.CodePreconditionFailed
}

// Is lets errors.Is(err, ErrAccessRevoked) find a revoked-token answer.
func (e *APIError) Is(target error) bool {
	return target == ErrAccessRevoked && e.AccessRevoked()
}

func newAPIError(r *Response) *APIError {
	e := &APIError{Status: r.Status, Body: r.Body, Signed: r.Signed}
	if we, ok := wire.ParseError(r.Body); ok {
		e.Message, e.Reason, e.InternalCode = we.Message, we.Reason, we.InternalCode
		return e
	}
	ct := r.ContentType
	if ct == "" {
		ct = "no content type"
	}
	text := http.StatusText(r.Status)
	if text == "" {
		text = fmt.Sprintf("HTTP %d", r.Status)
	}
	if len(r.Body) == 0 {
		e.Message = text + " (empty body)"
	} else {
		e.Message = fmt.Sprintf("%s (%s, %d bytes)", text, ct, len(r.Body))
	}
	return e
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
