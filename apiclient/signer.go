package apiclient

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// signer is a Client's OAuth 1.0a HMAC signer. Everything that is the same
// for every request of the Client (the encoded consumer key, token,
// signature method and version, the HMAC key) is encoded once in New, and
// the per-request work appends into pooled buffers, so a signature costs a
// small multiple of the HMAC itself. It produces exactly what
// oauthsig.BaseString, oauthsig.Sign and oauthsig.Header would (a test holds
// it to that).
type signer struct {
	consumerKey string // percent-encoded
	method      string // percent-encoded signature method
	token       string // percent-encoded; "" when there is no token
	hmacs       sync.Pool
	bufs        sync.Pool
}

func newSigner(method oauthsig.Method, cr Credentials) *signer {
	key := []byte(oauthsig.PercentEncode(cr.ConsumerSecret) + "&" + oauthsig.PercentEncode(cr.TokenSecret))
	newHash := sha1.New
	if method == oauthsig.HMACSHA256 {
		newHash = sha256.New
	}
	s := &signer{
		consumerKey: oauthsig.PercentEncode(cr.ConsumerKey),
		method:      oauthsig.PercentEncode(string(method)),
		token:       oauthsig.PercentEncode(cr.Token),
	}
	s.hmacs.New = func() any { return hmac.New(newHash, key) }
	s.bufs.New = func() any { b := make([]byte, 0, 1024); return &b }
	return s
}

// sign signs r (a private clone with oauth_* already dropped from its query)
// with form as its form-body parameters, into the header or the query; q
// is r's query as prepare read it. It returns the signature base string
// (for Signed). Every buffer but the pooled one and that copy lives on the
// stack.
//
// encURI, when not "", is r's base URI already percent-encoded for the
// base string (target.encBaseURI).
func (s *signer) sign(r *http.Request, q parsedQuery, form []oauthsig.Param, now time.Time, query bool, encURI string) (string, error) {
	var nonceBuf [32]byte
	nonce := newNonce(&nonceBuf)
	var tsBuf [20]byte
	ts := string(strconv.AppendInt(tsBuf[:0], now.Unix(), 10))

	var arr [32]encParam
	ps, err := s.params(arr[:0], r.URL.RawQuery, q, form, nonce, ts)
	if err != nil {
		return "", err
	}
	bp := s.bufs.Get().(*[]byte)
	defer s.bufs.Put(bp)
	b := appendBaseString((*bp)[:0], r.Method, r.URL, encURI, ps)
	var sigBuf [44]byte // base64 of a SHA-256 sum
	sig := s.signature(sigBuf[:0], b)
	base := string(b)

	// The output reuses the base-string buffer: the base is no longer needed.
	if query {
		b = s.appendQuery(b[:0], r.URL.RawQuery, nonce, ts, sig)
		r.URL.RawQuery = string(b)
	} else {
		b = s.appendHeader(b[:0], nonce, ts, sig)
		r.Header["Authorization"] = []string{string(b)}
	}
	*bp = b
	return base, nil
}

