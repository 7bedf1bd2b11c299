package apiclient

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// ErrUnsafeURL is returned, before sending, for an absolute request URL on
// another host than the base URL that is neither https nor loopback:
// credentials are not sent there in the clear.
var ErrUnsafeURL = errors.New("refusing to send credentials to a plain-http host other than the account's")

// resolve builds the request URL: path joined to the base of its service
// (ServiceFor), or taken as an absolute URL exactly as given; the query
// from path kept as sent, Request.Query appended in order with RFC 3986
// encoding, and v=1 added unless present. In the generic dialect a
// relative path always joins BaseURL and nothing is added.
func (c *Client) resolve(path string, query []oauthsig.Param, a Auth) (*url.URL, parsedQuery, error) {
	var u *url.URL
	lower := strings.ToLower(path)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		abs, err := url.Parse(path)
		if err != nil {
			return nil, parsedQuery{}, fmt.Errorf("apiclient: URL %q: %w", redactRaw(path), err)
		}
		if abs.Host == "" {
			return nil, parsedQuery{}, fmt.Errorf("apiclient: URL %q has no host", redactRaw(path))
		}
		// A link to another host gets our credentials too, so it must meet
		// the redirect rule: https, or loopback.
		if a != AuthNone && !SameOrigin(abs, c.base) && !safeTarget(abs, c.cfg.AllowInsecureHTTP) {
			return nil, parsedQuery{}, fmt.Errorf("apiclient: %w: %s (%w)", ErrUnsafeURL, redactURL(abs), ErrInsecureHTTP)
		}
		u = abs
	} else {
		p, rawQuery, _ := strings.Cut(path, "?")
		p, _, _ = strings.Cut(p, "#")
		rawQuery, _, _ = strings.Cut(rawQuery, "#")
		// A leading slash keeps "a:b" from parsing as a scheme.
		rel, err := url.Parse("/" + strings.TrimPrefix(p, "/"))
		if err != nil {
			return nil, parsedQuery{}, fmt.Errorf("apiclient: path %q: %w", p, err)
		}
		// Each service's base is an origin the Client was given (the
		// profile recorded it from the Domain API): sending there is not a
		// redirect, so the cross-origin rule does not apply.
		base := c.base
		if c.cfg.Dialect != DialectGeneric {
			base = c.serviceBase(ServiceFor(p))
		}
		cp := *base
		u = &cp
		if rel.Path != "/" {
			joined := strings.TrimSuffix(base.EscapedPath(), "/") + rel.EscapedPath()
			if u.Path, err = url.PathUnescape(joined); err != nil {
				return nil, parsedQuery{}, fmt.Errorf("apiclient: path %q: %w", p, err)
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
	q, err := readQueryAs(u.RawQuery, a, c.cfg.Dialect)
	if err != nil {
		return nil, parsedQuery{}, err
	}
	u.RawQuery = q.raw
	return u, q, nil
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
