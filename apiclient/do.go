package apiclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Do sends req: it resolves the URL, then runs attempts (each signed by the
// transport) with the retry and clock-skew rules, and reads the body within
// MaxBodySize. For a non-2xx status it returns the Response and an *APIError.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	if req == nil {
		return nil, errors.New("apiclient: nil request")
	}
	p, err := c.prepare(req)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	skewRetried := false
	for attempt := 0; ; {
		hresp, body, err := c.attempt(ctx, p)
		if err != nil {
			if hresp != nil && errors.Is(err, ErrBodyTooLarge) {
				return c.response(hresp, nil, p, start), err
			}
			if c.retries(p, attempt) && retryableErr(ctx, err) {
				if err := c.wait(ctx, p, attempt, c.backoff(attempt), slog.String("error", err.Error())); err != nil {
					return nil, err
				}
				attempt++
				continue
			}
			return nil, err
		}
		if !skewRetried && p.spec.auth == AuthOAuth && c.learnSkew(ctx, hresp, body) {
			skewRetried = true
			continue
		}
		status := hresp.StatusCode
		if c.retries(p, attempt) && retryableStatus(status) {
			d, ok := c.retryAfter(hresp.Header.Get("Retry-After"))
			if !ok {
				d = c.backoff(attempt)
			}
			if err := c.wait(ctx, p, attempt, d, slog.Int("status", status)); err != nil {
				return nil, err
			}
			attempt++
			continue
		}
		r := c.response(hresp, body, p, start)
		if status < 200 || status > 299 {
			return r, newAPIError(r)
		}
		return r, nil
	}
}

// newRequest builds one attempt's request from p.
func (p *prepared) newRequest(ctx context.Context) (*http.Request, error) {
	var body io.Reader
	if p.body != nil {
		body = bytes.NewReader(p.body)
	}
	hr, err := newHTTPRequest(ctx, p.method, p.url, body)
	if err != nil {
		return nil, fmt.Errorf("apiclient: %w", err)
	}
	// The attempt's own header: the transport signs this request in place
	// (authSpec.own). The first attempt takes the prepared one (net/http
	// copies it for redirects before sending), a retry a copy.
	if p.headerUsed {
		hr.Header = cloneHeader(p.header, 1)
	} else {
		hr.Header, p.headerUsed = p.header, true
	}
	return hr, nil
}

// attempt sends one request and reads its body. The returned *http.Response
// has its body consumed and closed.
func (c *Client) attempt(ctx context.Context, p *prepared) (*http.Response, []byte, error) {
	spec := p.spec
	p.sent = nil
	spec.sent = &p.sent
	actx := c.timeouts.start(ctx, spec)
	defer actx.release()
	hr, err := p.newRequest(actx)
	if err != nil {
		return nil, nil, err
	}
	actx.spec.own = hr
	t0 := time.Now()
	hresp, err := c.hc.Do(hr)
	if err != nil {
		var co *CrossOriginRedirectError
		if errors.As(err, &co) {
			// The *url.Error around it names the target with whatever
			// query the redirect echoed; co names it redacted.
			return nil, nil, fmt.Errorf("apiclient: %s %s: %w", p.method, redactURL(p.url), co)
		}
		redactErr(err)
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %s: %w", c.cfg.Timeout, err)
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "api attempt", slog.String("method", p.method), slog.String("url", redactURL(p.url)), slog.String("error", err.Error()))
		return nil, nil, fmt.Errorf("apiclient: %w", err)
	}
	defer hresp.Body.Close()
	data, err := readLimited(hresp.Body, hresp.ContentLength, c.cfg.MaxBodySize)
	if c.log.Enabled(ctx, slog.LevelDebug) { // the URL is rendered only for a line that is written
		c.log.LogAttrs(ctx, slog.LevelDebug, "api attempt", slog.String("method", p.method), slog.String("url", redactURL(hresp.Request.URL)),
			slog.Int("status", hresp.StatusCode), slog.Duration("elapsed", time.Since(t0)), slog.Int("bytes", len(data)))
	}
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) {
			return hresp, nil, fmt.Errorf("apiclient: %s %s: %w", p.method, redactURL(p.url), err)
		}
		if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
			// The headers came in time but the body did not: say so, since
			// "context deadline exceeded" alone reads like no answer at all.
			return nil, nil, fmt.Errorf("apiclient: %s %s: timed out reading the response body (%d bytes in %s, per-attempt timeout %s): %w",
				p.method, redactURL(p.url), len(data), time.Since(t0).Round(time.Millisecond), c.cfg.Timeout, context.DeadlineExceeded)
		}
		return nil, nil, fmt.Errorf("apiclient: %s %s: read body: %w", p.method, redactURL(p.url), err)
	}
	return hresp, data, nil
}

// newHTTPRequest is http.NewRequestWithContext for a URL already parsed:
// formatting it only for net/http to parse it again cost a tenth of a
// request's client-side time. The request gets its own copy of u.
//
// Without a body the request is built here, as NewRequestWithContext
// would build it, without the empty URL that function parses only to be
// replaced.
func newHTTPRequest(ctx context.Context, method string, u *url.URL, body io.Reader) (*http.Request, error) {
	cp := *u
	host := u.Host
	if strings.HasSuffix(host, ":") { // as net/http does: "host:" is "host"
		host = strings.TrimSuffix(host, ":")
	}
	if body == nil {
		r := http.Request{Method: method, URL: &cp, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: make(http.Header), Host: host}
		return r.WithContext(ctx), nil
	}
	hr, err := http.NewRequestWithContext(ctx, method, "", body)
	if err != nil {
		return nil, err
	}
	hr.URL = &cp
	hr.Host = host
	return hr, nil
}

// cloneHeader copies h into a map with room for extra more keys, the
// values in one backing array as Header.Clone does.
func cloneHeader(h http.Header, extra int) http.Header {
	out := make(http.Header, len(h)+extra)
	n := 0
	for _, vs := range h {
		n += len(vs)
	}
	all := make([]string, 0, n)
	for k, vs := range h {
		all = append(all, vs...)
		out[k] = all[len(all)-len(vs) : len(all) : len(all)]
	}
	return out
}

func (c *Client) response(h *http.Response, body []byte, p *prepared, start time.Time) *Response {
	r := &Response{
		Status:      h.StatusCode,
		Header:      h.Header,
		Body:        body,
		ContentType: h.Header.Get("Content-Type"),
		Elapsed:     time.Since(start),
		ETag:        h.Header.Get("ETag"),
		Signed:      p.sent,
		noLinks:     p.noLinks,
	}
	if f, ok := wire.FormatOf(r.ContentType); ok {
		r.Format = f
	}
	if h.Request != nil && h.Request.URL != nil && !p.target.sameAfterRedaction(h.Request.URL) {
		r.URL = redactURL(h.Request.URL)
	} else {
		r.URL = p.target.redacted
	}
	return r
}