// newNonce fills buf with 24 random bytes in unpadded base64url: unreserved
// characters only, so already percent-encoded.
func newNonce(buf *[32]byte) string {
	var nb [24]byte
	if _, err := rand.Read(nb[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	base64.RawURLEncoding.Encode(buf[:], nb[:])
	return string(buf[:])
}

// params appends to dst the parameters the signature covers (RFC 5849
// §3.4.1.3), each percent-encoded, sorted: the query's, the form body's and
// the oauth_* protocol parameters. The query's come from q when rawQuery is
// the query q was read from (every attempt but a redirect's), so a
// request's query is read once.
func (s *signer) params(dst []encParam, rawQuery string, q parsedQuery, form []oauthsig.Param, nonce, ts string) ([]encParam, error) {
	if q.raw == rawQuery {
		dst = append(dst, q.params...)
	} else {
		var err error
		if dst, err = appendQueryParams(dst, rawQuery, "oauth_signature"); err != nil {
			return nil, fmt.Errorf("sign: query: %w", err)
		}
	}
	for _, p := range form {
		if p.Key != "oauth_signature" {
			dst = append(dst, encParam{oauthsig.PercentEncode(p.Key), oauthsig.PercentEncode(p.Value)})
		}
	}
	dst = append(dst,
		encParam{"oauth_consumer_key", s.consumerKey},
		encParam{"oauth_nonce", nonce},
		encParam{"oauth_signature_method", s.method},
		encParam{"oauth_timestamp", ts},
		encParam{"oauth_version", "1.0"})
	if s.token != "" {
		dst = append(dst, encParam{"oauth_token", s.token})
	}
	slices.SortFunc(dst, func(a, b encParam) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	return dst, nil
}

// appendBaseString appends the signature base string (RFC 5849 §3.4.1):
// the method in upper case, the base URI and the sorted parameters, each
// percent-encoded again.
func appendBaseString(b []byte, method string, u *url.URL, encURI string, ps []encParam) []byte {
	for i := 0; i < len(method); i++ {
		c := method[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	b = append(b, '&')
	if encURI != "" {
		b = append(b, encURI...)
	} else {
		var uriBuf [256]byte
		b = appendEncodedBytes(b, appendBaseURI(uriBuf[:0], u))
	}
	b = append(b, '&')
	for i, p := range ps {
		if i > 0 {
			b = append(b, "%26"...)
		}
		b = appendEncoded(b, p.k)
		b = append(b, "%3D"...)
		b = appendEncoded(b, p.v)
	}
	return b
}

// signature appends to dst the base64 HMAC of base under the signer's key.
func (s *signer) signature(dst []byte, base []byte) []byte {
	h := s.hmacs.Get().(hash.Hash)
	h.Reset()
	h.Write(base)
	var sumBuf [sha256.Size]byte
	sum := h.Sum(sumBuf[:0])
	s.hmacs.Put(h)
	n := base64.StdEncoding.EncodedLen(len(sum))
	dst = dst[:n]
	base64.StdEncoding.Encode(dst, sum)
	return dst
}

// appendQuery appends the signed query: rawQuery and then the protocol
// parameters, oauth_signature last.
func (s *signer) appendQuery(b []byte, rawQuery, nonce, ts string, sig []byte) []byte {
	b = append(b, rawQuery...)
	for _, p := range [...]encParam{{"oauth_consumer_key", s.consumerKey}, {"oauth_nonce", nonce},
		{"oauth_signature_method", s.method}, {"oauth_timestamp", ts}, {"oauth_token", s.token},
		{"oauth_version", "1.0"}} {
		if p.k == "oauth_token" && s.token == "" {
			continue
		}
		b = appendPair(b, p.k, p.v)
	}
	b = appendPair(b, "oauth_signature", "")
	return appendEncodedBytes(b, sig)
}

// appendHeader appends the Authorization header's value, its parameters
// sorted by name.
func (s *signer) appendHeader(b []byte, nonce, ts string, sig []byte) []byte {
	b = append(b, `OAuth oauth_consumer_key="`...)
	b = append(b, s.consumerKey...)
	b = append(b, `", oauth_nonce="`...)
	b = append(b, nonce...)
	b = append(b, `", oauth_signature="`...)
	b = appendEncodedBytes(b, sig)
	b = append(b, `", oauth_signature_method="`...)
	b = append(b, s.method...)
	b = append(b, `", oauth_timestamp="`...)
	b = append(b, ts...)
	if s.token != "" {
		b = append(b, `", oauth_token="`...)
		b = append(b, s.token...)
	}
	return append(b, `", oauth_version="1.0"`...)
}

// appendPair appends "&k=v" (or "k=v" to an empty query); k and v are
// already encoded.
func appendPair(b []byte, k, v string) []byte {
	if len(b) > 0 {
		b = append(b, '&')
	}
	b = append(b, k...)
	b = append(b, '=')
	return append(b, v...)
}

const upperHex = "0123456789ABCDEF"

// unreservedByte marks the bytes RFC 3986 §2.3 leaves as they are.
var unreservedByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
	}
	return t
}()

// appendEncoded appends oauthsig.PercentEncode(s), copying runs of
// unreserved bytes at once.
func appendEncoded(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreservedByte[c] {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
			start = i + 1
		}
	}
	return append(dst, s[start:]...)
}

func appendEncodedBytes(dst, s []byte) []byte {
	for _, c := range s {
		dst = appendEncodedByte(dst, c)
	}
	return dst
}

func appendEncodedByte(dst []byte, c byte) []byte {
	if unreservedByte[c] {
		return append(dst, c)
	}
	return append(dst, '%', upperHex[c>>4], upperHex[c&15])
}

// appendBaseURI appends oauthsig.BaseURI(u) to dst without building
// intermediate strings.
func appendBaseURI(dst []byte, u *url.URL) []byte {
	for i := 0; i < len(u.Host); i++ {
		if u.Host[i] >= 0x80 { // strings.ToLower's Unicode rules apply
			return append(dst, oauthsig.BaseURI(u)...)
		}
	}
	for i := 0; i < len(u.Scheme); i++ {
		dst = append(dst, lower(u.Scheme[i]))
	}
	dst = append(dst, "://"...)
	host, port := u.Hostname(), u.Port()
	if (strings.EqualFold(u.Scheme, "http") && port == "80") || (strings.EqualFold(u.Scheme, "https") && port == "443") {
		port = ""
	}
	v6 := strings.Contains(host, ":")
	if v6 {
		dst = append(dst, '[')
	}
	for i := 0; i < len(host); i++ {
		dst = append(dst, lower(host[i]))
	}
	if v6 {
		dst = append(dst, ']')
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

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
