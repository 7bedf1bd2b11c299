package onboarding

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/store"
)

// LoginCommand is the command that authorizes p again. Secrets are never
// part of it: the application's secret or key is named as a file to give.
func LoginCommand(p store.Profile) string {
	var b strings.Builder
	b.WriteString("lpdesk auth login")
	if !p.Generic() {
		fmt.Fprintf(&b, " --server %s --account %s", p.Server, p.AccountID)
	} else {
		provider := p.Provider
		if provider == "" {
			provider = CustomProvider
		}
		fmt.Fprintf(&b, " --provider %s", provider)
		preset, err := LookupPreset(provider)
		if err != nil || preset.ID == CustomProvider || preset.NeedsAsk(AskBaseURL) {
			fmt.Fprintf(&b, " --base-url %s", p.BaseURL)
		}
		if err == nil && preset.NeedsAsk(AskAccountID) {
			fmt.Fprintf(&b, " --account %s", p.AccountID)
		}
		if err != nil || preset.ID == CustomProvider {
			e := p.Endpoints
			fmt.Fprintf(&b, " --request-token-url %s --authorize-url %s --access-token-url %s", e.RequestToken, e.Authorize, e.AccessToken)
		}
	}
	if p.AppCredentials {
		fmt.Fprintf(&b, " --app-key %s", p.ConsumerKey)
		if p.SignatureMethod.IsRSA() {
			b.WriteString(" --app-private-key PEMFILE")
		} else {
			b.WriteString(" --app-secret-file FILE")
		}
		if p.SignatureMethod != "" {
			fmt.Fprintf(&b, " --signature-method %s", p.SignatureMethod)
		}
	}
	fmt.Fprintf(&b, " --profile %s", p.Name)
	return b.String()
}

// RevokedMessage is what to tell the admin when the provider no longer
// accepts p's token.
func RevokedMessage(p store.Profile) string {
	if p.Generic() {
		return fmt.Sprintf("access to %s (profile %s) was revoked; run `%s` again", p.Server, p.Name, LoginCommand(p))
	}
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
