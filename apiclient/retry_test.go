package apiclient

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestRetriesOnStatus(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		switch {
		case r.URL.Path == "/api/account/12345678/flaky" && n <= 2:
			w.WriteHeader([]int{502, 504}[n-1])
		case r.URL.Path == "/api/account/12345678/busy" && n == 1:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(429)
		case r.URL.Path == "/api/account/12345678/busydate" && n == 1:
			w.Header().Set("Retry-After", time.Date(2030, 1, 1, 0, 0, 8, 0, time.UTC).Format(http.TimeFormat))
			w.WriteHeader(429)
		case r.URL.Path == "/api/account/12345678/huge" && n == 1:
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(503)
		case r.URL.Path == "/api/account/12345678/down":
			w.WriteHeader(503)
		default:
			okJSON(w, `{}`)
		}
	})
	ctx := context.Background()
	fixed := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newTestClient(t, srv.URL, func(c *Config) { c.Now = func() time.Time { return fixed }; c.MaxRetryWait = 10 * time.Second })
	waits := sleepRecorder(c)

	check := func(path string, wantHits int32, wantStatus int, wantWaits ...time.Duration) {
		t.Helper()
		hits.Store(0)
		*waits = nil
		resp, err := c.Get(ctx, path, nil)
		if resp == nil || resp.Status != wantStatus {
			t.Fatalf("%s: resp %+v err %v", path, resp, err)
		}
		if got := hits.Load(); got != wantHits {
			t.Errorf("%s: %d requests, want %d", path, got, wantHits)
		}
		if len(*waits) != int(wantHits-1) {
			t.Errorf("%s: waits %v", path, *waits)
		}
		for i, w := range wantWaits {
			if i < len(*waits) && (*waits)[i] != w {
				t.Errorf("%s: wait %d = %v, want %v", path, i, (*waits)[i], w)
			}
		}
	}
	check("flaky", 3, 200)
	for _, w := range *waits {
		if w <= 0 || w > 10*time.Second {
			t.Errorf("backoff %v outside (0, cap]", w)
		}
	}
	check("busy", 2, 200, 7*time.Second)
	check("busydate", 2, 200, 8*time.Second)
	check("huge", 2, 200, 10*time.Second) // capped at MaxRetryWait
	check("down", 4, 503)                 // 1 + MaxRetries, then the last answer

	// Never a POST, nor an overridden PUT.
	for _, m := range []string{"POST", "PUT", "DELETE"} {
		hits.Store(0)
		resp, err := c.Do(ctx, &Request{Method: m, Path: "down", Body: []byte(`{}`)})
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != 503 || resp.Status != 503 || hits.Load() != 1 {
			t.Errorf("%s: hits=%d err=%v", m, hits.Load(), err)
		}
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", func(c *Config) { c.MaxRetryWait = 2 * time.Second })
	for attempt := 0; attempt < 40; attempt++ {
		d := c.backoff(attempt)
		lo := min(c.backoffBase<<min(attempt, 20), 2*time.Second) / 2
		if d < lo || d > 2*time.Second {
			t.Fatalf("attempt %d: %v not in [%v, 2s]", attempt, d, lo)
		}
	}
}

func TestRetryOnConnectionError(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= 2 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // no response at all
			}
			return
		}
		okJSON(w, `{}`)
	})
	c := newTestClient(t, srv.URL, nil)
	resp, err := c.Get(context.Background(), "x", nil)
	if err != nil || resp.Status != 200 || hits.Load() != 3 {
		t.Fatalf("hits=%d err=%v", hits.Load(), err)
	}
	hits.Store(0)
	if _, err := c.Create(context.Background(), "x", []byte(`{}`), wire.JSON); err == nil || hits.Load() != 1 {
		t.Fatalf("POST after a dropped connection: hits=%d err=%v", hits.Load(), err)
	}
}
