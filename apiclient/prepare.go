package apiclient

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// prepared is a request resolved against the Client's settings; each attempt
// builds a fresh *http.Request from it.
type prepared struct {
	method string // wire method
	// url is target.url: shared, never to be changed.
	url     *url.URL
	target  *target
	header  http.Header
	body    []byte
	spec    authSpec
	format  wire.Format
	noLinks bool // Request.NoLinks
	// sent is what the current attempt signed and sent (nil unsigned).
	sent *Signed
	// headerUsed: an attempt was given header itself; later ones get a
	// copy.
	headerUsed bool
	// vals backs the values set holds in header.
	vals  [6]string
	nvals int
}

// set is Header.Set, the value kept in p.vals rather than in a slice of
// its own.
func (p *prepared) set(k, v string) {
	k = http.CanonicalHeaderKey(k)
	if p.nvals == len(p.vals) {
		p.header[k] = []string{v}
		return
	}
	p.vals[p.nvals] = v
	p.nvals++
	p.header[k] = p.vals[p.nvals-1 : p.nvals : p.nvals]
}

// authSpec travels in the request context to the transport, which applies
// it to every attempt, redirects included.
type authSpec struct {
	auth      Auth
	placement Placement
	// origin is the request URL's origin: the only one its credentials
	// and body may reach.
	origin *url.URL
	// query is the request's query as read once by resolve.
	query parsedQuery
	// body is the prepared body, so signing need not read it back.
	body []byte
	// sent, when set, receives what each signed attempt sends: the
	// transport writes it before sending, the last hop's winning.
	sent **Signed
	// target is the request's resolved URL, for Signed.URL.
	target *target
	// own is the attempt's own request (nil until attempt builds it),
	// which the transport signs in place instead of copying.
	own *http.Request
}

type specKey struct{}

func (c *Client) prepare(req *Request) (*prepared, error) {
	p := &prepared{header: make(http.Header), spec: authSpec{auth: c.cfg.Auth, placement: c.cfg.Placement}, format: c.cfg.Format,
		noLinks: req.NoLinks}
	if req.Auth != 0 {
		p.spec.auth = req.Auth
	}
	if req.Placement != 0 {
		p.spec.placement = req.Placement
	}
	if err := c.checkCredentials(p.spec.auth); err != nil {
		return nil, err
	}
	if req.Format != "" {
		p.format = req.Format
	}
	by := c.cfg.FormatBy
	if req.FormatBy != 0 {
		by = req.FormatBy
	}

	generic := c.cfg.Dialect == DialectGeneric
	method := strings.ToUpper(req.Method)
	switch {
	case method == "" || method == http.MethodGet:
		p.method = http.MethodGet
	case method == http.MethodPost:
		p.method = http.MethodPost
	case generic && (method == http.MethodPut || method == http.MethodDelete || method == http.MethodPatch):
		// Any other provider gets the method itself.
		p.method = method
	case !generic && (method == http.MethodPut || method == http.MethodDelete):
		p.method = http.MethodPost
		p.set("X-HTTP-Method-Override", method)
	case generic:
		return nil, fmt.Errorf("apiclient: method %s not supported (GET, POST, PUT, DELETE, PATCH)", req.Method)
	default:
		return nil, fmt.Errorf("apiclient: method %s not supported (GET, POST, PUT, DELETE)", req.Method)
	}

	var ext wire.Format
	switch {
	case generic && by == ByExtension:
		return nil, errors.New("apiclient: the generic dialect adds no format extension: put it in the path")
	case generic:
		// Accept only when the caller asked for a format.
		if req.Format != "" {
			p.set("Accept", req.Format.ContentType())
		}
	case by == ByExtension:
		ext = p.format
	default:
		p.set("Accept", p.format.ContentType())
	}
	t, err := c.target(req.Path, req.Query, p.spec.auth, ext)
	if err != nil {
		return nil, err
	}
	p.target = t
	p.url = t.url
	p.spec.query = t.query
	p.spec.origin = t.origin
	p.spec.target = t

	if req.Body != nil || p.method == http.MethodPost || p.method == http.MethodPut || p.method == http.MethodPatch {
		p.body = req.Body
		if p.body == nil {
			p.body = []byte{}
		}
		if len(p.body) > 0 {
			bf := req.BodyFormat
			if bf == "" {
				bf = c.cfg.Format
			}
			p.set("Content-Type", bf.ContentType())
		}
	}
	p.set("User-Agent", c.cfg.UserAgent)
	if req.IfMatch != "" {
		p.set("If-Match", req.IfMatch)
	}
	for k, vs := range req.Header {
		p.header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if p.method == http.MethodGet {
		p.body = nil
	}
	p.spec.body = p.body
	if p.spec.auth == AuthOAuth {
		if err := c.checkPlacement(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkPlacement refuses, before anything is sent, what signing would
// refuse for the first attempt: PLAINTEXT to a URL that is not https, and
// the form placement with a body that is not a form.
func (c *Client) checkPlacement(p *prepared) error {
	if c.cfg.SignatureMethod.SendsSecrets() && !isHTTPS(p.url) {
		return fmt.Errorf("apiclient: %s %s: %w", p.method, redactURL(p.url), ErrPlaintextOverHTTP)
	}
	if p.spec.placement == PlaceForm && len(p.body) > 0 && !oauthsig.IsForm(p.header.Get("Content-Type")) {
		return fmt.Errorf("apiclient: %w", ErrFormPlacement)
	}
	return nil
}

func (c *Client) checkCredentials(a Auth) error {
	cr := c.cfg.Credentials
	switch a {
	case AuthOAuth:
		if c.cfg.SignatureMethod.IsRSA() {
			if cr.ConsumerKey == "" || cr.PrivateKey == nil {
				return fmt.Errorf("apiclient: %s needs a consumer key and the consumer's RSA private key", c.cfg.SignatureMethod)
			}
			// The token secret is not part of an RSA signature.
			return nil
		}
		if cr.ConsumerKey == "" || cr.ConsumerSecret == "" {
			return errors.New("apiclient: oauth needs a consumer key and secret")
		}
		if cr.Token != "" && cr.TokenSecret == "" {
			return errors.New("apiclient: oauth token given without its secret")
		}
	case AuthAppKey:
		if cr.ConsumerKey == "" {
			return errors.New("apiclient: appkey auth needs the application key (ConsumerKey)")
		}
	}
	return nil
}
