// Package apiclient makes one request to the LivePerson-style REST platform
// the way the platform insists on: v=1 on every request, the response format
// by Accept header or path extension, OAuth 1.0a signing (RFC 5849) in the
// Authorization header or the query, PUT and DELETE tunnelled through POST
// with X-HTTP-Method-Override, typed errors parsed from either format, links
// extracted from the body, and account discovery (the Domain API, or the
// redirect from the global API host).
//
// An account's services may live on hosts of their own (Config.Services,
// as Discover finds them): a relative path goes to the base of the service
// ServiceFor names, an origin the Client signs for on purpose. What a
// person types is made a valid URL with EncodeTypedURL first; links from
// responses are sent exactly as given.
//
// Signing happens inside the Client's RoundTripper, once per attempt, so a
// retry or a same-origin redirect is signed for the URL it is actually sent
// to. A redirect to another origin is refused with a
// *CrossOriginRedirectError: credentials and bodies never leave the origin
// (scheme, host, port) a request was sent to.
package apiclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Auth selects how requests prove who sends them.
type Auth string

// The authentication modes the platform accepts.
const (
	AuthOAuth  Auth = "oauth"  // OAuth 1.0a signature (default)
	AuthAppKey Auth = "appkey" // unsigned: "LivePerson appKey=KEY" or appKey=KEY
	AuthNone   Auth = "none"   // nothing added
)

// Placement selects where credentials travel.
type Placement string

// The two credential placements. The platform prefers the header and allows
// the query "where headers can't be used".
const (
	PlaceHeader Placement = "header" // Authorization header (default)
	PlaceQuery  Placement = "query"  // oauth_* or appKey query parameters
)

// FormatBy selects how the response format is requested.
type FormatBy string

// The two ways to ask for a format. An extension wins over Accept on the
// server, and is case-sensitive there.
const (
	ByAccept    FormatBy = "accept"    // Accept: application/json|xml (default)
	ByExtension FormatBy = "extension" // .json/.xml on the last path segment
)

