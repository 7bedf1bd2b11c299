package apiclient

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// ErrPlaintextOverHTTP is returned by New, and before sending any request,
// absolute URL or redirect hop, when PLAINTEXT would travel over anything
// but https.
var ErrPlaintextOverHTTP = errors.New("the PLAINTEXT signature method sends the consumer secret and the token secret themselves " +
	"as the signature, so lpdesk sends it over https only (use an https URL or another signature method)")

// ErrFormPlacement is returned, before sending, for a request with the form
// placement whose body is not application/x-www-form-urlencoded: there is no
// form to put the oauth_* parameters in.
var ErrFormPlacement = errors.New("the form placement puts the oauth_* parameters in an application/x-www-form-urlencoded body, " +
	"and this request has another kind of body: use the header or query placement")

// checkSigning validates the signature method, the dialect and their
// extensions against the Client's bases; cfg.SignatureMethod and cfg.Auth
// are already defaulted.
func checkSigning(cfg Config, base *url.URL, services map[Service]*url.URL) error {
	m := cfg.SignatureMethod
	if !m.Valid() {
		return fmt.Errorf("apiclient: %w %q", oauthsig.ErrUnsupportedMethod, m)
	}
	if m.IsRSA() && cfg.Credentials.PrivateKey == nil && cfg.Auth == AuthOAuth {
		return fmt.Errorf("apiclient: %s signs with the consumer's RSA private key (Credentials.PrivateKey), and none was given", m)
	}
	if m.SendsSecrets() {
		if !isHTTPS(base) {
			return fmt.Errorf("apiclient: BaseURL %s: %w", base.Redacted(), ErrPlaintextOverHTTP)
		}
		for s, u := range services {
			if !isHTTPS(u) {
				return fmt.Errorf("apiclient: Services[%s] %s: %w", s, u.Redacted(), ErrPlaintextOverHTTP)
			}
		}
	}
	switch cfg.Dialect {
	case 0, DialectLivePerson:
	case DialectGeneric:
		if len(cfg.Services) > 0 {
			return errors.New("apiclient: the generic dialect has no services: every relative path resolves against BaseURL")
		}
		if cfg.FormatBy == ByExtension {
			return errors.New("apiclient: the generic dialect adds no format extension: put it in the path")
		}
	default:
		return fmt.Errorf("apiclient: unknown dialect %d", uint8(cfg.Dialect))
	}
	if cfg.Placement > PlaceForm {
		return fmt.Errorf("apiclient: unknown placement %d", uint8(cfg.Placement))
	}
	return nil
}

func isHTTPS(u *url.URL) bool { return strings.EqualFold(u.Scheme, "https") }

// signing is what authorize did to a request, for Signed: the base string
// (empty when unsigned) and the body as sent.
type signing struct {
	base string
	body []byte
}

