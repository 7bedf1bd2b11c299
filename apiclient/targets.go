package apiclient

import (
	"net/url"
	"strings"
	"sync"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// target is a request URL as resolve (and the format extension) made it,
// with what every request to it needs again: read-only once made, so the
// requests for one path share it.
type target struct {
	url    *url.URL
	query  parsedQuery
	origin *url.URL
	// str is url.String(): Signed.URL for a request signed in the header.
	str string
	// redacted is redactURL(url): Response.URL when nothing redirected.
	redacted string
	// encBaseURI is url's base URI (RFC 5849 §3.4.1.2) percent-encoded,
	// as the signature base string holds it.
	encBaseURI string
}

// sameBaseURI reports whether u has v's base URI for certain: the fields
// it is made of are equal.
func sameBaseURI(u, v *url.URL) bool {
	return u == v || (u.Scheme == v.Scheme && u.Host == v.Host && u.Path == v.Path && u.RawPath == v.RawPath && u.Opaque == v.Opaque)
}

// targetKey is everything a target depends on besides the Client's fixed
// settings: the auth mode decides what resolve refuses, ext is the
// extension added (ByExtension), "" for none.
type targetKey struct {
	path string
	auth Auth
	ext  wire.Format
}

// targetCache remembers the targets of the paths a Client sends to (a UI
// or an agent polls the same few), so that resolving one, a tenth of a
// request's client-side time, is done once. It is bounded: past
// maxTargets entries it starts again empty.
type targetCache struct {
	mu sync.RWMutex
	m  map[targetKey]*target
}

const (
	maxTargets    = 256
	maxTargetPath = 2048 // longer paths are resolved each time
)

// target resolves path (with query appended) for auth and, unless ext is
// "", adds the extension, through the cache when there is no query.
func (c *Client) target(path string, query []oauthsig.Param, auth Auth, ext wire.Format) (*target, error) {
	cacheable := len(query) == 0 && len(path) <= maxTargetPath
	key := targetKey{path, auth, ext}
	if cacheable {
		c.targets.mu.RLock()
		t := c.targets.m[key]
		c.targets.mu.RUnlock()
		if t != nil {
			return t, nil
		}
	}
	u, q, err := c.resolve(path, query, auth)
	if err != nil {
		return nil, err
	}
	if ext != "" {
		addExtension(u, ext)
	}
	t := &target{url: u, query: q, origin: originOf(u), str: u.String(), redacted: redactURL(u),
		encBaseURI: encodedBaseURI(u)}
	if cacheable {
		c.targets.mu.Lock()
		if c.targets.m == nil || len(c.targets.m) >= maxTargets {
			c.targets.m = make(map[targetKey]*target)
		}
		c.targets.m[key] = t
		c.targets.mu.Unlock()
	}
	return t, nil
}

// sameAfterRedaction reports whether u, the URL a response came from, is
// t's URL with at most oauth_* parameters appended (what signing in the
// query adds), so that redacting it gives t.redacted without rendering u.
// A redirect elsewhere, or appKey added to the query, gives false.
func (t *target) sameAfterRedaction(u *url.URL) bool {
	v := t.url
	if u == v {
		return true
	}
	if u.Scheme != v.Scheme || u.Host != v.Host || u.Path != v.Path || u.RawPath != v.RawPath || u.Opaque != v.Opaque ||
		u.User != v.User || u.Fragment != v.Fragment || u.RawFragment != v.RawFragment || u.ForceQuery != v.ForceQuery {
		return false
	}
	rest, ok := strings.CutPrefix(u.RawQuery, v.RawQuery)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	if v.RawQuery != "" {
		// Redaction rebuilds a query it drops from without its empty
		// pairs, which v's own redaction kept.
		if strings.Contains("&"+v.RawQuery+"&", "&&") {
			return false
		}
		if rest, ok = strings.CutPrefix(rest, "&"); !ok {
			return false
		}
	}
	return !anyKey(rest, func(k string) bool { return !isOAuthParam(k) })
}

// encodedBaseURI is u's base URI percent-encoded, as the base string holds
// it.
func encodedBaseURI(u *url.URL) string { return string(appendEncodedBytes(nil, appendBaseURI(nil, u))) }
