package onboarding

import (
	"context"
	"errors"
	"strings"

	"github.com/lpdesk/lpdesk/logging"
	"github.com/lpdesk/lpdesk/store"
)

// ErrMissingToken reports a four-values install without the token or its
// secret.
var ErrMissingToken = errors.New("the access token and its secret are both needed")

// InstallTokens is the four-values path: the application's consumer key and
// secret (or private key) in opts, and an access token and its secret the
// provider already handed out (Magento's integration page, X's developer
// portal, the platform's key pages), saved without the three-legged flow.
// It checks that the keyring answers, resolves the account base URL (by
// discovery for the LivePerson-style platform when none is given), proves
// the token with one signed GET of opts.CheckURL (for the platform, of the
// base resource when no CheckURL is set) and saves the profile. Another
// provider without a CheckURL is saved unchecked: the returned profile's
// CheckURL is "" then, and callers say that it was not verified.
// opts.OOB, Endpoints' flow URLs and FlowTimeout are not used.
func InstallTokens(ctx context.Context, opts Options, token, tokenSecret string) (store.Profile, error) {
	token, tokenSecret = strings.TrimSpace(token), strings.TrimSpace(tokenSecret)
	if token == "" || tokenSecret == "" {
		return store.Profile{}, ErrMissingToken
	}
	logging.RegisterSecret(tokenSecret)
	o, err := opts.resolve()
	if err != nil {
		return store.Profile{}, err
	}
	if err := o.checkKeyring(); err != nil {
		return store.Profile{}, err
	}
	if err := o.resolveBaseURL(ctx); err != nil {
		return store.Profile{}, err
	}
	return o.complete(ctx, token, tokenSecret)
}

// Verified reports whether saving p included a signed check of its token:
// always on the LivePerson-style platform, and on other providers when the
// profile has a CheckURL.
func Verified(p store.Profile) bool { return !p.Generic() || p.CheckURL != "" }
