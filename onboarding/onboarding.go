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
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/logging"
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
	// assets.Consumer(). Set (ConsumerKey with ConsumerSecret, or with
	// PrivateKeyPEM for the RSA methods), they are the profile's own
	// application: the key is kept in the profile, the secret or PEM key
	// in the keyring only (store.Profile.AppCredentials).
	ConsumerKey, ConsumerSecret string
	// PrivateKeyPEM is the application's RSA private key (PKCS#1 or
	// PKCS#8 PEM) for RSA-SHA1 and RSA-SHA256.
	PrivateKeyPEM []byte
	// Provider is the preset the options come from ("custom" for
	// endpoints typed in, "" for the LivePerson-style platform); recorded
	// in the profile.
	Provider string
	// Dialect is the provider's REST conventions. DialectGeneric (any
	// other OAuth 1.0a provider) needs BaseURL and its own application,
	// makes no discovery and no AccountID; the profile name then defaults
	// to Provider or the base URL's host.
	Dialect apiclient.Dialect
	// SignatureMethod signs the flow and the profile's requests (default
	// HMAC-SHA1). PLAINTEXT is refused unless every URL is https.
	SignatureMethod oauthsig.Method
	// Realm is sent as the Authorization header's realm on every call.
	Realm string
	// BodyHash adds oauth_body_hash to every call with a non-form body
	// (the flow's calls hash the empty body).
	BodyHash bool
	// AuthorizeParams are added to the authorize URL (Trello's scope,
	// expiration and name; Flickr's perms).
	AuthorizeParams url.Values
	// CallbackPort fixes the loopback callback's port, for providers that
	// accept only a registered callback URL (0: any free port).
	CallbackPort int
	// CheckURL is the resource whose signed GET proves a new token before
	// it is saved; "" means the account base resource for the
	// LivePerson-style platform, and no check for other providers.
	CheckURL string
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

	// privateKey is PrivateKeyPEM parsed by resolve.
	privateKey *rsa.PrivateKey
	// appCredentials is true when the options carry the profile's own
	// application.
	appCredentials bool
}

// Generic reports whether the options are for a provider other than the
// LivePerson-style platform.
func (o Options) Generic() bool { return o.Dialect == apiclient.DialectGeneric }

// appSecret is what the keyring keeps for the profile's own application.
func (o Options) appSecret() string {
	if !o.appCredentials {
		return ""
	}
	if o.SignatureMethod.IsRSA() {
		return string(o.PrivateKeyPEM)
	}
	return o.ConsumerSecret
}

// ErrPlaintextOverHTTP refuses PLAINTEXT, whose signature is the secrets
// themselves, on a URL that is not https.
var ErrPlaintextOverHTTP = apiclient.ErrPlaintextOverHTTP

// defaultTransport carries the OAuth calls when Options.Transport is nil.
var defaultTransport = apiclient.NewTransport()

func (o Options) transport() http.RoundTripper {
	if o.Transport != nil {
		return o.Transport
	}
	return defaultTransport
}

