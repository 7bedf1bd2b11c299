package apiclient

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"testing"
)

// cannedTransport answers every request with the same small JSON record
// without touching the network, so that a benchmark over it measures the
// client's own work alone.
type cannedTransport struct{ body []byte }

func (t cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Content-Length": {strconv.Itoa(len(t.body))}},
		Body:   io.NopCloser(bytes.NewReader(t.body)), ContentLength: int64(len(t.body)), Request: r}, nil
}

// BenchmarkOverhead is the client's side of the bench's client-overhead
// figure without a server: a signed Get against raw net/http's GET of the
// same URL, both over a transport that answers from memory. The
// difference per request is what the client adds.
func BenchmarkOverhead(b *testing.B) {
	const base = "http://127.0.0.1:1/api/account/12345678"
	tr := cannedTransport{body: []byte(`{"skill":{"@id":"1","@revision":"1","name":"Support","description":"Chats about support","maxWaitTime":60,` +
		`"link":{"@rel":"self","@href":"` + base + `/skills/1"}}}`)}
	b.Run("raw", func(b *testing.B) {
		hc := &http.Client{Transport: tr}
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, base+"/skills/1?v=1", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Authorization", "LivePerson appKey=k")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.Run("ours", func(b *testing.B) {
		c, err := New(Config{BaseURL: base, Credentials: testCreds, Transport: tr})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Get(context.Background(), "skills/1", nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
