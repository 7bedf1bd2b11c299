package oauthsig

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // RFC 5849 names SHA-1; providers still require it
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strings"
)

// Method is an oauth_signature_method as it appears on the wire.
type Method string

// The signature methods of RFC 5849 §3.4 and the SHA-256 variants providers
// added later (NetSuite's HMAC-SHA256, Jira's RSA-SHA256).
const (
	HMACSHA1   Method = "HMAC-SHA1"
	HMACSHA256 Method = "HMAC-SHA256"
	RSASHA1    Method = "RSA-SHA1"
	RSASHA256  Method = "RSA-SHA256"
	Plaintext  Method = "PLAINTEXT"
)

// Methods lists every supported method, the default first.
var Methods = []Method{HMACSHA1, HMACSHA256, RSASHA1, RSASHA256, Plaintext}

// ErrUnsupportedMethod is returned for a signature method lpdesk does not
// know.
var ErrUnsupportedMethod = errors.New("unsupported oauth_signature_method")

// ErrBadSignature is returned by Verify when the signature does not match.
var ErrBadSignature = errors.New("signature does not match")

// ParseMethod accepts a method name in any letter case, so a flag value like
// "hmac-sha256" works, and returns its wire form.
func ParseMethod(s string) (Method, error) {
	m := Method(strings.ToUpper(strings.TrimSpace(s)))
	for _, k := range Methods {
		if m == k {
			return m, nil
		}
	}
	return "", fmt.Errorf("%w %q (want one of %s)", ErrUnsupportedMethod, s, methodList())
}

func methodList() string {
	names := make([]string, len(Methods))
	for i, m := range Methods {
		names[i] = string(m)
	}
	return strings.Join(names, ", ")
}

// Valid reports whether m is one of Methods.
func (m Method) Valid() bool {
	_, err := ParseMethod(string(m))
	return err == nil && string(m) == strings.ToUpper(string(m))
}

// IsRSA reports whether m signs with the consumer's RSA private key (and
// ignores the consumer and token secrets).
func (m Method) IsRSA() bool { return m == RSASHA1 || m == RSASHA256 }

// SendsSecrets reports whether the signature is the secrets themselves
// (PLAINTEXT), so it must only travel over TLS (RFC 5849 §3.4.4).
func (m Method) SendsSecrets() bool { return m == Plaintext }

// UsesConsumerSecret reports whether m needs a consumer secret (every method
// but the RSA ones, which need a private key instead).
func (m Method) UsesConsumerSecret() bool { return !m.IsRSA() }

// newHash is the digest behind m: SHA-1 for the SHA1 methods and PLAINTEXT's
// body hash, SHA-256 for the SHA256 ones.
func (m Method) newHash() (func() hash.Hash, crypto.Hash) {
	if m == HMACSHA256 || m == RSASHA256 {
		return sha256.New, crypto.SHA256
	}
	return sha1.New, crypto.SHA1
}

// Key is what signs a request: the consumer and token secrets for HMAC and
// PLAINTEXT, the consumer's private key for RSA (the token secret is then
// not part of the signature, RFC 5849 §3.4.3).
type Key struct {
	ConsumerSecret, TokenSecret string
	Private                     *rsa.PrivateKey
}

// VerifyKey is what checks a signature: the secrets, or the consumer's
// registered public key for RSA.
type VerifyKey struct {
	ConsumerSecret, TokenSecret string
	Public                      *rsa.PublicKey
}

// signingKey is enc(consumerSecret)&enc(tokenSecret) (RFC 5849 §3.4.2).
func signingKey(consumerSecret, tokenSecret string) []byte {
	b := appendEncoded(make([]byte, 0, 3*(len(consumerSecret)+len(tokenSecret))+1), consumerSecret)
	b = append(b, '&')
	return appendEncoded(b, tokenSecret)
}

// SignWith computes the oauth_signature of base with m. PLAINTEXT ignores
// base: its signature is the signing key itself.
func SignWith(m Method, k Key, base string) (string, error) {
	switch m {
	case HMACSHA1, HMACSHA256:
		return hmacSign(m, k.ConsumerSecret, k.TokenSecret, []byte(base)), nil
	case RSASHA1, RSASHA256:
		if k.Private == nil {
			return "", fmt.Errorf("%s needs the consumer's RSA private key", m)
		}
		h, id := m.newHash()
		d := h()
		d.Write([]byte(base))
		sig, err := rsa.SignPKCS1v15(rand.Reader, k.Private, id, d.Sum(nil))
		if err != nil {
			return "", fmt.Errorf("%s: %w", m, err)
		}
		return base64.StdEncoding.EncodeToString(sig), nil
	case Plaintext:
		return string(signingKey(k.ConsumerSecret, k.TokenSecret)), nil
	}
	return "", fmt.Errorf("%w %q", ErrUnsupportedMethod, m)
}

// Sign is SignWith for the secret-based methods.
func Sign(m Method, consumerSecret, tokenSecret, base string) (string, error) {
	if m.IsRSA() {
		return "", fmt.Errorf("%s needs the consumer's RSA private key", m)
	}
	return SignWith(m, Key{ConsumerSecret: consumerSecret, TokenSecret: tokenSecret}, base)
}

// Verify checks sig against base with m, in constant time for the
// secret-based methods; it returns ErrBadSignature on a mismatch.
func Verify(m Method, k VerifyKey, base, sig string) error {
	switch m {
	case HMACSHA1, HMACSHA256, Plaintext:
		want, err := Sign(m, k.ConsumerSecret, k.TokenSecret, base)
		if err != nil {
			return err
		}
		if !Equal(want, sig) {
			return ErrBadSignature
		}
		return nil
	case RSASHA1, RSASHA256:
		if k.Public == nil {
			return fmt.Errorf("%s needs the consumer's RSA public key", m)
		}
		raw, err := base64.StdEncoding.DecodeString(sig)
		if err != nil {
			return ErrBadSignature
		}
		h, id := m.newHash()
		d := h()
		d.Write([]byte(base))
		if rsa.VerifyPKCS1v15(k.Public, id, d.Sum(nil), raw) != nil {
			return ErrBadSignature
		}
		return nil
	}
	return fmt.Errorf("%w %q", ErrUnsupportedMethod, m)
}

// BodyHash is the oauth_body_hash of body (the OAuth Request Body Hash
// extension): base64 of its digest with the hash of m, SHA-1 for the SHA1
// methods and PLAINTEXT, SHA-256 for the SHA256 ones. An empty body hashes
// too; the extension forbids the parameter only on form-encoded bodies.
func (m Method) BodyHash(body []byte) string {
	h, _ := m.newHash()
	d := h()
	d.Write(body)
	return base64.StdEncoding.EncodeToString(d.Sum(nil))
}
