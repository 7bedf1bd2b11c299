package apiclient

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Request is one call for Do. Zero fields take the Client's settings.
type Request struct {
	// Method is GET, POST, PUT or DELETE; on the LivePerson-style platform
	// PUT and DELETE go on the wire as POST with X-HTTP-Method-Override.
	// The generic dialect sends them, and PATCH, as themselves.
	Method string
	// Path is relative to the account (it may carry a query) and goes to
	// the base of the service ServiceFor names, or is an absolute http(s)
	// URL such as a link's href, sent exactly as given. It must already be
	// a valid URL: pass what a person typed through EncodeTypedURL.
	Path string
	// Query parameters, in order; keys may repeat.
	Query []oauthsig.Param
	// Header is sent as given, except that the Client owns Authorization
	// for AuthOAuth and AuthAppKey.
	Header http.Header
	// IfMatch, when set, is sent as If-Match: the revision (ETag) an
	// update or delete expects to replace.
	IfMatch string
	Body    []byte
	// BodyFormat sets Content-Type for Body unless Header has one (default
	// the Client's Format). For a form POST set Content-Type to
	// application/x-www-form-urlencoded in Header: its parameters are signed.
	BodyFormat wire.Format
	Format     wire.Format // response format override
	FormatBy   FormatBy    // override
	Auth       Auth        // override
	Placement  Placement   // override
	// NoLinks makes Response.Links return nil: for a caller that takes the
	// links from WritePretty's pass over the body, or passes the body on
	// unread (the proxy).
	NoLinks bool
}

// Response is what came back. It is returned for every status, alongside an
// *APIError for non-2xx ones.
type Response struct {
	Status      int
	Header      http.Header
	Body        []byte
	Format      wire.Format // from Content-Type; "" when neither JSON nor XML
	ContentType string
	// Elapsed covers the whole call: attempts, waits and redirects.
	Elapsed time.Duration
	// URL is the final URL, after redirects, without oauth_* parameters.
	URL  string
	ETag string
	// Signed is what the last attempt sent, signature base string
	// included (nil for a request that was not OAuth-signed).
	Signed *Signed

	noLinks bool // Request.NoLinks
}

// Links are the links in Body (wire.ExtractLinks), found when asked: most
// callers never look, and finding them on every response was a tenth of
// the client's time per request. Each call reads the body again. They are
// nil for a body that is neither JSON nor XML and for a request that set
// NoLinks; a malformed body still yields the links before the fault.
func (r *Response) Links() []wire.Link {
	if r.noLinks || r.Format == "" || len(r.Body) == 0 {
		return nil
	}
	links, _ := wire.ExtractLinks(r.Body, r.Format)
	return links
}

// Get reads a resource.
func (c *Client) Get(ctx context.Context, path string, query url.Values) (*Response, error) {
	return c.Do(ctx, &Request{Method: http.MethodGet, Path: path, Query: valuesToParams(query)})
}

// Create POSTs body in format f.
func (c *Client) Create(ctx context.Context, path string, body []byte, f wire.Format) (*Response, error) {
	return c.Do(ctx, &Request{Method: http.MethodPost, Path: path, Body: body, BodyFormat: f})
}

// Update replaces a resource: PUT (on the LivePerson-style platform POST with
// X-HTTP-Method-Override: PUT), and If-Match: etag when etag is not empty.
func (c *Client) Update(ctx context.Context, path string, body []byte, f wire.Format, etag string) (*Response, error) {
	return c.Do(ctx, &Request{Method: http.MethodPut, Path: path, Body: body, BodyFormat: f, IfMatch: etag})
}

// Delete removes a resource: DELETE (on the LivePerson-style platform POST
// with X-HTTP-Method-Override: DELETE), and If-Match: etag when etag is not
// empty.
func (c *Client) Delete(ctx context.Context, path string, etag string) (*Response, error) {
	return c.Do(ctx, &Request{Method: http.MethodDelete, Path: path, IfMatch: etag})
}

// valuesToParams flattens url.Values with keys sorted, so the order is
// stable; callers that need a precise order use Request.Query.
func valuesToParams(v url.Values) []oauthsig.Param {
	if len(v) == 0 {
		return nil
	}
	var out []oauthsig.Param
	for _, kv := range sortedKeys(v) {
		for _, val := range v[kv] {
			out = append(out, oauthsig.Param{Key: kv, Value: val})
		}
	}
	return out
}
