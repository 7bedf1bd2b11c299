package onboarding

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/dghubble/oauth1"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/store"
)

// RevokeResult says what Revoke achieved.
type RevokeResult struct {
	// Profile is the profile that was removed.
	Profile store.Profile
	// ServerRevoked is true when the provider confirmed the revocation (or
	// no longer knew the token).
	ServerRevoked bool
	// Detail explains why the server-side grant may remain when
	// ServerRevoked is false, or notes an already revoked token.
	Detail string
}

// Message is one line for the admin.
func (r RevokeResult) Message() string {
	if r.ServerRevoked {
		m := fmt.Sprintf("revoked lpdesk's access to account %s on %s and removed profile %q from this computer",
			r.Profile.AccountID, r.Profile.Server, r.Profile.Name)
		if r.Detail != "" {
			m += " (" + r.Detail + ")"
		}
		return m
	}
	return fmt.Sprintf("removed profile %q from this computer, but the provider did not revoke the grant (%s): "+
		"revoke lpdesk's access to account %s in the provider's admin console too", r.Profile.Name, r.Detail, r.Profile.AccountID)
}

// Revoke asks the provider to revoke the profile's access token
// (POST {server}/oauth/revoke, signed with that token) and then deletes the
// keyring item and the profile ("" means the default profile). When the
// provider has no revocation endpoint, refuses or cannot be reached, the
// profile is still deleted locally and the result says that the grant must
// also be revoked in the admin console. An error means nothing was deleted
// (keyring unavailable, unknown profile) or the local deletion failed.
func Revoke(ctx context.Context, st *store.Store, name string) (RevokeResult, error) {
	p, err := st.Resolve(name)
	if err != nil {
		return RevokeResult{}, err
	}
	res := RevokeResult{Profile: p}
	secret, err := st.Secret(p.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		res.Detail = "the token secret was already missing from the keyring, so the revocation could not be signed"
	case err != nil:
		return res, fmt.Errorf("revoke: %w", err)
	default:
		res.ServerRevoked, res.Detail = revokeOnServer(ctx, p, secret)
	}
	if err := st.Delete(p.Name); err != nil {
		return res, fmt.Errorf("revoke: %w", err)
	}
	return res, nil
}

func revokeOnServer(ctx context.Context, p store.Profile, secret string) (bool, string) {
	key, csecret := assets.Consumer()
	if p.ConsumerKey != "" && key != p.ConsumerKey {
		return false, fmt.Sprintf("the profile was authorized for application %q but lpdesk signs as %q", p.ConsumerKey, key)
	}
	endpoint := DefaultEndpoints(p.Server).Revoke
	if err := checkURL("revocation URL", endpoint, p.InsecureHTTP); err != nil {
		return false, err.Error()
	}
	cfg := oauth1.NewConfig(key, csecret)
	base := &http.Client{Transport: defaultTransport}
	hc := cfg.Client(context.WithValue(ctx, oauth1.HTTPClient, base), oauth1.NewToken(p.Token, secret))
	hc.Timeout = DefaultHTTPTimeout
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, nil)
	if err != nil {
		return false, fmt.Sprintf("bad revocation URL: %v", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return false, fmt.Sprintf("the provider could not be reached: %s", redact(err.Error(), encodedSecrets(secret, csecret)...))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return true, ""
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed ||
		resp.StatusCode == http.StatusNotImplemented:
		return false, fmt.Sprintf("the provider has no revocation endpoint at %s (%d)", endpoint, resp.StatusCode)
	}
	msg := http.StatusText(resp.StatusCode)
	if we, ok := wire.ParseError(body); ok {
		if resp.StatusCode == http.StatusUnauthorized && we.InternalCode == wire.CodeTokenRevoked {
			return true, "the provider no longer knew the token: it was already revoked"
		}
		msg = we.Message
	}
	return false, fmt.Sprintf("the provider refused: %d %s", resp.StatusCode, redact(msg, encodedSecrets(secret, csecret)...))
}

// SignOut forgets the profile on this computer (keyring item and profile;
// "" means the default profile) and leaves the server-side grant in place:
// the admin can still revoke it in the provider's console.
func SignOut(st *store.Store, name string) (store.Profile, error) {
	p, err := st.Resolve(name)
	if err != nil {
		return store.Profile{}, err
	}
	if err := st.Delete(p.Name); err != nil {
		return p, err
	}
	return p, nil
}
