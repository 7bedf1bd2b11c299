package apiclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// dyingServer answers every request by writing raw bytes and closing the
// connection: the server process "dies" mid-response.
func dyingServer(t *testing.T, raw string, hits *atomic.Int32) string {
	t.Helper()
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		_, _ = buf.WriteString(raw)
		_ = buf.Flush()
		_ = conn.Close()
	})
	return srv.URL
}

// The server dies after the headers (part of the body sent) or in the
// middle of the status line and headers: a clear error, GETs retried per
// the retry policy, POSTs (create, and updates tunnelled through POST)
// never.
func TestServerDiesMidRequest(t *testing.T) {
	for name, tc := range map[string]struct{ raw, want string }{
		"after headers":  {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"skill\":", "unexpected EOF"},
		"in headers":     {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", "EOF"},
		"in status line": {"HTTP/1.", "transport connection broken"},
	} {
		t.Run(name, func(t *testing.T) {
			var hits atomic.Int32
			u := dyingServer(t, tc.raw, &hits)
			c := newTestClient(t, u, func(c *Config) { c.MaxRetries = 2 })
			waits := sleepRecorder(c)
			resp, err := c.Get(context.Background(), "skills/1", nil)
			if err == nil || resp != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("GET: %v %+v", err, resp)
			}
			if !strings.Contains(err.Error(), "/skills/1") {
				t.Errorf("GET error does not name the request: %v", err)
			}
			if hits.Load() != 3 || len(*waits) != 2 {
				t.Errorf("GET: %d attempts, %d waits; want 3 and 2", hits.Load(), len(*waits))
			}
			var ae *APIError
			if errors.As(err, &ae) {
				t.Errorf("a transport failure reported as an API error: %v", err)
			}
			for what, do := range map[string]func() error{
				"POST": func() error { _, err := c.Create(context.Background(), "skills", []byte(`{}`), wire.JSON); return err },
				"PUT": func() error {
					_, err := c.Update(context.Background(), "skills/1", []byte(`{}`), wire.JSON, `"1"`)
					return err
				},
			} {
				hits.Store(0)
				if err := do(); err == nil || !strings.Contains(err.Error(), tc.want) || hits.Load() != 1 {
					t.Errorf("%s: %d attempts, %v", what, hits.Load(), err)
				}
			}
		})
	}
}
