// Package proxy is the signing reverse proxy behind `lpdesk proxy`: the seed's
// "proxy approach" for scripts that must not hold secrets. A script sends an
// unsigned HTTP request to the proxy; the proxy signs it with one profile's
// credentials (through an apiclient.Client, so with the profile's auth and
// placement, v=1 and the method override) and sends it to the platform, then
// writes the platform's answer back: status, body and headers, with Location
// rewritten to point at the proxy.
//
// What a script may send:
//
//   - GET, POST, PUT and DELETE (PUT and DELETE leave as POST with
//     X-HTTP-Method-Override, as the platform requires; a POST carrying the
//     override header itself is forwarded as is); for another OAuth 1.0a
//     provider's profile (apiclient.DialectGeneric) also PATCH, and every
//     method leaves as itself, with no v=1;
//   - a path relative to the account base (/skills/7) or the account's full
//     path (/api/account/{id}/skills/7, as found in a link's href); "." and
//     ".." segments are refused, so nothing outside the account base is
//     reachable. A path of a service the profile knows a base of its own
//     for (apiclient.ServiceFor: agentSession/… on the Chat Agent API's
//     host, chat/… on the Server Chat API's) goes to that base;
//   - a query, byte for byte (repeated keys and their order kept; v=1 added
//     when absent); oauth_* parameters are refused, the proxy signs;
//   - the headers Accept, Content-Type, If-Match, If-None-Match,
//     X-HTTP-Method-Override and Accept-Language. Nothing else is forwarded:
//     not Authorization (the proxy's own bearer token stays here), not
//     cookies.
//
// Who may send it: without a token, any local process, provided the Host
// header names a loopback host (a web page using DNS rebinding cannot). With
// a token (required for a non-loopback listener, see CheckListen), only
// clients presenting "Authorization: Bearer TOKEN", compared in constant
// time. Either way, anything a browser could have sent on a web page's
// behalf is refused with 403: a request with an Origin, Referer or Cookie
// header or any Sec-Fetch-* header (an <img>, a <script> or a navigation
// carries at least one of them), since the proxy is for scripts and would
// otherwise sign a page's GET.
//
// The answer is read whole by the apiclient (up to its MaxBodySize) before
// it is written back; a larger one ends in 502 with a message that says so.
// Bodies are returned untouched, so hrefs inside them still name the
// platform: replace their scheme and host with the proxy's to follow them.
package proxy

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/logging"
)

// Internal codes of the errors the proxy itself answers with, in the
// platform's error body (wire.Error), so that a script reads them the same
// way as the platform's. They sit above the platform's codes; the
// X-Lpdesk-Proxy-Error header is set on these answers too.
const (
	CodeProxyUnauthorized = 60 // bearer token missing or wrong (401)
	CodeProxyRefused      = 61 // request the proxy will not forward (400, 403, 405, 413, 421)
	CodeProxyUpstream     = 62 // the platform could not be reached, or its answer was too large (502)
	CodeProxyTimeout      = 63 // the platform did not answer in time (504)
)

// Defaults for Config's zero fields.
const (
	DefaultMaxRequestBody  = 16 << 20
	DefaultShutdownTimeout = 10 * time.Second
	// MinTokenLength is the shortest bearer token accepted: a short one
	// could be guessed over the network.
	MinTokenLength = 16
)

// forwardedHeaders are the only request headers sent on: the ones the
// platform's conventions use. Everything else, Authorization above all,
// stays at the proxy.
var forwardedHeaders = []string{"Accept", "Content-Type", "If-Match", "If-None-Match", "X-HTTP-Method-Override", "Accept-Language"}

// droppedResponseHeaders are hop-by-hop headers, a length the proxy sets
// itself, and cookies that belong to the platform's host, not the proxy's.
var droppedResponseHeaders = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
	"Transfer-Encoding", "Upgrade", "Trailer", "Te", "Content-Length", "Set-Cookie"}

// droppedResponseHeader is droppedResponseHeaders by canonical name, for
// writeResponse's one pass over the platform's header.
var droppedResponseHeader = func() map[string]bool {
	m := make(map[string]bool, len(droppedResponseHeaders))
	for _, k := range droppedResponseHeaders {
		m[http.CanonicalHeaderKey(k)] = true
	}
	return m
}()

