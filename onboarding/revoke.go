package onboarding

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
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
	p := r.Profile
	if r.ServerRevoked {
		m := fmt.Sprintf("revoked lpdesk's access to account %s on %s and removed profile %q from this computer",
			p.AccountID, p.Server, p.Name)
		if p.Generic() {
			m = fmt.Sprintf("revoked lpdesk's access on %s and removed profile %q from this computer", p.Server, p.Name)
		}
		if r.Detail != "" {
			m += " (" + r.Detail + ")"
		}
		return m
	}
	if p.Generic() {
		return fmt.Sprintf("removed profile %q from this computer, but the provider did not revoke the grant (%s): "+
			"revoke the application's access in your account settings on %s too", p.Name, r.Detail, p.Server)
	}
	return fmt.Sprintf("removed profile %q from this computer, but the provider did not revoke the grant (%s): "+
		"revoke lpdesk's access to account %s in the provider's admin console too", p.Name, r.Detail, p.AccountID)
}

// Revoke asks the provider to revoke the profile's access token
// (POST {server}/oauth/revoke, or the profile's own revocation endpoint,
// signed with that token and the profile's application) and then deletes
// the keyring items (token and application) and the profile ("" means the default profile). When the
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
		res.ServerRevoked, res.Detail = revokeOnServer(ctx, st, p, secret)
	}
	if err := st.Delete(p.Name); err != nil {
		return res, fmt.Errorf("revoke: %w", err)
	}
	return res, nil
}

func revokeOnServer(ctx context.Context, st *store.Store, p store.Profile, secret string) (bool, string) {
	endpoint := p.Endpoints.Revoke
	if endpoint == "" {
		if p.Generic() {
			return false, "lpdesk knows no revocation endpoint for this provider"
		}
		endpoint = DefaultEndpoints(p.Server).Revoke
	}
	if err := checkURL("revocation URL", endpoint, p.InsecureHTTP); err != nil {
		return false, err.Error()
	}
	method := p.SignatureMethod
	if method == "" {
		method = oauthsig.HMACSHA1
	}
	if method.SendsSecrets() && !strings.HasPrefix(strings.ToLower(endpoint), "https://") {
		return false, fmt.Sprintf("revocation URL %q: %v", endpoint, ErrPlaintextOverHTTP)
	}
	app, err := profileApp(st, &p)
	if err != nil {
		return false, err.Error()
	}
	sg := signer{consumerKey: p.ConsumerKey, method: method, key: oauthsig.Key{ConsumerSecret: app.secret, Private: app.private},
		realm: p.Realm, bodyHash: p.BodyHash}
	hidden := append(encodedSecrets(secret, app.secret), pemSecrets(app.pem)...)
	cctx, cancel := context.WithTimeout(ctx, DefaultHTTPTimeout)
	defer cancel()
	ans, err := sg.post(cctx, defaultTransport, endpoint, p.Token, secret)
	if err != nil {
		return false, fmt.Sprintf("the provider could not be reached: %s", redact(err.Error(), hidden...))
	}
	switch {
	case ans.status >= 200 && ans.status < 300:
		return true, ""
	case ans.status == http.StatusNotFound || ans.status == http.StatusMethodNotAllowed ||
		ans.status == http.StatusNotImplemented:
		return false, fmt.Sprintf("the provider has no revocation endpoint at %s (%d)", endpoint, ans.status)
	}
	msg := http.StatusText(ans.status)
	if we, ok := wire.ParseError(ans.body); ok {
		if ans.status == http.StatusUnauthorized && we.InternalCode == wire.CodeTokenRevoked {
			return true, "the provider no longer knew the token: it was already revoked"
		}
		msg = we.Message
	}
	return false, fmt.Sprintf("the provider refused: %d %s", ans.status, redact(msg, hidden...))
}

// SignOut forgets the profile on this computer (keyring items, the
// application's too, and profile;
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
