// Package onboarding authorizes lpdesk for an account and takes that
// authorization away again, without any UI: the CLI (`lpdesk auth …`) and
// the desktop wizard drive the same steps.
//
// Two install paths end in the same stored profile (store.Save: the token
// secret in the OS keyring, the rest in the profile file):
//
//   - the three-legged OAuth 1.0a flow (Begin → AuthorizeURL → a verifier
//     from the loopback callback or typed in → Exchange → Finish), and
//   - the LivePerson verification code `token;tokenSecret` from the admin
//     console (InstallCode).
//
// Both prove the token with one signed GET of the account's base resource
// before anything is saved, and both check that the keyring answers before
// the admin is asked to approve anything.
//
// Revoke tells the provider (POST {server}/oauth/revoke) and forgets the
// profile; SignOut only forgets it. OpenClient turns a stored profile into an
// apiclient.Client; a token revoked on the server shows up on use as an
// error matching apiclient.ErrAccessRevoked, which AccessRevoked turns into
// a message that sends the admin back to `lpdesk auth login`.
//
// Secrets (consumer secret, request-token secret, verifier, access-token
// secret) never appear in an error, a log line or a URL this package builds.
package onboarding

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/store"
)

// Defaults for Options' zero fields.
const (
	// DefaultHTTPTimeout bounds each HTTP call of a flow.
	DefaultHTTPTimeout = 30 * time.Second
	// DefaultFlowTimeout is how long a flow waits for the admin: the
	// lifetime of a request token on the platform (10 minutes).
	DefaultFlowTimeout = 10 * time.Minute
)

var (
	// ErrBadVerifier: the provider refused the verifier; the request token
	// is still alive, so Exchange may be called again with another one.
	ErrBadVerifier = errors.New("the verification code was not accepted; check it and try again")
	// ErrNotApproved: Exchange was called before the admin approved the
	// request; approve it in the browser, then try again.
	ErrNotApproved = errors.New("the authorization request has not been approved yet; approve it in the browser first")
	// ErrRequestTokenExpired: the request token is unknown, used or expired
	// (they last 10 minutes); the flow must start again.
	ErrRequestTokenExpired = errors.New("the authorization request expired or was already used; start again")
	// ErrDenied: the provider answered the exchange with a denial
	// (oauth_problem=permission_denied). A denial on the loopback callback
	// is only a Notice: anyone on this computer could have sent it.
	ErrDenied = errors.New("authorization was denied on the provider's page")
	// ErrFlowClosed: the flow was closed (cancelled, timed out or finished).
	ErrFlowClosed = errors.New("the authorization flow is closed")
)

// Endpoints are the provider's OAuth 1.0a URLs.
type Endpoints struct {
	RequestToken, Authorize, AccessToken, Revoke string
}

// DefaultEndpoints returns {server}/oauth/request_token, /oauth/authorize,
// /oauth/access_token and /oauth/revoke.
func DefaultEndpoints(server string) Endpoints {
	s := strings.TrimSuffix(server, "/")
	return Endpoints{
		RequestToken: s + "/oauth/request_token",
		Authorize:    s + "/oauth/authorize",
		AccessToken:  s + "/oauth/access_token",
		Revoke:       s + "/oauth/revoke",
	}
}

// Options configure an install (Begin or InstallCode).
type Options struct {
	// Store receives the profile; required.
	Store *store.Store
	// Server is the provider's root URL, e.g. https://sandbox.example;
	// required.
	Server string
	// AccountID is the account to authorize for; required.
	AccountID string
	// Profile names the stored profile; default AccountID. An existing
	// profile of that name is replaced.
	Profile string
	// BaseURL is the account's base resource; default what
	// apiclient.Discover answers for Server and AccountID, which also
	// fills Services. Given, no discovery is made and every request goes
	// to BaseURL unless Services says otherwise.
	BaseURL string
	// Services are the base URLs of the account's services by Domain API
	// name, recorded in the profile (store.Profile.Services).
	Services map[string]string
	// Endpoints override DefaultEndpoints(Server) field by field.
	Endpoints Endpoints
	// OOB asks the provider to show the verifier instead of redirecting to
	// a loopback callback (no listener is opened).
	OOB bool
	// ConsumerKey and ConsumerSecret sign the flow; default
	// assets.Consumer().
	ConsumerKey, ConsumerSecret string
	// Auth, Placement, Format and FormatBy are stored in the profile as the
	// client's options; unset means the apiclient defaults.
	Auth      apiclient.Auth
	Placement apiclient.Placement
	Format    wire.Format
	FormatBy  apiclient.FormatBy
	// HTTPTimeout bounds each HTTP call (default DefaultHTTPTimeout).
	HTTPTimeout time.Duration
	// FlowTimeout bounds the wait for the admin; the loopback listener
	// closes after it (default DefaultFlowTimeout).
	FlowTimeout time.Duration
	// Transport carries the flow's HTTP calls (default
	// apiclient.NewTransport(): TLS 1.2 minimum, certificates verified). A
	// transport that skips certificate verification is refused.
	Transport http.RoundTripper
	// AllowInsecureHTTP permits plain http to a server (and endpoints and
	// base URL) that is not loopback. The token exchange then carries the
	// token secret in clear text, so callers must warn every time
	// (apiclient.InsecureWarning). The saved profile records it
	// (store.Profile.InsecureHTTP).
	AllowInsecureHTTP bool
}

// defaultTransport carries the OAuth calls when Options.Transport is nil.
var defaultTransport = apiclient.NewTransport()

