// Package oauthsig holds the pure parts of OAuth 1.0a request signing
// (RFC 5849 §3.4): parameter collection, the signature base string, the
// signing key and the Authorization header. It does no I/O, so the client's
// transport and the sandbox's verifier share one implementation and cannot
// silently disagree about what a signature covers.
package oauthsig

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dghubble/oauth1"
)

// Signature method names as they appear in oauth_signature_method.
const (
	HMACSHA1   = "HMAC-SHA1"
	HMACSHA256 = "HMAC-SHA256"
)

// Param is one name/value pair. Requests may repeat a name, so parameters are
// kept as a list rather than a map.
type Param struct {
	Key, Value string
}

// PercentEncode encodes s per RFC 3986 §2.1 over its UTF-8 bytes, leaving
// only A-Z a-z 0-9 - . _ ~ unescaped (RFC 5849 §3.6).
func PercentEncode(s string) string { return oauth1.PercentEncode(s) }

// ParseForm decodes an application/x-www-form-urlencoded string (a raw query
// or a form body) into parameters, keeping repeated keys and their order.
// A name without "=" yields an empty value, as RFC 5849 §3.4.1.3.1 requires.
func ParseForm(raw string) ([]Param, error) {
	var out []Param
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("parameter name %q: %w", k, err)
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("value of %q: %w", key, err)
		}
		out = append(out, Param{key, val})
	}
	return out, nil
}

// BaseURI is the base string URI of RFC 5849 §3.4.1.2: scheme and host in
// lower case, the default port dropped, the path kept, query and fragment
// dropped.
func BaseURI(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path
}

// NormalizeParams is RFC 5849 §3.4.1.3.2: every pair encoded, sorted by
// encoded name then encoded value, joined with "=" and "&". oauth_signature
// and realm are excluded here so callers can pass everything they collected.
func NormalizeParams(params []Param) string {
	enc := make([]Param, 0, len(params))
	for _, p := range params {
		if p.Key == "oauth_signature" || p.Key == "realm" {
			continue
		}
		enc = append(enc, Param{PercentEncode(p.Key), PercentEncode(p.Value)})
	}
	sort.Slice(enc, func(i, j int) bool {
		if enc[i].Key != enc[j].Key {
			return enc[i].Key < enc[j].Key
		}
		return enc[i].Value < enc[j].Value
	})
	var b strings.Builder
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.Key)
		b.WriteByte('=')
		b.WriteString(p.Value)
	}
	return b.String()
}

// BaseString builds the signature base string of RFC 5849 §3.4.1 from the
// wire method, the request URL (its query is part of the parameters), the
// form body parameters (nil when the body is not form-encoded) and the oauth_*
// protocol parameters.
func BaseString(method string, u *url.URL, form []Param, protocol []Param) (string, error) {
	query, err := ParseForm(u.RawQuery)
	if err != nil {
		return "", fmt.Errorf("query: %w", err)
	}
	all := make([]Param, 0, len(query)+len(form)+len(protocol))
	all = append(all, query...)
	all = append(all, form...)
	all = append(all, protocol...)
	return strings.ToUpper(method) + "&" + PercentEncode(BaseURI(u)) + "&" + PercentEncode(NormalizeParams(all)), nil
}

// ErrUnsupportedMethod is returned for a signature method other than
// HMAC-SHA1 or HMAC-SHA256.
var ErrUnsupportedMethod = errors.New("unsupported oauth_signature_method")

// Sign computes the base64 signature of base with the key
// enc(consumerSecret)&enc(tokenSecret), reusing dghubble/oauth1's signers.
func Sign(method, consumerSecret, tokenSecret, base string) (string, error) {
	switch method {
	case HMACSHA1:
		return (&oauth1.HMACSigner{ConsumerSecret: consumerSecret}).Sign(tokenSecret, base)
	case HMACSHA256:
		return (&oauth1.HMAC256Signer{ConsumerSecret: consumerSecret}).Sign(tokenSecret, base)
	}
	return "", fmt.Errorf("%w %q", ErrUnsupportedMethod, method)
}

// Equal compares two signatures in constant time.
func Equal(a, b string) bool {
	return hmac.Equal([]byte(a), []byte(b))
}

// Nonce returns a random 32-character nonce.
func Nonce() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Timestamp formats t as oauth_timestamp.
func Timestamp(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// Header renders protocol parameters (including oauth_signature) as an
// Authorization header value, names sorted so the output is stable.
func Header(protocol []Param) string {
	ps := append([]Param(nil), protocol...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Key < ps[j].Key })
	var b strings.Builder
	b.WriteString("OAuth ")
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(PercentEncode(p.Key))
		b.WriteString(`="`)
		b.WriteString(PercentEncode(p.Value))
		b.WriteByte('"')
	}
	return b.String()
}

// ErrNotOAuth is returned by ParseHeader for a header of another scheme.
var ErrNotOAuth = errors.New("not an OAuth authorization header")

// ParseHeader parses an "OAuth k="v", …" Authorization header (RFC 5849
// §3.5.1). realm is returned like any other parameter; callers drop it.
func ParseHeader(h string) ([]Param, error) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.EqualFold(scheme, "OAuth") {
		return nil, ErrNotOAuth
	}
	var out []Param
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, fmt.Errorf("malformed OAuth header parameter %q", k)
		}
		key, err := url.PathUnescape(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("OAuth header parameter name: %w", err)
		}
		val, err := url.PathUnescape(v[1 : len(v)-1])
		if err != nil {
			return nil, fmt.Errorf("OAuth header parameter %q: %w", key, err)
		}
		out = append(out, Param{key, val})
	}
	return out, nil
}