// Credentials are the OAuth consumer (application) and access token pair.
// For AuthAppKey only ConsumerKey is used, as the application key.
type Credentials struct {
	ConsumerKey, ConsumerSecret, Token, TokenSecret string
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
	AccountID       string
	Credentials     Credentials
	Auth            Auth        // default AuthOAuth
	Placement       Placement   // default PlaceHeader
	Format          wire.Format // default wire.JSON
	FormatBy        FormatBy    // default ByAccept
	SignatureMethod string      // default oauthsig.HMACSHA1
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

// Client sends requests to one account. It is safe for concurrent use and
// keeps its connections alive between requests.
type Client struct {
	cfg  Config
	base *url.URL
	hc   *http.Client
	log  *slog.Logger
	sig  *signer // built once from cfg's credentials and signature method

	// services holds Config.Services parsed; read-only after New.
	services map[Service]*url.URL

	// skew is the server clock minus ours, in nanoseconds, learnt from a
	// stale-timestamp refusal and kept for the Client's life.
	skew atomic.Int64

	// Test hooks: waiting between retries and the backoff base.
	sleep       func(ctx context.Context, d time.Duration) error
	backoffBase time.Duration
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
	if cfg.Auth == "" {
		cfg.Auth = AuthOAuth
	}
	if err := checkAuth(cfg.Auth); err != nil {
		return nil, err
	}
	if cfg.Placement == "" {
		cfg.Placement = PlaceHeader
	}
	if err := checkPlacement(cfg.Placement); err != nil {
		return nil, err
	}
	if cfg.Format == "" {
		cfg.Format = wire.JSON
	}
	if _, err := wire.ParseFormat(string(cfg.Format)); err != nil {
		return nil, fmt.Errorf("apiclient: %w", err)
	}
	if cfg.FormatBy == "" {
		cfg.FormatBy = ByAccept
	}
	if err := checkFormatBy(cfg.FormatBy); err != nil {
		return nil, err
	}
	if cfg.SignatureMethod == "" {
		cfg.SignatureMethod = oauthsig.HMACSHA1
	}
	if cfg.SignatureMethod != oauthsig.HMACSHA1 && cfg.SignatureMethod != oauthsig.HMACSHA256 {
		return nil, fmt.Errorf("apiclient: %w %q", oauthsig.ErrUnsupportedMethod, cfg.SignatureMethod)
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
		sleep: sleepCtx, backoffBase: 250 * time.Millisecond}
	c.hc = &http.Client{
		Transport:     &authTransport{c: c, base: cfg.Transport},
		CheckRedirect: redirectPolicy(cfg.AllowInsecureHTTP),
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

func checkAuth(a Auth) error {
	switch a {
	case AuthOAuth, AuthAppKey, AuthNone:
		return nil
	}
	return fmt.Errorf("apiclient: unknown auth %q (want oauth, appkey or none)", a)
}

func checkPlacement(p Placement) error {
	switch p {
	case PlaceHeader, PlaceQuery:
		return nil
	}
	return fmt.Errorf("apiclient: unknown placement %q (want header or query)", p)
}

func checkFormatBy(b FormatBy) error {
	switch b {
	case ByAccept, ByExtension:
		return nil
	}
	return fmt.Errorf("apiclient: unknown format selection %q (want accept or extension)", b)
}

// BaseURL is the account base URL requests are relative to.
func (c *Client) BaseURL() string { return c.base.String() }

// ServiceBase is the base URL requests for service s go to: its own from
// Config.Services, else BaseURL.
func (c *Client) ServiceBase(s Service) string { return c.serviceBase(s).String() }

func (c *Client) serviceBase(s Service) *url.URL {
	if u, ok := c.services[s]; ok {
		return u
	}
	return c.base
}

// ServiceBases lists the base URL of every service the Client knows,
// ServiceAccount's (BaseURL) included: the origins it signs for.
func (c *Client) ServiceBases() map[Service]string {
	out := map[Service]string{ServiceAccount: c.base.String()}
	for s, u := range c.services {
		out[s] = u.String()
	}
	return out
}

// AccountID is the configured account id.
func (c *Client) AccountID() string { return c.cfg.AccountID }

// ClockOffset is the correction applied to the clock for oauth_timestamp,
// learnt from the server's Date header after a stale-timestamp refusal.
func (c *Client) ClockOffset() time.Duration { return time.Duration(c.skew.Load()) }

func (c *Client) now() time.Time { return c.cfg.Now().Add(c.ClockOffset()) }

// Request is one call for Do. Zero fields take the Client's settings.
type Request struct {
	// Method is GET, POST, PUT or DELETE; PUT and DELETE go on the wire as
	// POST with X-HTTP-Method-Override.
	Method string
	// Path is relative to the account (it may carry a query) and goes to
	// the base of the service ServiceFor names, or is an absolute http(s)
	// URL such as a link's href, sent exactly as given. It must already be
	// a valid URL: pass what a person typed through EncodeTypedURL.
	Path string
	// Query parameters, in order; keys may repeat.
	Query []oauthsig.Param
	// Header is sent as given, except that the Client owns Authorization
	// for AuthOAuth and AuthAppKey.
	Header http.Header
	Body   []byte
	// BodyFormat sets Content-Type for Body unless Header has one (default
	// the Client's Format). For a form POST set Content-Type to
	// application/x-www-form-urlencoded in Header: its parameters are signed.
	BodyFormat wire.Format
	Format     wire.Format // response format override
	FormatBy   FormatBy    // override
	Auth       Auth        // override
	Placement  Placement   // override
}

// Response is what came back. It is returned for every status, alongside an
// *APIError for non-2xx ones.
type Response struct {
	Status      int
	Header      http.Header
	Body        []byte
	Format      wire.Format // from Content-Type; "" when neither JSON nor XML
	ContentType string
	// Elapsed covers the whole call: attempts, waits and redirects.
	Elapsed time.Duration
	Links   []wire.Link
	// URL is the final URL, after redirects, without oauth_* parameters.
	URL  string
	ETag string
}

// Get reads a resource.
func (c *Client) Get(ctx context.Context, path string, query url.Values) (*Response, error) {
	return c.Do(ctx, &Request{Method: http.MethodGet, Path: path, Query: valuesToParams(query)})
}

// Create POSTs body in format f.
func (c *Client) Create(ctx context.Context, path string, body []byte, f wire.Format) (*Response, error) {
	return c.Do(ctx, &Request{Method: http.MethodPost, Path: path, Body: body, BodyFormat: f})
}

// Update replaces a resource: POST with X-HTTP-Method-Override: PUT, and
// If-Match: etag when etag is not empty.
func (c *Client) Update(ctx context.Context, path string, body []byte, f wire.Format, etag string) (*Response, error) {
	return c.Do(ctx, &Request{Method: http.MethodPut, Path: path, Body: body, BodyFormat: f, Header: ifMatch(etag)})
}

// Delete removes a resource: POST with X-HTTP-Method-Override: DELETE, and
// If-Match: etag when etag is not empty.
func (c *Client) Delete(ctx context.Context, path string, etag string) (*Response, error) {
	return c.Do(ctx, &Request{Method: http.MethodDelete, Path: path, Header: ifMatch(etag)})
}

func ifMatch(etag string) http.Header {
	if etag == "" {
		return nil
	}
	return http.Header{"If-Match": {etag}}
}

// valuesToParams flattens url.Values with keys sorted, so the order is
// stable; callers that need a precise order use Request.Query.
func valuesToParams(v url.Values) []oauthsig.Param {
	if len(v) == 0 {
		return nil
	}
	var out []oauthsig.Param
	for _, kv := range sortedKeys(v) {
		for _, val := range v[kv] {
			out = append(out, oauthsig.Param{Key: kv, Value: val})
		}
	}
	return out
}

// ErrUnsafeURL is returned, before sending, for an absolute request URL on
// another host than the base URL that is neither https nor loopback:
// credentials are not sent there in the clear.
var ErrUnsafeURL = errors.New("refusing to send credentials to a plain-http host other than the account's")

// ErrVersionConflict is returned, before anything is sent, when a request
// carries a v parameter other than 1.
var ErrVersionConflict = errors.New("the platform only serves v=1")

// prepared is a request resolved against the Client's settings; each attempt
// builds a fresh *http.Request from it.
type prepared struct {
	method string // wire method
	url    *url.URL
	header http.Header
	body   []byte
	spec   authSpec
	format wire.Format
}

// authSpec travels in the request context to the transport, which applies
// it to every attempt, redirects included.
type authSpec struct {
	auth      Auth
	placement Placement
	// origin is the request URL's origin: the only one its credentials
	// and body may reach.
	origin *url.URL
}

type specKey struct{}

func (c *Client) prepare(req *Request) (*prepared, error) {
	p := &prepared{header: make(http.Header), spec: authSpec{auth: c.cfg.Auth, placement: c.cfg.Placement}, format: c.cfg.Format}
	if req.Auth != "" {
		if err := checkAuth(req.Auth); err != nil {
			return nil, err
		}
		p.spec.auth = req.Auth
	}
	if req.Placement != "" {
		if err := checkPlacement(req.Placement); err != nil {
			return nil, err
		}
		p.spec.placement = req.Placement
	}
	if err := c.checkCredentials(p.spec.auth); err != nil {
		return nil, err
	}
	if req.Format != "" {
		if _, err := wire.ParseFormat(string(req.Format)); err != nil {
			return nil, fmt.Errorf("apiclient: %w", err)
		}
		p.format = req.Format
	}
	by := c.cfg.FormatBy
	if req.FormatBy != "" {
		if err := checkFormatBy(req.FormatBy); err != nil {
			return nil, err
		}
		by = req.FormatBy
	}

	method := strings.ToUpper(req.Method)
	switch method {
	case "", http.MethodGet:
		p.method = http.MethodGet
	case http.MethodPost:
		p.method = http.MethodPost
	case http.MethodPut, http.MethodDelete:
		p.method = http.MethodPost
		p.header.Set("X-HTTP-Method-Override", method)
	default:
		return nil, fmt.Errorf("apiclient: method %s not supported (GET, POST, PUT, DELETE)", req.Method)
	}

	u, err := c.resolve(req.Path, req.Query, p.spec.auth)
	if err != nil {
		return nil, err
	}
	if by == ByExtension {
		addExtension(u, p.format)
	} else {
		p.header.Set("Accept", p.format.ContentType())
	}
	p.url = u
	p.spec.origin = originOf(u)

	if req.Body != nil || p.method == http.MethodPost {
		p.body = req.Body
		if p.body == nil {
			p.body = []byte{}
		}
		if len(p.body) > 0 {
			bf := req.BodyFormat
			if bf == "" {
				bf = c.cfg.Format
			}
			p.header.Set("Content-Type", bf.ContentType())
		}
	}
	p.header.Set("User-Agent", c.cfg.UserAgent)
	for k, vs := range req.Header {
		p.header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if p.method == http.MethodGet {
		p.body = nil
	}
	return p, nil
}

func (c *Client) checkCredentials(a Auth) error {
	cr := c.cfg.Credentials
	switch a {
	case AuthOAuth:
		if cr.ConsumerKey == "" || cr.ConsumerSecret == "" {
			return errors.New("apiclient: oauth needs a consumer key and secret")
		}
		if cr.Token != "" && cr.TokenSecret == "" {
			return errors.New("apiclient: oauth token given without its secret")
		}
	case AuthAppKey:
		if cr.ConsumerKey == "" {
			return errors.New("apiclient: appkey auth needs the application key (ConsumerKey)")
		}
	}
	return nil
}

// resolve builds the request URL: path joined to the base of its service
// (ServiceFor), or taken as an absolute URL exactly as given; the query
// from path kept as sent, Request.Query appended in order with RFC 3986
// encoding, and v=1 added unless present.
func (c *Client) resolve(path string, query []oauthsig.Param, a Auth) (*url.URL, error) {
	var u *url.URL
	lower := strings.ToLower(path)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		abs, err := url.Parse(path)
		if err != nil {
			return nil, fmt.Errorf("apiclient: URL %q: %w", redactRaw(path), err)
		}
		if abs.Host == "" {
			return nil, fmt.Errorf("apiclient: URL %q has no host", redactRaw(path))
		}
		// A link to another host gets our credentials too, so it must meet
		// the redirect rule: https, or loopback.
		if a != AuthNone && !SameOrigin(abs, c.base) && !safeTarget(abs, c.cfg.AllowInsecureHTTP) {
			return nil, fmt.Errorf("apiclient: %w: %s (%w)", ErrUnsafeURL, redactURL(abs), ErrInsecureHTTP)
		}
		u = abs
	} else {
		p, rawQuery, _ := strings.Cut(path, "?")
		p, _, _ = strings.Cut(p, "#")
		rawQuery, _, _ = strings.Cut(rawQuery, "#")
		// A leading slash keeps "a:b" from parsing as a scheme.
		rel, err := url.Parse("/" + strings.TrimPrefix(p, "/"))
		if err != nil {
			return nil, fmt.Errorf("apiclient: path %q: %w", p, err)
		}
		// Each service's base is an origin the Client was given (the
		// profile recorded it from the Domain API): sending there is not a
		// redirect, so the cross-origin rule does not apply.
		base := c.serviceBase(ServiceFor(p))
		cp := *base
		u = &cp
		if rel.Path != "/" {
			joined := strings.TrimSuffix(base.EscapedPath(), "/") + rel.EscapedPath()
			if u.Path, err = url.PathUnescape(joined); err != nil {
				return nil, fmt.Errorf("apiclient: path %q: %w", p, err)
			}
			u.RawPath = joined
		}
		u.RawQuery = rawQuery
	}
	u.Fragment, u.RawFragment = "", ""

	var b strings.Builder
	b.WriteString(u.RawQuery)
	for _, q := range query {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(oauthsig.PercentEncode(q.Key))
		b.WriteByte('=')
		b.WriteString(oauthsig.PercentEncode(q.Value))
	}
	u.RawQuery = b.String()
	params, err := oauthsig.ParseForm(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("apiclient: query: %w", err)
	}
	hasV := false
	for _, q := range params {
		switch {
		case q.Key == "v":
			if q.Value != "1" {
				return nil, fmt.Errorf("apiclient: query has v=%q: %w", q.Value, ErrVersionConflict)
			}
			hasV = true
		case a == AuthOAuth && strings.HasPrefix(q.Key, "oauth_"):
			return nil, fmt.Errorf("apiclient: query parameter %q is reserved for the signature", q.Key)
		}
	}
	if !hasV {
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += "v=1"
	}
	return u, nil
}

// addExtension appends .json/.xml to the last path segment unless it already
// ends in one of them.
func addExtension(u *url.URL, f wire.Format) {
	p := u.EscapedPath()
	if strings.HasSuffix(p, wire.JSON.Ext()) || strings.HasSuffix(p, wire.XML.Ext()) {
		return
	}
	p = strings.TrimSuffix(p, "/") + f.Ext()
	u.Path, _ = url.PathUnescape(p)
	u.RawPath = p
}

// Do sends req: it resolves the URL, then runs attempts (each signed by the
// transport) with the retry and clock-skew rules, and reads the body within
// MaxBodySize. For a non-2xx status it returns the Response and an *APIError.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	if req == nil {
		return nil, errors.New("apiclient: nil request")
	}
	p, err := c.prepare(req)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	skewRetried := false
	for attempt := 0; ; {
		hresp, body, err := c.attempt(ctx, p)
		if err != nil {
			if hresp != nil && errors.Is(err, ErrBodyTooLarge) {
				r := c.response(hresp, nil, p, start)
				return r, err
			}
			if p.method == http.MethodGet && attempt < c.cfg.MaxRetries && retryableErr(ctx, err) {
				d := c.backoff(attempt)
				c.log.LogAttrs(ctx, slog.LevelDebug, "api retry", slog.String("url", redactURL(p.url)), slog.Int("attempt", attempt+1), slog.Duration("wait", d), slog.String("error", err.Error()))
				if err := c.sleep(ctx, d); err != nil {
					return nil, fmt.Errorf("apiclient: %s %s: %w", p.method, redactURL(p.url), err)
				}
				attempt++
				continue
			}
			return nil, err
		}
		status := hresp.StatusCode
		if !skewRetried && p.spec.auth == AuthOAuth && status == http.StatusUnauthorized {
			if e, ok := wire.ParseError(body); ok && e.InternalCode == wire.CodeStaleTimestamp {
				if server, err := http.ParseTime(hresp.Header.Get("Date")); err == nil {
					off := server.Sub(c.cfg.Now()).Round(time.Second)
					c.skew.Store(int64(off))
					c.log.LogAttrs(ctx, slog.LevelInfo, "clock skew corrected", slog.Duration("offset", off))
					skewRetried = true
					continue
				}
			}
		}
		if p.method == http.MethodGet && attempt < c.cfg.MaxRetries && retryableStatus(status) {
			d, ok := c.retryAfter(hresp.Header.Get("Retry-After"))
			if !ok {
				d = c.backoff(attempt)
			}
			c.log.LogAttrs(ctx, slog.LevelDebug, "api retry", slog.String("url", redactURL(p.url)), slog.Int("attempt", attempt+1), slog.Duration("wait", d), slog.Int("status", status))
			if err := c.sleep(ctx, d); err != nil {
				return nil, fmt.Errorf("apiclient: %s %s: %w", p.method, redactURL(p.url), err)
			}
			attempt++
			continue
		}
		r := c.response(hresp, body, p, start)
		if status < 200 || status > 299 {
			return r, newAPIError(r)
		}
		return r, nil
	}
}

// attempt sends one request and reads its body. The returned *http.Response
// has its body consumed and closed.
func (c *Client) attempt(ctx context.Context, p *prepared) (*http.Response, []byte, error) {
	actx, cancel := context.WithTimeout(context.WithValue(ctx, specKey{}, p.spec), c.cfg.Timeout)
	defer cancel()
	var body io.Reader
	if p.body != nil {
		body = bytes.NewReader(p.body)
	}
	u := *p.url
	hr, err := http.NewRequestWithContext(actx, p.method, u.String(), body)
	if err != nil {
		return nil, nil, fmt.Errorf("apiclient: %w", err)
	}
	hr.Header = p.header.Clone()
	t0 := time.Now()
	hresp, err := c.hc.Do(hr)
	if err != nil {
		var co *CrossOriginRedirectError
		if errors.As(err, &co) {
			// The *url.Error around it names the target with whatever
			// query the redirect echoed; co names it redacted.
			return nil, nil, fmt.Errorf("apiclient: %s %s: %w", p.method, redactURL(p.url), co)
		}
		redactErr(err)
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %s: %w", c.cfg.Timeout, err)
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "api attempt", slog.String("method", p.method), slog.String("url", redactURL(p.url)), slog.String("error", err.Error()))
		return nil, nil, fmt.Errorf("apiclient: %w", err)
	}
	defer hresp.Body.Close()
	data, err := readLimited(hresp.Body, hresp.ContentLength, c.cfg.MaxBodySize)
	c.log.LogAttrs(ctx, slog.LevelDebug, "api attempt", slog.String("method", p.method), slog.String("url", redactURL(hresp.Request.URL)),
		slog.Int("status", hresp.StatusCode), slog.Duration("elapsed", time.Since(t0)), slog.Int("bytes", len(data)))
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) {
			return hresp, nil, fmt.Errorf("apiclient: %s %s: %w", p.method, redactURL(p.url), err)
		}
		if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
			// The headers came in time but the body did not: say so, since
			// "context deadline exceeded" alone reads like no answer at all.
			return nil, nil, fmt.Errorf("apiclient: %s %s: timed out reading the response body (%d bytes in %s, per-attempt timeout %s): %w",
				p.method, redactURL(p.url), len(data), time.Since(t0).Round(time.Millisecond), c.cfg.Timeout, context.DeadlineExceeded)
		}
		return nil, nil, fmt.Errorf("apiclient: %s %s: read body: %w", p.method, redactURL(p.url), err)
	}
	return hresp, data, nil
}

