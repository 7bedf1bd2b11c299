package apiclient

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// prepared is a request resolved against the Client's settings; each attempt
// builds a fresh *http.Request from it.
type prepared struct {
	method string // wire method
	url    *url.URL
	header http.Header
	body   []byte
	spec   authSpec
	format wire.Format
	links  bool // Response.Links wanted (not Request.NoLinks)
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
}

type specKey struct{}

func (c *Client) prepare(req *Request) (*prepared, error) {
	p := &prepared{header: make(http.Header), spec: authSpec{auth: c.cfg.Auth, placement: c.cfg.Placement}, format: c.cfg.Format,
		links: !req.NoLinks}
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

	method := strings.ToUpper(req.Method)
	switch method {
	case "", http.MethodGet:
		p.method = http.MethodGet
	case http.MethodPost:
		p.method = http.MethodPost
	case http.MethodPut, http.MethodDelete:
		p.method = http.MethodPost
		p.header.Set("X-HTTP-Method-Override", method)
	default:
		return nil, fmt.Errorf("apiclient: method %s not supported (GET, POST, PUT, DELETE)", req.Method)
	}

	u, q, err := c.resolve(req.Path, req.Query, p.spec.auth)
	if err != nil {
		return nil, err
	}
	p.spec.query = q
	if by == ByExtension {
		addExtension(u, p.format)
	} else {
		p.header.Set("Accept", p.format.ContentType())
	}
	p.url = u
	p.spec.origin = originOf(u)

	if req.Body != nil || p.method == http.MethodPost {
		p.body = req.Body
		if p.body == nil {
			p.body = []byte{}
		}
		if len(p.body) > 0 {
			bf := req.BodyFormat
			if bf == "" {
				bf = c.cfg.Format
			}
			p.header.Set("Content-Type", bf.ContentType())
		}
	}
	p.header.Set("User-Agent", c.cfg.UserAgent)
	if req.IfMatch != "" {
		p.header.Set("If-Match", req.IfMatch)
	}
	for k, vs := range req.Header {
		p.header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if p.method == http.MethodGet {
		p.body = nil
	}
	return p, nil
}

func (c *Client) checkCredentials(a Auth) error {
	cr := c.cfg.Credentials
	switch a {
	case AuthOAuth:
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
