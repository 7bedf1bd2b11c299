package apiclient

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Credentials are the OAuth consumer (application) and access token pair.
// For AuthAppKey only ConsumerKey is used, as the application key.
type Credentials struct {
	ConsumerKey, ConsumerSecret, Token, TokenSecret string
	// PrivateKey is the consumer's RSA key, for the RSA-SHA1 and RSA-SHA256
	// signature methods (which do not use ConsumerSecret).
	PrivateKey *rsa.PrivateKey
}

// Defaults applied by New to zero Config fields.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBodySize  = 64 << 20
	DefaultMaxRetries   = 3
	DefaultMaxRetryWait = 30 * time.Second
	// MaxRedirects is how many redirects one request follows.
	MaxRedirects = 5
)

// Config configures a Client. Zero fields take the documented defaults.
type Config struct {
	// BaseURL is the account's base URL, e.g.
	// http://127.0.0.1:8088/api/account/12345678; relative request paths are
	// appended to it, or to their service's base (Services).
	BaseURL string
	// Services are the base URLs of the services that do not live at
	// BaseURL, as Discover found them with the Domain API: a relative path
	// goes to the base of the service ServiceFor names, and to BaseURL when
	// Services has none for it. Each base is an origin the Client signs for
	// on purpose, with BaseURL's rules (http only on loopback unless
	// AllowInsecureHTTP); ServiceAccount's base is BaseURL itself.
	Services map[Service]string
	// AccountID is informational (shown to users, kept in profiles).
	AccountID   string
	Credentials Credentials
	Auth        Auth // default AuthOAuth
	// Placement is where the oauth_* parameters travel (default
	// PlaceHeader). PlaceForm appends them to an
	// application/x-www-form-urlencoded body; a request without a body
	// carries them in the query instead, as RFC 5849 §3.5.2 and §3.5.3
	// allow, and a request with any other body is refused before sending.
	Placement Placement
	Format    wire.Format // default wire.JSON
	FormatBy  FormatBy    // default ByAccept
	// SignatureMethod is any of oauthsig.Methods (default HMAC-SHA1). The
	// RSA methods sign with Credentials.PrivateKey. PLAINTEXT sends the
	// secrets themselves as the signature, so New refuses it unless every
	// base URL is https, and each request, absolute URL or redirect hop
	// that is not https fails with ErrPlaintextOverHTTP.
	SignatureMethod oauthsig.Method
	// Dialect is the provider's REST conventions (default
	// DialectLivePerson). DialectGeneric sends requests as they are
	// written: no v=1, PUT, DELETE and PATCH as themselves, Accept only
	// when the request names a Format, no format extension, and every
	// relative path joined to BaseURL (no Services, no routing).
	Dialect Dialect
	// Realm, when set, is sent as the Authorization header's realm, first
	// and never signed (RFC 5849 §3.5.1); NetSuite wants its account id
	// there. The realm exists only in the header: with PlaceQuery or
	// PlaceForm it is not sent at all.
	Realm string
	// BodyHash adds oauth_body_hash (the OAuth Request Body Hash extension)
	// to every request whose body is not form-encoded: the digest of the
	// exact body bytes sent (of the empty string for a request without a
	// body), with SHA-256 for the SHA256 methods and SHA-1 otherwise. A
	// form-encoded body never gets one: its parameters are signed already.
	BodyHash bool
	// Timeout bounds each attempt, body included (default 30 s).
	Timeout time.Duration
	// MaxBodySize bounds a response body (default 64 MiB); past it the
	// request fails with an error wrapping ErrBodyTooLarge.
	MaxBodySize int64
	// MaxRetries is how often an idempotent GET is retried (default 3;
	// negative means never).
	MaxRetries int
	// MaxRetryWait caps one wait between retries, Retry-After included
	// (default 30 s).
	MaxRetryWait time.Duration
	// Transport is the base transport; default NewTransport() (keep-alive,
	// proxy from the environment, TLS 1.2 minimum). An *http.Transport that
	// skips certificate verification is refused; one that allows TLS below
	// 1.2 is used as a clone with the minimum raised (see SecureTransport).
	Transport http.RoundTripper
	// AllowInsecureHTTP permits plain http to hosts that are not loopback:
	// the BaseURL, absolute request URLs and redirects (never a redirect
	// from https down to http). Without it such a BaseURL fails New with
	// ErrInsecureHTTP. Callers that set it must warn the user every time
	// (InsecureWarning): signed requests over plain http can be read and
	// replayed by anyone on the network.
	AllowInsecureHTTP bool
	// Logger receives one debug line per attempt; secrets and signatures
	// are never logged.
	Logger *slog.Logger
	// Now is the clock used for oauth_timestamp (default time.Now).
	Now func() time.Time
	// UserAgent is sent as User-Agent (default "lpdesk").
	UserAgent string
}

