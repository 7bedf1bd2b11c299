package onboarding

import (
	"errors"
	"fmt"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/store"
)

// LoginCommand is the command that authorizes p again.
func LoginCommand(p store.Profile) string {
	return fmt.Sprintf("lpdesk auth login --server %s --account %s --profile %s", p.Server, p.AccountID, p.Name)
}

// RevokedMessage is what to tell the admin when the provider no longer
// accepts p's token.
func RevokedMessage(p store.Profile) string {
	return fmt.Sprintf("access to account %s (profile %s) was revoked; run `%s` again", p.AccountID, p.Name, LoginCommand(p))
}

// AccessRevokedError is an API error saying the profile's token was revoked
// or is unknown. errors.Is(err, apiclient.ErrAccessRevoked) still holds.
type AccessRevokedError struct {
	Profile store.Profile
	Err     error
}

// Error is RevokedMessage for the profile.
func (e *AccessRevokedError) Error() string { return RevokedMessage(e.Profile) }

// Unwrap returns the API error, so errors.Is(err, apiclient.ErrAccessRevoked) holds.
func (e *AccessRevokedError) Unwrap() error { return e.Err }

// AccessRevoked returns an *AccessRevokedError for p when err says the
// token was revoked (errors.Is(err, apiclient.ErrAccessRevoked)), and err
// unchanged otherwise.
func AccessRevoked(p store.Profile, err error) error {
	if err != nil && errors.Is(err, apiclient.ErrAccessRevoked) {
		var already *AccessRevokedError
		if errors.As(err, &already) {
			return err
		}
		return &AccessRevokedError{Profile: p, Err: err}
	}
	return err
}
