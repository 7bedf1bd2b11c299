// Package sandbox is a local, LivePerson-compatible platform: an OAuth 1.0a
// provider (RFC 5849), an HTML admin console, and the REST resources of the
// legacy v=1 API (account base, chat, agent session, skills, users) with the
// platform's conventions — v=1, case-sensitive paths, method override,
// format by extension or Accept, the XML-to-JSON mapping and error bodies.
//
// It is an http.Handler: tests mount it on httptest.NewServer, and
// `lpdesk sandbox` serves it on a real port. It exists so that the client,
// the onboarding flows and the UI can be exercised end to end, including
// every refusal the real platform makes, without an account on it.
//
// It also stands in for any other OAuth 1.0a provider: applications can be
// registered with a signature method (RSA public keys, HMAC-SHA256,
// PLAINTEXT over TLS only), a required realm and a required body hash, and
// /api/echo/… answers any signed request with what was verified.
package sandbox

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
)

// ErrUnknownApp is returned for a consumer key that is not registered.
var ErrUnknownApp = errors.New("sandbox: unknown application")

// Server is the sandbox. Its methods are safe for concurrent use.
type Server struct {
	cfg           Config
	now           func() time.Time
	log           *slog.Logger
	apps          appRegistry
	discoveryPath string
	allowedHosts  []allowedHost
	apis          []*api // built once in New; read-only afterwards

	mu       sync.Mutex
	st       *state
	gen      uint64
	savedGen uint64
	sessions map[string]*consoleSession
	nonces   *nonceStore
	quota    quotas

	persistMu sync.Mutex
}

// New builds a sandbox from cfg, loading cfg.DataFile when it exists and
// seeding records otherwise.
func New(cfg Config) (*Server, error) {
	cfg, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	allowed, err := allowedHostsOf(cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:           cfg,
		now:           cfg.Now,
		log:           cfg.Logger,
		discoveryPath: discoveryPath(cfg.AccountID),
		allowedHosts:  allowed,
		sessions:      map[string]*consoleSession{},
		nonces:        newNonceStore(),
		quota:         defaultQuotas,
	}
	s.apis = s.buildAPIs()
	if err := s.registerApps(cfg.Apps); err != nil {
		return nil, err
	}
	if err := s.loadOrSeed(); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if err := s.restoreApps(); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	return s, nil
}

// loadOrSeed reads the data file, or seeds a new state, applies
// AllowUnsigned over it and writes what changed.
func (s *Server) loadOrSeed() error {
	fresh := true
	if s.cfg.DataFile != "" {
		st, ok, err := loadState(s.cfg.DataFile)
		if err != nil {
			return err
		}
		if ok {
			s.st, fresh = st, false
		}
	}
	if fresh {
		s.st = newState()
		seed(s.st, s.cfg.SeedRecords)
		s.gen++
	}
	if s.cfg.AllowUnsigned && !s.st.AllowUnsigned {
		s.st.AllowUnsigned = true
		s.gen++
	}
	return s.persist()
}

// Close writes pending state to the data file. The handler keeps working
// afterwards; Close only flushes.
func (s *Server) Close() error {
	return s.persist()
}

// AccountPath is the path of the account base resource (cfg.BasePath).
func (s *Server) AccountPath() string { return s.cfg.BasePath }

// InstallApp does what the console's install action does: it creates an
// access token for the registered application consumerKey and returns the
// token credentials (the verification code is token + ";" + secret).
func (s *Server) InstallApp(consumerKey string) (token, secret string, err error) {
	t, err := s.installApp(consumerKey, "console")
	if err != nil {
		return "", "", err
	}
	return t.Token, t.Secret, nil
}

func (s *Server) installApp(consumerKey, via string) (*accessToken, error) {
	if _, ok := s.app(consumerKey); !ok {
		return nil, fmt.Errorf("install %q: %w", consumerKey, ErrUnknownApp)
	}
	t := &accessToken{Token: randomHex(16), Secret: randomSecret(24), ConsumerKey: consumerKey,
		Created: s.now().UTC(), Via: via}
	// A failed write is logged inside; the token works in memory regardless.
	s.update(func(st *state) *apiError {
		st.AccessTokens[t.Token] = t
		return nil
	})
	return t, nil
}

// RevokeToken deletes an access token, as the console's revoke action does;
// it reports whether the token existed.
func (s *Server) RevokeToken(token string) bool {
	return s.update(func(st *state) *apiError {
		if _, ok := st.AccessTokens[token]; !ok {
			return errorf(404, wire.CodeNotFound, "no access token")
		}
		delete(st.AccessTokens, token)
		return nil
	}) == nil
}

// SetAllowUnsigned allows or refuses unsigned (appKey-only) calls, as the
// console's settings action does.
func (s *Server) SetAllowUnsigned(allow bool) {
	s.update(func(st *state) *apiError {
		if st.AllowUnsigned == allow {
			return errUnchanged
		}
		st.AllowUnsigned = allow
		return nil
	})
}

func (s *Server) allowUnsigned() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.AllowUnsigned
}