// resolve validates o and fills in defaults, except BaseURL for the
// LivePerson-style platform (which needs the network).
func (o Options) resolve() (Options, error) {
	if o.Store == nil {
		return o, errors.New("onboarding: no store")
	}
	if o.Dialect != 0 && o.Dialect != apiclient.DialectLivePerson && o.Dialect != apiclient.DialectGeneric {
		return o, fmt.Errorf("unknown dialect %v", o.Dialect)
	}
	o.BaseURL = strings.TrimSuffix(strings.TrimSpace(o.BaseURL), "/")
	if o.Generic() {
		if o.BaseURL == "" {
			return o, errors.New("another provider needs its API base URL (--base-url), e.g. https://api.example.com")
		}
		if err := checkURL("base URL", o.BaseURL, o.AllowInsecureHTTP); err != nil {
			return o, err
		}
		if o.Server == "" {
			o.Server = origin(o.BaseURL)
		}
	}
	o.Server = strings.TrimSuffix(strings.TrimSpace(o.Server), "/")
	if err := checkURL("server", o.Server, o.AllowInsecureHTTP); err != nil {
		return o, err
	}
	if (!o.Generic() && o.AccountID == "") || strings.ContainsAny(o.AccountID, "/?#% \t\r\n") {
		return o, fmt.Errorf("invalid account id %q", o.AccountID)
	}
	if o.Profile == "" {
		o.Profile = o.defaultProfile()
	}
	if !store.ValidName(o.Profile) {
		return o, fmt.Errorf("invalid profile name %q: use 1-64 letters, digits, '.', '_' or '-'", o.Profile)
	}
	if !o.Generic() {
		// Other providers' endpoints come from a preset or the flags; the
		// platform's are known.
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
	}
	if o.SignatureMethod == "" {
		o.SignatureMethod = oauthsig.HMACSHA1
	}
	m, err := oauthsig.ParseMethod(string(o.SignatureMethod))
	if err != nil {
		return o, err
	}
	o.SignatureMethod = m
	for _, e := range []struct{ name, u string }{{"request token URL", o.Endpoints.RequestToken},
		{"authorize URL", o.Endpoints.Authorize}, {"access token URL", o.Endpoints.AccessToken},
		{"revocation URL", o.Endpoints.Revoke}, {"base URL", o.BaseURL}, {"check URL", o.CheckURL}} {
		if e.u == "" {
			continue
		}
		if err := checkURL(e.name, e.u, o.AllowInsecureHTTP); err != nil {
			return o, err
		}
		if m.SendsSecrets() && !strings.HasPrefix(strings.ToLower(e.u), "https://") {
			return o, fmt.Errorf("%s %q: %w", e.name, e.u, ErrPlaintextOverHTTP)
		}
	}
	if err := o.resolveApp(); err != nil {
		return o, err
	}
	if o.CallbackPort < 0 || o.CallbackPort > 65535 {
		return o, fmt.Errorf("invalid callback port %d", o.CallbackPort)
	}
	if o.CallbackPort != 0 && o.OOB {
		return o, errors.New("a callback port and out-of-band (--oob) exclude each other: --oob opens no listener")
	}
	for k := range o.AuthorizeParams {
		if k == "oauth_token" || k == "" {
			return o, fmt.Errorf("authorize parameter %q is not allowed: lpdesk sets oauth_token itself", k)
		}
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

// resolveApp chooses the application: lpdesk's own (nothing given, the
// platform only) or the profile's, whose secret or key must fit the method.
// No message repeats a secret.
func (o *Options) resolveApp() error {
	given := o.ConsumerKey != "" || o.ConsumerSecret != "" || len(o.PrivateKeyPEM) > 0
	if !given {
		if o.Generic() {
			return errors.New("another provider needs its application's consumer key (--app-key) and secret (--app-secret-file) or private key (--app-private-key)")
		}
		if o.SignatureMethod.IsRSA() {
			return fmt.Errorf("%s: %w", o.SignatureMethod, errNoKey)
		}
		o.ConsumerKey, o.ConsumerSecret = assets.Consumer()
		return nil
	}
	if o.ConsumerKey == "" {
		return errors.New("the application's consumer key is missing (--app-key)")
	}
	if o.SignatureMethod.IsRSA() {
		if len(o.PrivateKeyPEM) == 0 {
			return fmt.Errorf("%s: %w", o.SignatureMethod, errNoKey)
		}
		if o.ConsumerSecret != "" {
			return fmt.Errorf("%s signs with the private key: give no consumer secret", o.SignatureMethod)
		}
		k, err := oauthsig.ParsePrivateKey(o.PrivateKeyPEM)
		if err != nil {
			// ParsePrivateKey's errors name the problem, never the key.
			return fmt.Errorf("the application's private key: %w", err)
		}
		o.privateKey = k
		for _, s := range pemSecrets(string(o.PrivateKeyPEM)) {
			logging.RegisterSecret(s)
		}
	} else {
		if len(o.PrivateKeyPEM) > 0 {
			return fmt.Errorf("%s signs with the consumer secret: a private key needs RSA-SHA1 or RSA-SHA256 (--signature-method)", o.SignatureMethod)
		}
		if o.ConsumerSecret == "" {
			return fmt.Errorf("%s needs the application's consumer secret (--app-secret-file)", o.SignatureMethod)
		}
		logging.RegisterSecret(o.ConsumerSecret)
	}
	o.appCredentials = true
	return nil
}

// defaultProfile names a profile nobody named: the account for the
// platform, the preset for another provider, else the base URL's host.
func (o Options) defaultProfile() string {
	if !o.Generic() {
		return o.AccountID
	}
	if o.Provider != "" && o.Provider != CustomProvider {
		return o.Provider
	}
	host := o.BaseURL
	if u, err := url.Parse(o.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			return r
		}
		return '-'
	}, host)
	name = strings.TrimLeft(name, "._-")
	if len(name) > 64 {
		name = name[:64]
	}
	return name
}