// signOAuth signs r (a private clone, oauth_* already dropped from its
// query) for its current method and URL. body is r's body as sent, nil when
// it has none. HMAC requests whose signature travels in the header or the
// query without realm or body hash, every request on the LivePerson-style
// platform, take the Client's fast signer; everything else goes through
// oauthsig, which that signer is held byte-identical to.
func (c *Client) signOAuth(r *http.Request, spec authSpec, body []byte) (signing, error) {
	m := c.cfg.SignatureMethod
	if m.SendsSecrets() && !isHTTPS(r.URL) {
		return signing{}, fmt.Errorf("apiclient: %s %s: %w", r.Method, redactURL(r.URL), ErrPlaintextOverHTTP)
	}
	isForm := body != nil && oauthsig.IsForm(r.Header.Get("Content-Type"))
	var form []oauthsig.Param
	if isForm {
		var err error
		if form, err = oauthsig.ParseForm(string(body)); err != nil {
			return signing{}, fmt.Errorf("sign: form body: %w", err)
		}
	}
	placement := spec.placement
	if placement == PlaceForm && !isForm {
		if len(body) > 0 {
			return signing{}, fmt.Errorf("apiclient: %w", ErrFormPlacement)
		}
		// No body to carry them: RFC 5849 §3.5.3 lets them ride in the query.
		placement = PlaceQuery
	}
	// A request that says it carries a form never gets a body hash, even
	// with the form empty (the extension forbids it on form bodies).
	hashBody := c.cfg.BodyHash && !oauthsig.IsForm(r.Header.Get("Content-Type"))
	if (m == oauthsig.HMACSHA1 || m == oauthsig.HMACSHA256) && c.cfg.Realm == "" && !hashBody && placement != PlaceForm {
		var encURI string
		if t := spec.target; t != nil && sameBaseURI(r.URL, t.url) {
			encURI = t.encBaseURI
		}
		base, err := c.sig.sign(r, spec.query, form, c.now(), placement == PlaceQuery, encURI)
		return signing{base: base, body: body}, err
	}

	cr := c.cfg.Credentials
	protocol := []oauthsig.Param{
		{Key: "oauth_consumer_key", Value: cr.ConsumerKey},
		{Key: "oauth_nonce", Value: oauthsig.Nonce()},
		{Key: "oauth_signature_method", Value: string(m)},
		{Key: "oauth_timestamp", Value: strconv.FormatInt(c.now().Unix(), 10)},
		{Key: "oauth_version", Value: "1.0"},
	}
	if hashBody {
		// The extension hashes the exact bytes sent, and the empty string
		// for a request without a body.
		protocol = append(protocol, oauthsig.Param{Key: "oauth_body_hash", Value: m.BodyHash(body)})
	}
	if cr.Token != "" {
		protocol = append(protocol, oauthsig.Param{Key: "oauth_token", Value: cr.Token})
	}
	base, err := oauthsig.BaseString(r.Method, r.URL, form, protocol)
	if err != nil {
		return signing{}, fmt.Errorf("sign: %w", err)
	}
	sig, err := oauthsig.SignWith(m, c.key, base)
	if err != nil {
		return signing{}, fmt.Errorf("sign: %w", err)
	}
	// Sorted, the signature last, as the fast signer writes them.
	signed := slices.SortedFunc(slices.Values(protocol), func(a, b oauthsig.Param) int { return strings.Compare(a.Key, b.Key) })
	signed = append(signed, oauthsig.Param{Key: "oauth_signature", Value: sig})
	switch placement {
	case PlaceQuery:
		raw := r.URL.RawQuery
		for _, p := range signed {
			raw = appendRaw(raw, p.Key, p.Value)
		}
		r.URL.RawQuery = raw
	case PlaceForm:
		var b bytes.Buffer
		b.Grow(len(body) + 256)
		b.Write(body)
		for _, p := range signed {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(oauthsig.PercentEncode(p.Key) + "=" + oauthsig.PercentEncode(p.Value))
		}
		body = b.Bytes()
		setBody(r, body)
	default:
		if c.cfg.Realm != "" {
			signed = append(signed, oauthsig.Param{Key: "realm", Value: c.cfg.Realm})
		}
		r.Header["Authorization"] = []string{oauthsig.Header(signed)}
	}
	return signing{base: base, body: body}, nil
}

// setBody replaces r's body (a clone's) with b, for every resend too.
func setBody(r *http.Request, b []byte) {
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	r.ContentLength = int64(len(b))
}

// requestBody returns the bytes r will send, nil when it has no body: the
// prepared body when r still carries it (every attempt, and a 307/308
// resend), else read through GetBody without consuming the one to send.
func requestBody(r *http.Request, prepared []byte) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if prepared != nil && r.ContentLength == int64(len(prepared)) {
		return prepared, nil
	}
	if r.GetBody != nil {
		rc, err := r.GetBody()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	data, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	setBody(r, data)
	return data, nil
}