// Banner is the start-up text for a sandbox reachable at baseURL
// (e.g. "http://127.0.0.1:8088"). It names no secret except the demo
// application's and the default console password, which are public.
func (s *Server) Banner(baseURL string) string {
	baseURL = strings.TrimSuffix(baseURL, "/")
	var b strings.Builder
	fmt.Fprintf(&b, "lpdesk sandbox: a local LivePerson-compatible platform\n")
	fmt.Fprintf(&b, "  Base URL:        %s\n", baseURL)
	fmt.Fprintf(&b, "  Account:         %s\n", s.cfg.AccountID)
	fmt.Fprintf(&b, "  Account base:    %s%s?v=1\n", baseURL, s.cfg.BasePath)
	if s.cfg.BasePath != s.discoveryPath && s.cfg.DiscoveryRedirect {
		fmt.Fprintf(&b, "  Discovery:       %s%s?v=1 (302 to the account base)\n", baseURL, s.discoveryPath)
	}
	pw := s.cfg.AdminPassword
	if pw != DemoConfig().AdminPassword {
		pw = "(as configured)"
	}
	fmt.Fprintf(&b, "  Console:         %s/console  user %s, password %s\n", baseURL, s.cfg.AdminUser, pw)
	fmt.Fprintf(&b, "  OAuth 1.0a:      %s/oauth/request_token, /oauth/authorize, /oauth/access_token, /oauth/revoke\n", baseURL)
	for i, a := range s.appList() {
		label := "  Applications:    "
		if i > 0 {
			label = "                   "
		}
		if a.Key == assets.DemoConsumerKey {
			fmt.Fprintf(&b, "%skey %s, secret %s (%s; public demo app)\n", label, a.Key, a.Secret, a.Name)
		} else {
			fmt.Fprintf(&b, "%skey %s (%s%s)\n", label, a.Key, a.Name, a.rulesText())
		}
	}
	scheme, _, _ := strings.Cut(baseURL, "://")
	for _, svc := range Services {
		if h := s.cfg.ServiceHosts[svc]; h != "" {
			fmt.Fprintf(&b, "  Service %s: %s://%s (Domain API: %s%s/service/%s/baseURI.json?version=1.0)\n", svc, scheme, h, baseURL, s.discoveryPath, svc)
		}
	}
	fmt.Fprintf(&b, "  Echo:            %s/api/echo/… (any method, signed; answers what it verified)\n", baseURL)
	names := "localhost, 127.0.0.0/8, [::1], the listen address"
	for _, h := range s.allowedHosts {
		names += ", " + h.String()
	}
	fmt.Fprintf(&b, "  Host names:      %s (any other Host is refused)\n", names)
	unsigned := "refused"
	if s.allowUnsigned() {
		unsigned = "allowed"
	}
	fmt.Fprintf(&b, "  Unsigned calls:  %s\n", unsigned)
	if s.cfg.DataFile != "" {
		fmt.Fprintf(&b, "  Data file:       %s\n", s.cfg.DataFile)
	}
	return b.String()
}

// ServeHTTP routes to the OAuth provider, the console and the REST API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	// net/http only fills Date when it is absent: set it from our clock so
	// clients can measure their skew against the sandbox.
	rec.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("sandbox: panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
			if !rec.wrote {
				s.writeError(rec, wire.JSON, &apiError{Status: 500, Code: wire.CodeInternal, Message: "internal error"})
			}
		}
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"code", rec.code, "dur", time.Since(start).Round(time.Microsecond))
	}()
	p := r.URL.Path
	if judge(s.gateOf(r)).Misdirected {
		s.misdirected(rec, r)
		return
	}
	switch {
	case p == "/":
		s.serveIndex(rec, r)
	case strings.HasPrefix(p, "/oauth/"):
		s.serveOAuth(rec, r)
	case p == "/console" || strings.HasPrefix(p, "/console/"):
		s.serveConsole(rec, r)
	default:
		s.serveAPI(rec, r)
	}
}

// recorder keeps the status and internal code for the request log.
type recorder struct {
	http.ResponseWriter
	status int
	code   int
	wrote  bool
}

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

// requestBase is scheme://host of r as the client addressed it.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// requestURL is the absolute URL of r as sent on the wire (escaped path and
// raw query kept), which the signature base string is built from.
func requestURL(r *http.Request) *url.URL {
	var u *url.URL
	if plainHost(r.Host) {
		// Every signed call comes here: a host of letters, digits, dots,
		// dashes and a port is what url.Parse would give back unchanged.
		u = &url.URL{Scheme: "http", Host: r.Host}
		if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
			u.Scheme = "https"
		}
	} else {
		u, _ = url.Parse(requestBase(r))
	}
	if u == nil {
		u = &url.URL{Scheme: "http", Host: r.Host}
	}
	u.Path = r.URL.Path
	u.RawPath = r.URL.RawPath
	u.RawQuery = r.URL.RawQuery
	return u
}

// plainHost: host[:port] made of letters, digits, '.', '-' and one ':'
// before the port digits, with nothing url.Parse would read differently.
func plainHost(h string) bool {
	if h == "" {
		return false
	}
	colon := false
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c == ':':
			if colon || i == 0 {
				return false
			}
			colon = true
		case '0' <= c && c <= '9':
		case colon:
			return false // only digits after the colon
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '.', c == '-':
		default:
			return false
		}
	}
	return true
}

func (s *Server) appKeys() []string {
	var keys []string
	for _, a := range s.appList() {
		keys = append(keys, a.Key)
	}
	return keys
}