// origin is scheme://host of raw.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Scheme + "://" + u.Host
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
	if o.BaseURL != "" || o.Generic() {
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

// complete proves the access token with one signed GET (of CheckURL, or of
// the account base resource on the LivePerson-style platform) and saves the
// profile: nothing is stored for a token that does not work. Another
// provider without a CheckURL is saved unchecked (Profile.CheckURL "" says
// so).
func (o Options) complete(ctx context.Context, token, secret string) (store.Profile, error) {
	p := o.profile(token)
	if o.CheckURL != "" || !o.Generic() {
		c, err := newClient(p, o.app(), secret, ClientOptions{Timeout: o.HTTPTimeout, Transport: o.Transport})
		if err != nil {
			return store.Profile{}, err
		}
		if _, err := c.Get(ctx, o.CheckURL, nil); err != nil {
			where := o.BaseURL
			if o.CheckURL != "" {
				where = o.CheckURL
			}
			what := "account " + o.AccountID
			if o.Generic() {
				what = o.Server
			}
			return store.Profile{}, fmt.Errorf("the new access token does not work for %s (GET %s): %w", what, where, err)
		}
	}
	p.CreatedAt = time.Now().UTC().Truncate(time.Second)
	if err := o.Store.SaveWithApp(p, secret, o.appSecret()); err != nil {
		return store.Profile{}, err
	}
	return p, nil
}

// profile is what the options save, with the access token.
func (o Options) profile(token string) store.Profile {
	p := store.Profile{
		Name: o.Profile, Server: o.Server, BaseURL: o.BaseURL, Services: o.Services, AccountID: o.AccountID,
		ConsumerKey: o.ConsumerKey, Token: token,
		Auth: o.Auth, Placement: o.Placement, Format: o.Format, FormatBy: o.FormatBy,
		InsecureHTTP: o.AllowInsecureHTTP,
		Provider:     o.Provider, Realm: o.Realm, BodyHash: o.BodyHash, AppCredentials: o.appCredentials, CheckURL: o.CheckURL,
	}
	if o.Generic() {
		p.Dialect = apiclient.DialectGeneric
	}
	if o.SignatureMethod != oauthsig.HMACSHA1 {
		// HMAC-SHA1 is the default; old profiles have no method.
		p.SignatureMethod = o.SignatureMethod
	}
	if o.Generic() || o.appCredentials || o.Endpoints != DefaultEndpoints(o.Server) {
		p.Endpoints = store.Endpoints(o.Endpoints)
	}
	return p
}

// app is the application o signs as.
func (o Options) app() appKey {
	return appKey{secret: o.ConsumerSecret, private: o.privateKey, pem: string(o.PrivateKeyPEM)}
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