// Config configures a Proxy.
type Config struct {
	// Client signs and sends every request; its BaseURL is the account
	// base that relative paths are resolved against. Required.
	Client *apiclient.Client
	// Token, when set, must be presented by every client as
	// "Authorization: Bearer TOKEN". Required for non-loopback listeners
	// (CheckListen). It is registered with logging.RegisterSecret.
	Token string
	// Logger receives one Info line per request (method, path, status,
	// duration, bytes); it is made redacting if it is not. nil discards.
	Logger *slog.Logger
	// MaxRequestBody bounds a request body (default 16 MiB); a larger one
	// is answered 413.
	MaxRequestBody int64
	// ShutdownTimeout bounds how long Serve waits for requests in flight
	// after its context ends (default 10 s).
	ShutdownTimeout time.Duration
}

// Proxy is the signing reverse proxy, an http.Handler. It is safe for
// concurrent use.
type Proxy struct {
	cfg       Config
	base      *url.URL
	basePath  string // escaped, without a trailing slash
	tokenHash [32]byte
	log       *slog.Logger
	// services are the client's own bases for services that do not live
	// at the account base (apiclient.ServiceFor routes a path to one).
	services map[apiclient.Service]*url.URL
	// generic: the profile is another OAuth 1.0a provider's, whose API
	// takes PATCH too and gets every method as itself.
	generic bool
}

// New checks cfg and returns a Proxy.
func New(cfg Config) (*Proxy, error) {
	if cfg.Client == nil {
		return nil, errors.New("proxy: Config.Client is required")
	}
	base, err := url.Parse(cfg.Client.BaseURL())
	if err != nil {
		return nil, fmt.Errorf("proxy: client base URL: %w", err)
	}
	if cfg.Token != "" {
		if err := checkToken(cfg.Token); err != nil {
			return nil, err
		}
		logging.RegisterSecret(cfg.Token)
	}
	if cfg.MaxRequestBody <= 0 {
		cfg.MaxRequestBody = DefaultMaxRequestBody
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	p := &Proxy{cfg: cfg, base: base, basePath: strings.TrimSuffix(base.EscapedPath(), "/"), log: logging.Redacting(cfg.Logger),
		services: map[apiclient.Service]*url.URL{}, generic: cfg.Client.Dialect() == apiclient.DialectGeneric}
	for svc, raw := range cfg.Client.ServiceBases() {
		if u, err := url.Parse(raw); err == nil && svc != apiclient.ServiceAccount {
			p.services[svc] = u
		}
	}
	if cfg.Token != "" {
		p.tokenHash = sha256.Sum256([]byte(cfg.Token))
	}
	return p, nil
}

// ErrTokenRequired is returned by CheckListen for a non-loopback address
// without a bearer token.
var ErrTokenRequired = errors.New("a non-loopback listen address needs --token: anyone who can reach it could use the account")

// ErrWeakToken is returned for a bearer token shorter than MinTokenLength or
// containing characters a client could not send in a header.
var ErrWeakToken = fmt.Errorf("the bearer token must be at least %d printable characters without spaces", MinTokenLength)

func checkToken(t string) error {
	if len(t) < MinTokenLength {
		return ErrWeakToken
	}
	for i := 0; i < len(t); i++ {
		if t[i] <= ' ' || t[i] >= 0x7f {
			return ErrWeakToken
		}
	}
	return nil
}

// CheckListen decides whether addr (host:port) may be served with this
// token: a loopback address (127.0.0.0/8, ::1, localhost) always may; any
// other address, including an empty host (all interfaces), only with a
// token of at least MinTokenLength characters.
func CheckListen(addr, token string) error {
	if token != "" {
		if err := checkToken(token); err != nil {
			return err
		}
	}
	if IsLoopbackAddr(addr) || token != "" {
		return nil
	}
	return fmt.Errorf("listen on %s: %w", addr, ErrTokenRequired)
}

// IsLoopbackAddr reports whether host:port (or a bare host) names only the
// loopback interface.
func IsLoopbackAddr(addr string) bool {
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve answers on ln until ctx ends, then stops accepting, waits up to
// ShutdownTimeout for requests in flight and returns nil. ln may be a TLS
// listener; Location rewriting then says https.
func (p *Proxy) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           p,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(p.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("proxy: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), p.cfg.ShutdownTimeout)
	defer cancel()
	serr := hs.Shutdown(sctx)
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		serr = errors.Join(serr, err)
	}
	if serr != nil {
		return fmt.Errorf("proxy: shutdown: %w", serr)
	}
	return nil
}

// recorder remembers what was written, for the request's log line.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// ServeHTTP forwards one request; see the package documentation.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	note := p.handle(rec, r)
	status := rec.status
	if status == 0 {
		status = 499 // the client went away before an answer
	}
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs, slog.String("method", r.Method), slog.String("path", r.URL.EscapedPath()))
	if r.URL.RawQuery != "" {
		attrs = append(attrs, slog.String("query", r.URL.RawQuery))
	}
	attrs = append(attrs,
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start).Round(time.Microsecond)),
		slog.Int64("bytes", rec.bytes),
		slog.String("remote", r.RemoteAddr))
	level := slog.LevelInfo
	if note != "" {
		attrs = append(attrs, slog.String("note", note))
		if status >= 500 || status == 499 || note == noteRevoked {
			level = slog.LevelWarn
		}
	}
	p.log.LogAttrs(r.Context(), level, "proxy", attrs...)
}