// readLimited reads at most limit bytes; one more byte means the body is too
// large. A declared Content-Length past the limit fails before reading. On a
// read error the bytes read so far are returned with it.
//
// A declared length is allocated exactly once (a bytes.Buffer would grow
// again just to see EOF, doubling a 20 MB body's footprint). An unknown
// length is read into chunks joined once at the end, so the waste is at most
// one chunk instead of a doubling buffer's half.
func readLimited(r io.Reader, declared, limit int64) ([]byte, error) {
	if declared > limit {
		return nil, fmt.Errorf("%w: %d bytes declared, limit %d", ErrBodyTooLarge, declared, limit)
	}
	var head []byte
	if declared > 0 {
		head = make([]byte, declared)
		n, err := readFull(r, head)
		head = head[:n]
		if err != nil {
			return head, err
		}
		if int64(n) < declared {
			return head, nil // shorter than declared, but ended cleanly
		}
		// The body should end here; anything more is read on below so the
		// limit still applies.
		var one [1]byte
		m, err := r.Read(one[:])
		if m == 0 {
			if err == nil || err == io.EOF {
				return head, nil
			}
			return head, err
		}
		if err != nil && err != io.EOF {
			return append(head, one[:m]...), err
		}
		rest, err := readChunks(io.MultiReader(bytes.NewReader(one[:m]), r), limit-int64(n), int64(n))
		if errors.Is(err, ErrBodyTooLarge) {
			return nil, err
		}
		return append(head, rest...), err
	}
	out, err := readChunks(r, limit, 0)
	if errors.Is(err, ErrBodyTooLarge) {
		return nil, err
	}
	return out, err
}

