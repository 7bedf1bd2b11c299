package apiclient

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// authTransport applies the request's authentication to every attempt it
// carries, so each redirect hop and retry gets a signature (or key) computed
// for its own method and URL, with a fresh nonce and timestamp. A hop to
// another origin is refused instead (authSpec.checkOrigin): credentials and
// bodies stay with the origin the request was sent to.
type authTransport struct {
	c    *Client
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper. The caller's request is cloned,
// never modified.
func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	sp, ok := req.Context().Value(specKey{}).(*authSpec)
	if !ok {
		return t.base.RoundTrip(req)
	}
	spec := *sp
	if err := spec.checkOrigin(req); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	// The attempt's own request is signed as it is: the Client built it
	// for this attempt alone, and net/http copied its header for any
	// redirect before sending it. Any other (a redirect's) is copied.
	r := req
	if req != spec.own {
		r = signingCopy(req)
	}
	s, err := t.c.authorize(r, spec)
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	if spec.sent != nil && spec.auth == AuthOAuth {
		*spec.sent = t.c.signed(r, s, spec.target)
	}
	return t.base.RoundTrip(r)
}

// signingCopy is the copy of req that authorize may change: its own
// header (with room for Authorization) and URL (a query placement rewrites
// it); the rest is shared, as with Request.WithContext. Request.Clone would
// also copy the URL's user info, the trailer and the forms, which signing
// never touches, and was a fifth of the client's allocations.
func signingCopy(req *http.Request) *http.Request {
	r := req.WithContext(req.Context())
	r.Header = cloneHeader(req.Header, 1)
	u := *req.URL
	r.URL = &u
	return r
}

// authorize adds credentials to r (already a private clone) for its current
// method and URL.
func (c *Client) authorize(r *http.Request, spec authSpec) (signing, error) {
	switch spec.auth {
	case AuthNone:
		return signing{}, nil
	case AuthAppKey:
		r.Header.Del("Authorization")
		key := c.cfg.Credentials.ConsumerKey
		if spec.placement == PlaceQuery {
			r.URL.RawQuery = appendRaw(dropParams(r.URL.RawQuery, func(k string) bool { return k == "appKey" }), "appKey", key)
		} else {
			r.Header.Set("Authorization", "LivePerson appKey="+key)
		}
		return signing{}, nil
	}

	r.Header.Del("Authorization")
	// oauth_* already in the query (a redirect echoing the signed URL back)
	// would be signed twice and refused as duplicates: drop them.
	r.URL.RawQuery = dropParams(r.URL.RawQuery, isOAuthParam)
	body, err := requestBody(r, spec.body)
	if err != nil {
		return signing{}, fmt.Errorf("sign: body: %w", err)
	}
	return c.signOAuth(r, spec, body)
}

func isOAuthParam(k string) bool { return strings.HasPrefix(k, "oauth_") }

// dropParams removes the pairs whose decoded name matches, keeping every
// other pair byte for byte. With nothing to drop (every signed request) the
// string is returned as it is, without splitting and joining it.
func dropParams(raw string, drop func(string) bool) string {
	if raw == "" || !anyKey(raw, drop) {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		if k, _, _ := strings.Cut(pair, "="); matchKey(k, drop) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(pair)
	}
	return b.String()
}

// anyKey reports whether a pair's decoded name matches drop.
func anyKey(raw string, drop func(string) bool) bool {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if k, _, _ := strings.Cut(pair, "="); pair != "" && matchKey(k, drop) {
			return true
		}
	}
	return false
}

// matchKey decodes k only when it holds an escape; an undecodable name is
// kept, as before.
func matchKey(k string, drop func(string) bool) bool {
	if !strings.ContainsAny(k, "%+") {
		return drop(k)
	}
	dk, err := url.QueryUnescape(k)
	return err == nil && drop(dk)
}

func appendRaw(raw, k, v string) string {
	pair := oauthsig.PercentEncode(k) + "=" + oauthsig.PercentEncode(v)
	if raw == "" {
		return pair
	}
	return raw + "&" + pair
}

// ErrUnsafeRedirect is returned when a redirect points somewhere other than
// https or a loopback address (or plain http when the Client allows it), or
// would take an https request down to plain http.
var ErrUnsafeRedirect = errors.New("redirect refused: target is neither https nor loopback")

// ErrTooManyRedirects is returned after MaxRedirects redirects.
var ErrTooManyRedirects = errors.New("too many redirects")

// redirectPolicy enforces the redirect rules for the Client and Discover:
// https or loopback targets only (plain http elsewhere only when
// allowInsecure, and never as a downgrade from https), at most MaxRedirects,
// no caller-set Authorization or Cookie sent to another host, no method
// override left on a request the redirect turned into a GET, and v=1 kept
// (on the LivePerson-style platform only).
func redirectPolicy(allowInsecure bool, d Dialect) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > MaxRedirects {
			return fmt.Errorf("%w (more than %d)", ErrTooManyRedirects, MaxRedirects)
		}
		if !safeTarget(req.URL, allowInsecure) {
			return fmt.Errorf("%w: %s", ErrUnsafeRedirect, redactURL(req.URL))
		}
		if prev := via[len(via)-1].URL; strings.EqualFold(prev.Scheme, "https") && InsecureURL(req.URL) {
			return fmt.Errorf("%w: %s (from https down to plain http)", ErrUnsafeRedirect, redactURL(req.URL))
		}
		if !SameOrigin(req.URL, via[0].URL) {
			req.Header.Del("Authorization")
			req.Header.Del("Cookie")
		}
		if req.Method == http.MethodGet && via[len(via)-1].Method != http.MethodGet {
			req.Header.Del("X-HTTP-Method-Override")
			req.Header.Del("Content-Type")
			req.Header.Del("If-Match")
		}
		// The redirect target is read as a request's query is (the v
		// rule), but not refused for a query it cannot read: the server
		// wrote it, and answers for it.
		if d == DialectGeneric {
			return nil
		}
		if q, err := appendQueryParams(nil, req.URL.RawQuery, ""); err == nil {
			pq := parsedQuery{raw: req.URL.RawQuery, params: q}
			if err := pq.version(); err != nil {
				return fmt.Errorf("redirect to %s: %w", redactURL(req.URL), err)
			}
			req.URL.RawQuery = pq.raw
		}
		return nil
	}
}

// safeTarget: https, http to loopback, or any http when allowInsecure.
func safeTarget(u *url.URL, allowInsecure bool) bool {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return true
	case "http":
		return allowInsecure || IsLoopback(u.Hostname())
	}
	return false
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// redactURL renders u without oauth_* parameters (signature, token, nonce),
// for logs, errors and Response.URL.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	cp := *u
	cp.RawQuery = dropParams(cp.RawQuery, isOAuthParam)
	cp.User = nil
	return cp.String()
}

func redactRaw(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return redactURL(u)
}

// redactErr rewrites the URL inside a *url.Error so that a query-signed
// request's signature cannot reach an error string.
func redactErr(err error) {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactRaw(ue.URL)
	}
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