// New validates cfg, applies defaults and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("apiclient: BaseURL is required")
	}
	base, err := parseBase("BaseURL", cfg.BaseURL, cfg.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	services := make(map[Service]*url.URL, len(cfg.Services))
	for s, raw := range cfg.Services {
		if s == ServiceAccount {
			return nil, fmt.Errorf("apiclient: Services[%s]: the account base is BaseURL", s)
		}
		if services[s], err = parseBase("Services["+string(s)+"]", raw, cfg.AllowInsecureHTTP); err != nil {
			return nil, err
		}
	}
	if cfg.Auth == 0 {
		cfg.Auth = AuthOAuth
	}
	if cfg.Placement == 0 {
		cfg.Placement = PlaceHeader
	}
	if cfg.Format == "" {
		cfg.Format = wire.JSON
	}
	if cfg.FormatBy == 0 {
		cfg.FormatBy = ByAccept
	}
	if cfg.SignatureMethod == "" {
		cfg.SignatureMethod = oauthsig.HMACSHA1
	}
	if err := checkSigning(cfg, base, services); err != nil {
		return nil, err
	}
	if cfg.Dialect == 0 {
		cfg.Dialect = DialectLivePerson
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBodySize <= 0 {
		cfg.MaxBodySize = DefaultMaxBodySize
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = DefaultMaxRetryWait
	}
	if cfg.Transport, err = SecureTransport(cfg.Transport); err != nil {
		return nil, fmt.Errorf("apiclient: %w", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "lpdesk"
	}
	c := &Client{cfg: cfg, base: base, services: services, log: cfg.Logger, sig: newSigner(cfg.SignatureMethod, cfg.Credentials),
		key:   oauthsig.Key{ConsumerSecret: cfg.Credentials.ConsumerSecret, TokenSecret: cfg.Credentials.TokenSecret, Private: cfg.Credentials.PrivateKey},
		sleep: sleepCtx, backoffBase: 250 * time.Millisecond, timeouts: &timeouts{d: cfg.Timeout}}
	c.hc = &http.Client{
		Transport:     &authTransport{c: c, base: cfg.Transport},
		CheckRedirect: redirectPolicy(cfg.AllowInsecureHTTP, cfg.Dialect),
	}
	return c, nil
}

// parseBase checks a base URL as New takes it (absolute http(s), plain http
// only on loopback unless allowInsecure) and drops its query, fragment and
// trailing slash.
func parseBase(name, raw string, allowInsecure bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("apiclient: %s: %w", name, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("apiclient: %s %q is not an absolute http(s) URL", name, raw)
	}
	if InsecureURL(u) && !allowInsecure {
		return nil, fmt.Errorf("apiclient: %s host %s: %w", name, u.Host, ErrInsecureHTTP)
	}
	u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = "", false, "", ""
	u.Path, u.RawPath = strings.TrimSuffix(u.Path, "/"), strings.TrimSuffix(u.RawPath, "/")
	return u, nil
}