// readFull reads until p is full or the reader ends; a clean EOF before p
// is full is not an error (the caller sees the short count).
func readFull(r io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// readChunks reads r to its end into chunks of growing size, then joins them
// into one exactly sized slice. More than limit bytes yields ErrBodyTooLarge
// (limit and already describe the whole body for the message).
func readChunks(r io.Reader, limit, already int64) ([]byte, error) {
	var chunks [][]byte
	var total int64
	size := 8 << 10
	join := func() []byte {
		out := make([]byte, 0, total)
		for _, c := range chunks {
			out = append(out, c...)
		}
		return out
	}
	for {
		buf := make([]byte, size)
		n, err := readFull(r, buf)
		if n > 0 {
			chunks = append(chunks, buf[:n])
			total += int64(n)
		}
		if total > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit+already)
		}
		if err != nil {
			return join(), err // what arrived, for the error message
		}
		if n < size {
			if len(chunks) == 1 {
				return chunks[0], nil
			}
			return join(), nil
		}
		if size < 1<<20 {
			size *= 2
		}
	}
}

func (c *Client) response(h *http.Response, body []byte, p *prepared, start time.Time) *Response {
	r := &Response{
		Status:      h.StatusCode,
		Header:      h.Header,
		Body:        body,
		ContentType: h.Header.Get("Content-Type"),
		Elapsed:     time.Since(start),
		ETag:        h.Header.Get("ETag"),
	}
	if f, ok := wire.FormatOf(r.ContentType); ok {
		r.Format = f
	}
	if h.Request != nil && h.Request.URL != nil {
		r.URL = redactURL(h.Request.URL)
	} else {
		r.URL = redactURL(p.url)
	}
	if r.Format != "" && len(body) > 0 {
		// A malformed body still yields the links before the fault; the
		// body itself is returned for the caller to judge.
		r.Links, _ = wire.ExtractLinks(body, r.Format)
	}
	return r
}