// noteRevoked is logged as a warning: every request will fail until an
// administrator authorizes the application again.
const noteRevoked = "the platform says the profile's access token is revoked or unknown: authorize lpdesk again (lpdesk auth login) and restart the proxy"

// handle answers r and returns a note for the log line when the proxy, not
// the platform, decided the outcome (or the platform said something the
// operator must act on).
func (p *Proxy) handle(w http.ResponseWriter, r *http.Request) string {
	if p.cfg.Token != "" {
		if !p.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="lpdesk proxy"`)
			return p.refuse(w, r, http.StatusUnauthorized, CodeProxyUnauthorized, "missing or wrong bearer token",
				"send the token the proxy was started with as 'Authorization: Bearer …'")
		}
	} else if !loopbackHost(r.Host) {
		return p.refuse(w, r, http.StatusMisdirectedRequest, CodeProxyRefused, "Host "+strconv.Quote(r.Host)+" is not a loopback name",
			"without --token the proxy answers only requests addressed to 127.0.0.1, [::1] or localhost")
	}
	if h := browserSign(r.Header); h != "" {
		return p.refuse(w, r, http.StatusForbidden, CodeProxyRefused, "requests from web browsers are refused",
			"the request carries "+h+", which only a browser sends; the proxy is for scripts (curl, lpdesk), which send no Origin, Referer, Cookie or Sec-Fetch-* header")
	}

	method := r.Method
	switch {
	case method == http.MethodGet, method == http.MethodPost, method == http.MethodPut, method == http.MethodDelete:
	case method == http.MethodPatch && p.generic:
	case p.generic:
		w.Header().Set("Allow", "GET, POST, PUT, PATCH, DELETE")
		return p.refuse(w, r, http.StatusMethodNotAllowed, CodeProxyRefused, "method "+method+" is not forwarded",
			"the proxy forwards GET, POST, PUT, PATCH and DELETE")
	default:
		w.Header().Set("Allow", "GET, POST, PUT, DELETE")
		return p.refuse(w, r, http.StatusMethodNotAllowed, CodeProxyRefused, "method "+method+" is not forwarded",
			"the platform takes GET, POST, PUT and DELETE")
	}
	if ov := r.Header.Get("X-HTTP-Method-Override"); ov != "" && (method == http.MethodPut || method == http.MethodDelete) && !strings.EqualFold(ov, method) {
		return p.refuse(w, r, http.StatusBadRequest, CodeProxyRefused, "conflicting methods",
			fmt.Sprintf("%s with X-HTTP-Method-Override: %s; send POST with the override, or the method alone", method, ov))
	}

	target, err := p.target(r)
	if err != nil {
		return p.refuse(w, r, http.StatusBadRequest, CodeProxyRefused, err.Error(), "")
	}

	var body []byte
	if method != http.MethodGet {
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, p.cfg.MaxRequestBody))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return p.refuse(w, r, http.StatusRequestEntityTooLarge, CodeProxyRefused, "request body too large",
					fmt.Sprintf("the proxy forwards bodies up to %d bytes", p.cfg.MaxRequestBody))
			}
			return "reading the request body: " + err.Error()
		}
		if oauthsig.IsForm(r.Header.Get("Content-Type")) && len(body) > 0 {
			if _, err := oauthsig.ParseForm(string(body)); err != nil {
				return p.refuse(w, r, http.StatusBadRequest, CodeProxyRefused, "the body is not a valid form",
					"Content-Type says application/x-www-form-urlencoded (curl -d sends that by default); for JSON or XML set Content-Type: application/json or application/xml")
			}
		}
	}

	hdr := make(http.Header)
	for _, k := range forwardedHeaders {
		if vs := r.Header.Values(k); len(vs) > 0 {
			hdr[k] = append([]string(nil), vs...)
		}
	}
	resp, err := p.cfg.Client.Do(r.Context(), &apiclient.Request{Method: method, Path: target, Header: hdr, Body: body,
		FormatBy: apiclient.ByAccept, NoLinks: true})
	var apiErr *apiclient.APIError
	switch {
	case err == nil, resp != nil && errors.As(err, &apiErr):
		// The platform answered; pass it on whatever the status.
	case errors.Is(err, apiclient.ErrVersionConflict):
		// The client's version rule, refused before anything was sent.
		return p.refuse(w, r, http.StatusBadRequest, CodeProxyRefused, logging.RedactString(err.Error()), "")
	case resp != nil && errors.Is(err, apiclient.ErrBodyTooLarge):
		return p.refuse(w, r, http.StatusBadGateway, CodeProxyUpstream, "the platform's answer is too large for the proxy",
			logging.RedactString(err.Error())+"; ask for a smaller page (limit/offset)")
	case r.Context().Err() != nil:
		return "client went away"
	case errors.Is(err, context.DeadlineExceeded):
		return p.refuse(w, r, http.StatusGatewayTimeout, CodeProxyTimeout, "the platform did not answer in time", logging.RedactString(err.Error()))
	default:
		return p.refuse(w, r, http.StatusBadGateway, CodeProxyUpstream, "the request could not be sent to the platform", logging.RedactString(err.Error()))
	}
	p.writeResponse(w, r, resp)
	if apiErr != nil && apiErr.AccessRevoked() {
		return noteRevoked
	}
	return ""
}

// authorized compares the presented bearer token with the configured one in
// constant time (over SHA-256 digests, so the length does not leak either).
func (p *Proxy) authorized(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	return subtle.ConstantTimeCompare(got[:], p.tokenHash[:]) == 1
}

func loopbackHost(host string) bool {
	if host == "" {
		return false
	}
	return IsLoopbackAddr(host)
}

// target builds the platform URL for r: the account's full path is taken as
// is, any other path is appended to the account base; the query goes along
// byte for byte.
func (p *Proxy) target(r *http.Request) (string, error) {
	escaped := r.URL.EscapedPath()
	if escaped == "" {
		escaped = "/"
	}
	for _, seg := range strings.Split(r.URL.Path, "/") {
		if seg == "." || seg == ".." {
			return "", errors.New(`"." and ".." path segments are refused: the proxy only reaches the account base`)
		}
	}
	if r.URL.RawQuery != "" {
		params, err := oauthsig.ParseForm(r.URL.RawQuery)
		if err != nil {
			return "", fmt.Errorf("malformed query: %v", err)
		}
		for _, q := range params {
			if strings.HasPrefix(q.Key, "oauth_") {
				return "", fmt.Errorf("query parameter %q is refused: the proxy signs requests itself", q.Key)
			}
		}
	}
	path := escaped
	if !p.underBase(escaped) {
		if escaped == "/" {
			path = p.basePath
		} else {
			path = p.basePath + escaped
		}
	}
	if path == "" {
		path = "/"
	}
	u := p.base.Scheme + "://" + p.base.Host + path
	// A path of a service with a base of its own (the Chat Agent API, …)
	// goes there, as the client sends a relative path.
	if rest := path[len(p.basePath):]; strings.HasPrefix(rest, "/") {
		if sb, ok := p.services[apiclient.ServiceFor(rest)]; ok {
			u = sb.Scheme + "://" + sb.Host + strings.TrimSuffix(sb.EscapedPath(), "/") + rest
		}
	}
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u, nil
}

// underBase: the path is the account base itself, something below it, or
// the base with a format extension (/api/account/1.json).
func (p *Proxy) underBase(escaped string) bool {
	if p.basePath == "" {
		return true
	}
	if !strings.HasPrefix(escaped, p.basePath) {
		return false
	}
	rest := escaped[len(p.basePath):]
	return rest == "" || rest[0] == '/' || rest == wire.JSON.Ext() || rest == wire.XML.Ext()
}

func (p *Proxy) writeResponse(w http.ResponseWriter, r *http.Request, resp *apiclient.Response) {
	h := w.Header()
	// The apiclient's response is the proxy's alone: its value slices are
	// handed on, not copied, and the dropped headers are never added.
	for k, vs := range resp.Header {
		if !droppedResponseHeader[k] {
			h[k] = vs
		}
	}
	for _, k := range resp.Header.Values("Connection") {
		for _, name := range strings.Split(k, ",") {
			h.Del(strings.TrimSpace(name))
		}
	}
	for _, k := range []string{"Location", "Content-Location"} {
		if v := h.Get(k); v != "" {
			h.Set(k, p.rewriteLocation(v, resp.URL, r))
		}
	}
	h["Content-Length"] = []string{strconv.Itoa(len(resp.Body))}
	w.WriteHeader(resp.Status)
	if len(resp.Body) > 0 {
		_, _ = w.Write(resp.Body)
	}
}

// rewriteLocation maps a URL under the platform's account base, or under a
// service's own base for a path of that service, to the same resource on
// the proxy ({base}/skills/7 → http://proxy/skills/7); other URLs are
// returned as they came.
func (p *Proxy) rewriteLocation(loc, requestURL string, r *http.Request) string {
	u, err := url.Parse(loc)
	if err != nil {
		return loc
	}
	if !u.IsAbs() {
		if ref, err := url.Parse(requestURL); err == nil {
			u = ref.ResolveReference(u)
		}
	}
	escaped := u.EscapedPath()
	var rest string
	switch {
	case strings.EqualFold(u.Scheme, p.base.Scheme) && strings.EqualFold(u.Host, p.base.Host) && p.underBase(escaped):
		rest = escaped[len(p.basePath):]
	default:
		// Under one of the services' own bases, for a path of that
		// service: the proxy routes it back there.
		found := false
		for svc, sb := range p.services {
			sp := strings.TrimSuffix(sb.EscapedPath(), "/")
			if strings.EqualFold(u.Scheme, sb.Scheme) && strings.EqualFold(u.Host, sb.Host) && strings.HasPrefix(escaped, sp+"/") &&
				apiclient.ServiceFor(escaped[len(sp):]) == svc {
				rest, found = escaped[len(sp):], true
				break
			}
		}
		if !found {
			return loc
		}
	}
	switch {
	case rest == "":
		rest = "/"
	case rest[0] != '/':
		// the base with an extension: the proxy takes the full path too
		rest = escaped
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	out := scheme + "://" + r.Host + rest
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}

// refuse answers with the platform's error shape in the format the client
// asked for, and returns the note for the log line.
func (p *Proxy) refuse(w http.ResponseWriter, r *http.Request, status, code int, message, reason string) string {
	f := wire.JSON
	if accept := r.Header.Get("Accept"); strings.Contains(accept, "xml") && !strings.Contains(accept, "json") {
		f = wire.XML
	}
	if strings.HasSuffix(r.URL.Path, wire.XML.Ext()) {
		f = wire.XML
	}
	body := wire.Error{
		Time:         time.Now().UTC().Format(time.RFC3339),
		Message:      "lpdesk proxy: " + message,
		Reason:       reason,
		InternalCode: code,
	}.Marshal(f)
	h := w.Header()
	h.Set("Content-Type", f.ContentType())
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Lpdesk-Proxy-Error", strconv.Itoa(code))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	if reason != "" {
		return message + ": " + reason
	}
	return message
}
