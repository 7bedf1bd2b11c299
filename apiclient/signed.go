package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// Signed is one request as lpdesk sent it (or, from DryRun, would send it):
// the signature inspector's view, for comparing with a provider's base string
// when it answers 401, and for replaying with curl. It never holds a secret:
// with PLAINTEXT, whose signature is the secrets themselves, the signature
// reads MaskedSignature wherever it travels.
type Signed struct {
	// Method is the method on the wire (POST for a LivePerson-style PUT).
	Method string
	// URL is the full URL, query included; with the query placement it
	// carries the oauth_* parameters and the signature.
	URL string
	// Header is every header lpdesk set, Authorization with its signature.
	// net/http adds Host, Content-Length and Accept-Encoding on its own.
	Header http.Header
	// Body is the body as sent (with the form placement, the oauth_*
	// parameters appended); nil when the request has none.
	Body []byte
	// BaseString is the signature base string (RFC 5849 §3.4.1), "" when
	// the request was not OAuth-signed.
	BaseString      string
	SignatureMethod oauthsig.Method

	// base is the Client's base URL (read-only), for Curl's `lpdesk
	// proxy` form.
	base *url.URL
}

// sameURL reports whether a and b render the same, field by field.
func sameURL(a, b *url.URL) bool {
	return a == b || *a == *b
}

// MaskedSignature stands in for a PLAINTEXT signature in Signed.
const MaskedSignature = "MASKED-PLAINTEXT-SIGNATURE"

// signed records r, as authorize left it, for the inspector. r is the
// private clone about to be sent, which nothing changes afterwards, so its
// header map is shared rather than copied (every request pays for this).
func (c *Client) signed(r *http.Request, s signing, t *target) *Signed {
	var u string
	if t != nil && sameURL(r.URL, t.url) {
		u = t.str // signed in the header: the URL as resolved
	} else {
		u = r.URL.String()
	}
	out := &Signed{
		Method:     r.Method,
		URL:        u,
		Header:     r.Header,
		BaseString: s.base,
		base:       c.base,
	}
	if s.body != nil {
		out.Body = slices.Clone(s.body)
	}
	if s.base != "" {
		out.SignatureMethod = c.cfg.SignatureMethod
	}
	if out.SignatureMethod.SendsSecrets() {
		out.Header = out.Header.Clone()
		out.mask()
	}
	return out
}

// mask replaces a PLAINTEXT signature in the header, the URL and the body.
func (s *Signed) mask() {
	if h := s.Header.Get("Authorization"); h != "" {
		ps, err := oauthsig.ParseHeader(h)
		if err != nil {
			// Never shown unmasked, even a header lpdesk could not read back.
			ps = []oauthsig.Param{{Key: "oauth_signature", Value: MaskedSignature}}
		}
		for i := range ps {
			if ps[i].Key == "oauth_signature" {
				ps[i].Value = MaskedSignature
			}
		}
		s.Header.Set("Authorization", oauthsig.Header(ps))
	}
	if u, err := url.Parse(s.URL); err == nil {
		u.RawQuery = maskParam(u.RawQuery)
		s.URL = u.String()
	} else if before, query, ok := strings.Cut(s.URL, "?"); ok {
		s.URL = before + "?" + maskParam(query)
	}
	if s.Body != nil && oauthsig.IsForm(s.Header.Get("Content-Type")) {
		s.Body = []byte(maskParam(string(s.Body)))
	}
}

// maskParam replaces the value of every oauth_signature pair of a form or
// query string.
func maskParam(raw string) string {
	pairs := strings.Split(raw, "&")
	for i, pair := range pairs {
		if k, _, _ := strings.Cut(pair, "="); k == "oauth_signature" {
			pairs[i] = k + "=" + MaskedSignature
		}
	}
	return strings.Join(pairs, "&")
}

// proxyPath is s.URL relative to the account base, without oauth_*, or ""
// when it is not under it.
func (s Signed) proxyPath() string {
	u, err := url.Parse(s.URL)
	if err != nil || s.base == nil || !SameOrigin(u, s.base) {
		return ""
	}
	base := strings.TrimSuffix(s.base.EscapedPath(), "/")
	p := u.EscapedPath()
	if p != base && !strings.HasPrefix(p, base+"/") {
		return ""
	}
	rel := strings.TrimPrefix(p, base)
	if rel == "" {
		rel = "/"
	}
	if q := dropParams(u.RawQuery, isOAuthParam); q != "" {
		rel += "?" + q
	}
	return rel
}