func retryableStatus(s int) bool {
	switch s {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableErr: transport failures and per-attempt timeouts, but not the
// caller's cancellation, a refused redirect or an oversize body.
func retryableErr(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if errors.Is(err, ErrUnsafeRedirect) || errors.Is(err, ErrTooManyRedirects) || errors.Is(err, ErrBodyTooLarge) {
		return false
	}
	var co *CrossOriginRedirectError
	if errors.As(err, &co) {
		return false // the server will point the same way again
	}
	var ce *tls.CertificateVerificationError
	if errors.As(err, &ce) {
		return false // the same certificate will fail the same way
	}
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded)
}

// backoff is exponential from backoffBase, capped at MaxRetryWait, with the
// upper half jittered so clients retrying together spread out.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.backoffBase << min(attempt, 20)
	if d <= 0 || d > c.cfg.MaxRetryWait {
		d = c.cfg.MaxRetryWait
	}
	half := d / 2
	return half + rand.N(half+1)
}

// retryAfter reads Retry-After as seconds or an HTTP-date, capped at
// MaxRetryWait.
func (c *Client) retryAfter(h string) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		d = time.Duration(min(secs, int64(c.cfg.MaxRetryWait/time.Second)+1)) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = max(t.Sub(c.now()), 0)
	} else {
		return 0, false
	}
	return min(d, c.cfg.MaxRetryWait), true
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// isForm reports whether a Content-Type is a form body, whose parameters
// RFC 5849 §3.4.1.3.1 includes in the signature.
func isForm(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}
