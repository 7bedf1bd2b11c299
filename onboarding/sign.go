package onboarding

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// signer signs the flow's own calls (request token, access token,
// revocation) the way the profile's requests will be signed: with the
// provider's method, realm and body hash, so that a provider that wants
// RSA-SHA1 or a realm gets it on every leg.
type signer struct {
	consumerKey string
	method      oauthsig.Method
	key         oauthsig.Key // ConsumerSecret or Private; TokenSecret per call
	realm       string
	bodyHash    bool
	now         func() time.Time
}

// authorization returns the Authorization header of a bodiless POST to u
// signed with token (may be "") and tokenSecret, with extra protocol
// parameters (oauth_callback, oauth_verifier).
func (s signer) authorization(u *url.URL, token, tokenSecret string, extra ...oauthsig.Param) (string, error) {
	now := time.Now
	if s.now != nil {
		now = s.now
	}
	ps := []oauthsig.Param{
		{Key: "oauth_consumer_key", Value: s.consumerKey},
		{Key: "oauth_nonce", Value: oauthsig.Nonce()},
		{Key: "oauth_signature_method", Value: string(s.method)},
		{Key: "oauth_timestamp", Value: oauthsig.Timestamp(now())},
		{Key: "oauth_version", Value: "1.0"},
	}
	if token != "" {
		ps = append(ps, oauthsig.Param{Key: "oauth_token", Value: token})
	}
	if s.bodyHash {
		// The extension hashes an absent body as the empty string.
		ps = append(ps, oauthsig.Param{Key: "oauth_body_hash", Value: s.method.BodyHash(nil)})
	}
	ps = append(ps, extra...)
	base, err := oauthsig.BaseString(http.MethodPost, u, nil, ps)
	if err != nil {
		return "", err
	}
	k := s.key
	k.TokenSecret = tokenSecret
	sig, err := oauthsig.SignWith(s.method, k, base)
	if err != nil {
		return "", err
	}
	ps = append(ps, oauthsig.Param{Key: "oauth_signature", Value: sig})
	if s.realm != "" {
		ps = append(ps, oauthsig.Param{Key: "realm", Value: s.realm})
	}
	return oauthsig.Header(ps), nil
}

// answer is a provider's reply to a signed call: its status and (bounded)
// body.
type answer struct {
	status int
	body   []byte
}

// post sends a signed bodiless POST to endpoint and returns the answer.
// Redirects are not followed: a provider's token endpoint does not move,
// and following one would sign for another origin. Transport errors are
// returned as they are; callers redact them.
func (s signer) post(ctx context.Context, rt http.RoundTripper, endpoint, token, tokenSecret string, extra ...oauthsig.Param) (answer, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return answer{}, fmt.Errorf("bad URL: %w", err)
	}
	auth, err := s.authorization(u, token, tokenSecret, extra...)
	if err != nil {
		return answer{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, http.NoBody)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Authorization", auth)
	hc := &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return answer{status: resp.StatusCode, body: b}, nil
}

// errNoKey reports an RSA method without a private key.
var errNoKey = errors.New("an RSA signature method needs the application's private key (--app-private-key)")

// signer is the signer for o's application.
func (o Options) signer() signer {
	return signer{consumerKey: o.ConsumerKey, method: o.SignatureMethod,
		key: oauthsig.Key{ConsumerSecret: o.ConsumerSecret, Private: o.privateKey}, realm: o.Realm, bodyHash: o.BodyHash}
}

// pemSecrets are the strings of a PEM key that must never be shown: the
// whole text and each line of its base64 body.
func pemSecrets(pem string) []string {
	if pem == "" {
		return nil
	}
	out := []string{pem}
	for _, l := range strings.Split(pem, "\n") {
		l = strings.TrimSpace(l)
		if len(l) >= 16 && !strings.HasPrefix(l, "-----") {
			out = append(out, l)
		}
	}
	return out
}
