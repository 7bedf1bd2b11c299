package bench

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// Canned is an http.RoundTripper that never touches the network: it
// answers every request with 200 and Body, so a benchmark through it
// measures what the client does around a request, signing included, and
// nothing else. It optionally keeps the last request it saw.
type Canned struct {
	Body        []byte
	ContentType string
	// Record, when set, keeps a copy of each request's URL and headers for
	// Last; benchmarks leave it off.
	Record bool

	mu   sync.Mutex
	last *http.Request
}

// RoundTrip implements http.RoundTripper.
func (c *Canned) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	if c.Record {
		cp := r.Clone(r.Context())
		c.mu.Lock()
		c.last = cp
		c.mu.Unlock()
	}
	ct := c.ContentType
	if ct == "" {
		ct = "application/json"
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {ct}, "Content-Length": {strconv.Itoa(len(c.Body))}},
		Body:          io.NopCloser(bytes.NewReader(c.Body)),
		ContentLength: int64(len(c.Body)),
		Request:       r,
	}, nil
}

// Last is the most recent request seen with Record on, or nil.
func (c *Canned) Last() *http.Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// Sink is an http.RoundTripper that returns one preallocated, bodiless
// response without looking at the request. Under a signer's Transport it
// makes the measured cost that of signing alone. It keeps the last request
// when Record is set.
type Sink struct {
	Record bool
	Last   *http.Request
	resp   http.Response
}

// RoundTrip implements http.RoundTripper. Not safe for concurrent use with
// Record set.
func (s *Sink) RoundTrip(r *http.Request) (*http.Response, error) {
	if s.Record {
		s.Last = r
	}
	s.resp.StatusCode = http.StatusOK
	s.resp.Body = http.NoBody
	s.resp.Request = r
	return &s.resp, nil
}
