// Package oauthsig holds the pure parts of OAuth 1.0a request signing
// (RFC 5849 §3.4): parameter collection, the signature base string, the
// signing key and the Authorization header. It does no I/O, so the client's
// transport and the sandbox's verifier share one implementation and cannot
// silently disagree about what a signature covers.
package oauthsig

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Param is one name/value pair. Requests may repeat a name, so parameters are
// kept as a list rather than a map.
type Param struct {
	Key, Value string
}

// PercentEncode encodes s per RFC 3986 §2.1 over its UTF-8 bytes, leaving
// only A-Z a-z 0-9 - . _ ~ unescaped (RFC 5849 §3.6). It gives the same
// output as dghubble/oauth1's PercentEncode (a test holds it to that), but
// signing runs it hundreds of times per request and that one formats every
// escaped byte with fmt.Sprintf, which made it most of our signing time.
func PercentEncode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved[s[i]] {
			n++
		}
	}
	if n == 0 {
		return s
	}
	return string(appendEncoded(make([]byte, 0, len(s)+2*n), s))
}

// unreserved marks the bytes RFC 3986 §2.3 leaves as they are.
var unreserved = func() (t [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['.'], t['_'], t['~'] = true, true, true, true
	return t
}()

const upperHex = "0123456789ABCDEF"

// appendEncoded appends PercentEncode(s) to dst, copying runs of
// unreserved bytes at once.
func appendEncoded(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreserved[c] {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
			start = i + 1
		}
	}
	return append(dst, s[start:]...)
}

