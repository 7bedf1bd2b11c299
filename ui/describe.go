package ui

import (
	"context"
	"errors"
)

// describe turns an error into a sentence with what to do next.
func describe(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "Cancelled."
	case errors.Is(err, ErrNetwork):
		return "Could not reach the server: " + err.Error() + ". Check the address and the connection, then retry."
	case errors.Is(err, ErrAccessRevoked):
		return "The server no longer accepts lpdesk's access token for this account: access was revoked."
	}
	return err.Error()
}