func (o Options) transport() http.RoundTripper {
	if o.Transport != nil {
		return o.Transport
	}
	return defaultTransport
}

// resolve validates o and fills in defaults, except BaseURL (which needs the
// network).
func (o Options) resolve() (Options, error) {
	if o.Store == nil {
		return o, errors.New("onboarding: no store")
	}
	o.Server = strings.TrimSuffix(strings.TrimSpace(o.Server), "/")
	if err := checkURL("server", o.Server, o.AllowInsecureHTTP); err != nil {
		return o, err
	}
	if o.AccountID == "" || strings.ContainsAny(o.AccountID, "/?#% \t\r\n") {
		return o, fmt.Errorf("invalid account id %q", o.AccountID)
	}
	if o.Profile == "" {
		o.Profile = o.AccountID
	}
	if !store.ValidName(o.Profile) {
		return o, fmt.Errorf("invalid profile name %q: use 1-64 letters, digits, '.', '_' or '-'", o.Profile)
	}
	def := DefaultEndpoints(o.Server)
	for _, e := range []struct {
		v *string
		d string
	}{
		{&o.Endpoints.RequestToken, def.RequestToken}, {&o.Endpoints.Authorize, def.Authorize},
		{&o.Endpoints.AccessToken, def.AccessToken}, {&o.Endpoints.Revoke, def.Revoke},
	} {
		if *e.v == "" {
			*e.v = e.d
		}
	}
	for _, e := range []struct{ name, u string }{{"request token URL", o.Endpoints.RequestToken},
		{"authorize URL", o.Endpoints.Authorize}, {"access token URL", o.Endpoints.AccessToken}, {"base URL", o.BaseURL}} {
		if e.u != "" {
			if err := checkURL(e.name, e.u, o.AllowInsecureHTTP); err != nil {
				return o, err
			}
		}
	}
	if o.ConsumerKey == "" || o.ConsumerSecret == "" {
		o.ConsumerKey, o.ConsumerSecret = assets.Consumer()
	}
	if o.HTTPTimeout <= 0 {
		o.HTTPTimeout = DefaultHTTPTimeout
	}
	if o.FlowTimeout <= 0 {
		o.FlowTimeout = DefaultFlowTimeout
	}
	if o.Transport != nil {
		var err error
		if o.Transport, err = apiclient.SecureTransport(o.Transport); err != nil {
			return o, err
		}
	}
	return o, nil
}

// checkURL accepts https URLs, and http ones only on a loopback host (the
// local sandbox) unless allowInsecure: the access-token answer carries the
// token secret in its body, which must not cross a network in clear text.
// The refusal wraps apiclient.ErrInsecureHTTP.
func checkURL(name, raw string, allowInsecure bool) error {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q is not an absolute http(s) URL", name, raw)
	}
	if apiclient.InsecureURL(u) && !allowInsecure {
		return fmt.Errorf("%s %q: %w", name, raw, apiclient.ErrInsecureHTTP)
	}
	return nil
}

// checkKeyring fails fast, before any admin action, when the secret could
// not be stored afterwards.
func (o Options) checkKeyring() error {
	if err := o.Store.CheckKeyring(); err != nil {
		return fmt.Errorf("the token secret could not be stored: %w", err)
	}
	return nil
}

// resolveBaseURL fills BaseURL by discovery when the caller gave none.
func (o *Options) resolveBaseURL(ctx context.Context) error {
	if o.BaseURL != "" {
		o.BaseURL = strings.TrimSuffix(o.BaseURL, "/")
		return nil
	}
	d, err := apiclient.DiscoverWith(ctx, &http.Client{Timeout: o.HTTPTimeout, Transport: o.transport()}, o.Server, o.AccountID,
		apiclient.DiscoverOptions{AllowInsecureHTTP: o.AllowInsecureHTTP})
	if err != nil {
		return fmt.Errorf("find account %s on %s: %w", o.AccountID, o.Server, err)
	}
	o.BaseURL = d.Account
	if len(d.Services) > 0 {
		o.Services = make(map[string]string, len(d.Services))
		for s, base := range d.Services {
			o.Services[string(s)] = base
		}
	}
	return nil
}

// complete proves the access token with a signed GET of the account base
// resource and saves the profile: nothing is stored for a token that does
// not work.
func (o Options) complete(ctx context.Context, token, secret string) (store.Profile, error) {
	p := store.Profile{
		Name: o.Profile, Server: o.Server, BaseURL: o.BaseURL, Services: o.Services, AccountID: o.AccountID,
		ConsumerKey: o.ConsumerKey, Token: token,
		Auth: o.Auth, Placement: o.Placement, Format: o.Format, FormatBy: o.FormatBy,
		InsecureHTTP: o.AllowInsecureHTTP,
	}
	c, err := newClient(p, o.ConsumerSecret, secret, ClientOptions{Timeout: o.HTTPTimeout, Transport: o.Transport})
	if err != nil {
		return store.Profile{}, err
	}
	if _, err := c.Get(ctx, "", nil); err != nil {
		return store.Profile{}, fmt.Errorf("the new access token does not work for account %s (GET %s): %w",
			o.AccountID, o.BaseURL, err)
	}
	p.CreatedAt = time.Now().UTC().Truncate(time.Second)
	if err := o.Store.Save(p, secret); err != nil {
		return store.Profile{}, err
	}
	return p, nil
}

// redact replaces every non-empty secret in s, for messages built from a
// provider's answer, which may quote what was sent.
func redact(s string, secrets ...string) string {
	for _, v := range secrets {
		if v != "" {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	return s
}