// DryRun returns everything Do would send for req's first attempt, signed
// with a fresh nonce and timestamp, and sends nothing. Each call signs
// anew, so two dry runs differ in their nonce.
func (c *Client) DryRun(ctx context.Context, req *Request) (*Signed, error) {
	if req == nil {
		return nil, errors.New("apiclient: nil request")
	}
	p, err := c.prepare(req)
	if err != nil {
		return nil, err
	}
	hr, err := p.newRequest(ctx)
	if err != nil {
		return nil, err
	}
	s, err := c.authorize(hr, p.spec)
	if err != nil {
		return nil, err
	}
	if s.body == nil && p.body != nil && len(p.body) > 0 {
		s.body = p.body
	}
	return c.signed(hr, s, p.target), nil
}

// DefaultProxyPort is the port `lpdesk proxy` listens on by default, for
// Curl's note.
const DefaultProxyPort = 8181

// Curl renders s as a curl command line, every argument single-quoted for a
// POSIX shell, preceded by comment lines: the nonce makes the command
// single-use (the provider refuses it the second time), and `lpdesk proxy`
// signs a fresh copy of the request for every replay instead.
func (s Signed) Curl() string {
	var b strings.Builder
	if s.BaseString != "" {
		b.WriteString("# Single use: the oauth_nonce and oauth_timestamp make the provider refuse this command\n")
		b.WriteString("# a second time (or once the timestamp is stale). To replay it freely, run\n")
		fmt.Fprintf(&b, "# `lpdesk proxy --profile NAME` and send it unsigned through the proxy, which signs each copy:\n")
		proxyPath := s.proxyPath()
		path := proxyPath
		if path == "" {
			path = "/PATH"
		}
		fmt.Fprintf(&b, "#   curl -X %s %s", s.Method, shellQuote(fmt.Sprintf("http://127.0.0.1:%d%s", DefaultProxyPort, path)))
		if s.Body != nil {
			b.WriteString(" (with the same headers and body, minus Authorization and oauth_*")
			if proxyPath == "" {
				b.WriteString("; PATH relative to the profile's base URL")
			}
			b.WriteString(")")
		}
		b.WriteString("\n")
	}
	if s.SignatureMethod.SendsSecrets() {
		b.WriteString("# PLAINTEXT: the signature is the secrets themselves, so it is masked here; only the proxy form replays.\n")
	}
	stdin := s.Body != nil && strings.IndexByte(string(s.Body), 0) >= 0
	if stdin {
		fmt.Fprintf(&b, "# The body (%d bytes) holds NUL bytes, which a shell argument cannot: pipe it on stdin.\n", len(s.Body))
	}
	b.WriteString("curl -X " + shellQuote(s.Method) + " " + shellQuote(s.URL))
	for _, l := range HeaderLines(s.Header) {
		b.WriteString(" \\\n  -H " + shellQuote(l))
	}
	if s.Body != nil {
		if s.Header.Get("Content-Type") == "" {
			// curl would otherwise call the body a form.
			b.WriteString(" \\\n  -H 'Content-Type:'")
		}
		if stdin {
			b.WriteString(" \\\n  --data-binary @-")
		} else {
			b.WriteString(" \\\n  --data-binary " + shellQuote(string(s.Body)))
		}
	}
	b.WriteString("\n")
	return b.String()
}

// shellQuote single-quotes s for a POSIX shell: inside single quotes only
// the quote itself needs care: it becomes quote, backslash-quote, quote
// (close, an escaped quote, reopen).
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// HeaderLines is h as "Name: value" lines, names sorted and a name's values
// in their order: the one way lpdesk shows headers (lpdesk api -i and
// --dry-run, Copy as curl).
func HeaderLines(h http.Header) []string {
	names := make([]string, 0, len(h))
	n := 0
	for k, vs := range h {
		names = append(names, k)
		n += len(vs)
	}
	slices.Sort(names)
	lines := make([]string, 0, n)
	for _, k := range names {
		for _, v := range h[k] {
			lines = append(lines, k+": "+v)
		}
	}
	return lines
}
