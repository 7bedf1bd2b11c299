package onboarding

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/lpdesk/lpdesk/store"
)

// ErrBadCode reports a verification code that is not `token;tokenSecret`.
// Its messages never repeat the code, which holds the secret.
var ErrBadCode = errors.New("the verification code must look like TOKEN;TOKENSECRET, as the admin console shows it")

// ParseCode splits a LivePerson verification code `token;tokenSecret`.
// Surrounding spaces and newlines (as pasted) are trimmed, also around the
// ';'. Anything else is an error wrapping ErrBadCode that does not echo the
// input.
func ParseCode(s string) (token, secret string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", fmt.Errorf("empty code: %w", ErrBadCode)
	}
	parts := strings.Split(s, ";")
	if len(parts) != 2 {
		return "", "", fmt.Errorf("found %d ';'-separated parts, want 2: %w", len(parts), ErrBadCode)
	}
	token, secret = strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
	if token == "" || secret == "" {
		return "", "", fmt.Errorf("the token or the secret is empty: %w", ErrBadCode)
	}
	for _, part := range []string{token, secret} {
		if strings.IndexFunc(part, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return "", "", fmt.Errorf("the code contains spaces or control characters inside: %w", ErrBadCode)
		}
	}
	return token, secret, nil
}

// InstallCode installs with a verification code from the admin console: it
// parses the code, checks the keyring answers, resolves the account base
// URL, proves the token with a signed GET and saves the profile.
// opts.OOB, Endpoints and FlowTimeout are not used.
func InstallCode(ctx context.Context, opts Options, code string) (store.Profile, error) {
	token, secret, err := ParseCode(code)
	if err != nil {
		return store.Profile{}, err
	}
	// The code is the four values' token pair, as the console shows it.
	return InstallTokens(ctx, opts, token, secret)
}