// ParseForm decodes an application/x-www-form-urlencoded string (a raw query
// or a form body) into parameters, keeping repeated keys and their order.
// A name without "=" yields an empty value, as RFC 5849 §3.4.1.3.1 requires.
func ParseForm(raw string) ([]Param, error) {
	if raw == "" {
		return nil, nil
	}
	out := make([]Param, 0, strings.Count(raw, "&")+1)
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
func BaseURI(u *url.URL) string { return string(appendBaseURI(nil, u)) }

// appendBaseURI appends BaseURI(u) to dst.
func appendBaseURI(dst []byte, u *url.URL) []byte {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	dst = append(dst, scheme...)
	dst = append(dst, "://"...)
	if strings.Contains(host, ":") { // IPv6 literal
		dst = append(dst, '[')
		dst = append(dst, host...)
		dst = append(dst, ']')
	} else {
		dst = append(dst, host...)
	}
	if port != "" {
		dst = append(dst, ':')
		dst = append(dst, port...)
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return append(dst, path...)
}

// NormalizeParams is RFC 5849 §3.4.1.3.2: every pair encoded, sorted by
// encoded name then encoded value, joined with "=" and "&". oauth_signature
// is excluded so callers can pass everything they collected; realm is
// excluded only from the Authorization header's parameters (§3.4.1.3.1),
// which BaseString handles, since a query or form "realm" is signed.
func NormalizeParams(params []Param) string {
	enc := sortedEncoded(params)
	var b []byte
	for i, p := range enc {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, p.Key...)
		b = append(b, '=')
		b = append(b, p.Value...)
	}
	return string(b)
}

// sortedEncoded encodes every pair but oauth_signature and sorts them as
// §3.4.1.3.2 orders them.
func sortedEncoded(params []Param) []Param {
	enc := appendEncodedParams(make([]Param, 0, len(params)), params)
	sortParams(enc)
	return enc
}

// appendEncodedParams appends every pair of params but oauth_signature,
// encoded.
func appendEncodedParams(dst, params []Param) []Param {
	for _, p := range params {
		if p.Key != "oauth_signature" {
			dst = append(dst, Param{PercentEncode(p.Key), PercentEncode(p.Value)})
		}
	}
	return dst
}

// mergeSorted sorts enc, made of three runs ([0,a), [a,b), [b,len)), by
// sorting each and merging them; scratch is space for the merge.
func mergeSorted(enc []Param, a, b int, scratch []Param) []Param {
	insertionSort(enc[:a])
	insertionSort(enc[a:b])
	insertionSort(enc[b:])
	out := slices.Grow(scratch[:0], len(enc))
	pos := [3]int{0, a, b}
	end := [3]int{a, b, len(enc)}
	for range enc {
		best := -1
		for r := range pos {
			if pos[r] < end[r] && (best < 0 || paramLess(enc[pos[r]], enc[pos[best]])) {
				best = r
			}
		}
		out = append(out, enc[pos[best]])
		pos[best]++
	}
	return out
}

// insertionSort sorts a few pairs; nearly sorted runs cost one compare
// each.
func insertionSort(ps []Param) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && paramLess(ps[j], ps[j-1]); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func paramLess(a, b Param) bool { return a.Key < b.Key || a.Key == b.Key && a.Value < b.Value }

// sortParams sorts encoded pairs by name, then value (§3.4.1.3.2).
func sortParams(enc []Param) {
	slices.SortFunc(enc, func(a, b Param) int {
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
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
	return BaseStringParsed(method, u, query, form, protocol), nil
}

// BaseStringParsed is BaseString for a caller that has parsed u's query
// already (ParseForm(u.RawQuery)), as a verifier has to find oauth_*
// parameters there: reading the query twice was a tenth of a verification.
func BaseStringParsed(method string, u *url.URL, query, form, protocol []Param) string {
	return string(AppendBaseString(nil, method, u, query, form, protocol))
}

// AppendBaseString appends BaseStringParsed's base string to dst, for a
// verifier that hands it to SignBytes without making a string of it.
func AppendBaseString(dst []byte, method string, u *url.URL, query, form, protocol []Param) []byte {
	// Encoded straight into one slice (on the stack for a typical call):
	// what sortedEncoded does, without the copy it starts from.
	var encBuf [16]Param
	enc := encBuf[:0]
	if n := len(query) + len(form) + len(protocol); n > len(encBuf) {
		enc = make([]Param, 0, n)
	}
	enc = appendEncodedParams(enc, query)
	nq := len(enc)
	enc = appendEncodedParams(enc, form)
	nf := len(enc)
	for _, p := range protocol {
		if p.Key != "realm" && p.Key != "oauth_signature" { // the header's realm is never signed
			enc = append(enc, Param{PercentEncode(p.Key), PercentEncode(p.Value)})
		}
	}
	// Each source sorted on its own, then merged: the protocol
	// parameters usually arrive sorted, and one sort of them all moved
	// every oauth_* pair past the query's one step at a time.
	var mergeBuf [16]Param
	enc = mergeSorted(enc, nq, nf, mergeBuf[:0])

	// One buffer, sized once: method & enc(base URI) & enc(normalized).
	var uriBuf [256]byte
	baseURI := appendBaseURI(uriBuf[:0], u)
	size := len(method) + 2 + 3*len(baseURI)
	for _, p := range enc {
		size += 3*(len(p.Key)+len(p.Value)) + 6
	}
	b := slices.Grow(dst, size)
	for i := 0; i < len(method); i++ {
		c := method[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	b = append(b, '&')
	for _, c := range baseURI {
		if unreserved[c] {
			b = append(b, c)
		} else {
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	b = append(b, '&')
	for i, p := range enc {
		if i > 0 {
			b = append(b, "%26"...)
		}
		// p is encoded once already; the base string encodes it again.
		b = appendEncoded(b, p.Key)
		b = append(b, "%3D"...)
		b = appendEncoded(b, p.Value)
	}
	return b
}

// SignBytes is Sign over a base string held as bytes (AppendBaseString).
func SignBytes(m Method, consumerSecret, tokenSecret string, base []byte) (string, error) {
	switch m {
	case HMACSHA1, HMACSHA256:
		return hmacSign(m, consumerSecret, tokenSecret, base), nil
	}
	return Sign(m, consumerSecret, tokenSecret, string(base))
}

// hmacSign is what dghubble/oauth1's HMAC signers compute (a test holds it
// to that), with this package's PercentEncode for the key (theirs formats
// each escaped byte with fmt.Sprintf) and the keyed HMAC reused from
// macPools: keying one costs as much as hashing a base string.
func hmacSign(method Method, consumerSecret, tokenSecret string, base []byte) string {
	pool := macPool(macKey{method, consumerSecret, tokenSecret})
	mac := pool.Get().(hash.Hash)
	mac.Reset()
	mac.Write(base)
	var sum [sha256.Size]byte
	out := base64.StdEncoding.EncodeToString(mac.Sum(sum[:0]))
	pool.Put(mac)
	return out
}

// Check reports whether sig (base64, as in oauth_signature) is the HMAC
// signature of base, comparing in constant time and allocating nothing:
// a verifier's SignBytes and Equal in one. Other methods go through Verify.
func Check(method Method, consumerSecret, tokenSecret string, base []byte, sig string) (bool, error) {
	switch method {
	case HMACSHA1, HMACSHA256:
	default:
		return false, fmt.Errorf("%w %q", ErrUnsupportedMethod, method)
	}
	pool := macPool(macKey{method, consumerSecret, tokenSecret})
	mac := pool.Get().(hash.Hash)
	mac.Reset()
	mac.Write(base)
	var sum [sha256.Size]byte
	var enc [44]byte // base64 of a SHA-256 sum
	s := mac.Sum(sum[:0])
	pool.Put(mac)
	n := base64.StdEncoding.EncodedLen(len(s))
	base64.StdEncoding.Encode(enc[:n], s)
	return subtle.ConstantTimeCompare(enc[:n], []byte(sig)) == 1, nil
}

// macKey names a keyed HMAC: the method and the two secrets it is keyed
// with.
type macKey struct {
	method                      Method
	consumerSecret, tokenSecret string
}

// macPools holds a pool of keyed HMACs per key a verifier has seen; past
// maxMACKeys it starts over, so keys of revoked tokens do not pile up.
var (
	macPools   sync.Map // macKey → *sync.Pool
	macCount   atomic.Int64
	maxMACKeys = int64(4096)
)

func macPool(k macKey) *sync.Pool {
	if p, ok := macPools.Load(k); ok {
		return p.(*sync.Pool)
	}
	key := make([]byte, 0, len(k.consumerSecret)+len(k.tokenSecret)+1)
	key = appendEncoded(key, k.consumerSecret)
	key = append(key, '&')
	key = appendEncoded(key, k.tokenSecret)
	newHash := sha1.New
	if k.method == HMACSHA256 {
		newHash = sha256.New
	}
	p := &sync.Pool{New: func() any { return hmac.New(newHash, key) }}
	if macCount.Add(1) > maxMACKeys {
		macPools.Clear()
		macCount.Store(1)
	}
	actual, _ := macPools.LoadOrStore(k, p)
	return actual.(*sync.Pool)
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
// Authorization header value, names sorted so the output is stable, except
// that a realm comes first, where providers' own examples put it.
func Header(protocol []Param) string {
	ps := slices.Clone(protocol)
	slices.SortStableFunc(ps, func(a, b Param) int {
		if (a.Key == "realm") != (b.Key == "realm") {
			if a.Key == "realm" {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Key, b.Key)
	})
	size := len("OAuth ")
	for _, p := range ps {
		size += 3*(len(p.Key)+len(p.Value)) + 5
	}
	b := make([]byte, 0, size)
	b = append(b, "OAuth "...)
	for i, p := range ps {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendEncoded(b, p.Key)
		b = append(b, '=', '"')
		b = appendEncoded(b, p.Value)
		b = append(b, '"')
	}
	return string(b)
}

// pathUnescape is url.PathUnescape, which leaves a string without '%'
// as it is (it turns no '+' into a space): that case, most of a header's
// parameters, is found with one vectorized scan.
func pathUnescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 {
		return s, nil
	}
	return url.PathUnescape(s)
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
	// Every signed call's header comes here: the parameters are counted
	// first and walked with Cut, so the only allocation is the result
	// (and an escaped value).
	out := make([]Param, 0, strings.Count(rest, ",")+1)
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, fmt.Errorf("malformed OAuth header parameter %q", k)
		}
		key, err := pathUnescape(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("OAuth header parameter name: %w", err)
		}
		val, err := pathUnescape(v[1 : len(v)-1])
		if err != nil {
			return nil, fmt.Errorf("OAuth header parameter %q: %w", key, err)
		}
		out = append(out, Param{key, val})
	}
	return out, nil
}
