package apiclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPerAttemptTimeoutAndCancel(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	c := newTestClient(t, srv.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond; c.MaxRetries = 1 })
	_, err := c.Get(context.Background(), "slow", nil)
	if err == nil || !strings.Contains(err.Error(), "no answer within") || hits.Load() != 2 {
		t.Fatalf("timeout: hits=%d err=%v", hits.Load(), err)
	}

	// A cancelled context stops at once, without retrying.
	c = newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 3 })
	ctx, cancel := context.WithCancel(context.Background())
	hits.Store(0)
	go func() {
		for hits.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err = c.Get(ctx, "slow", nil)
	if !errors.Is(err, context.Canceled) || hits.Load() != 1 {
		t.Fatalf("cancel: hits=%d err=%v", hits.Load(), err)
	}
	// And a cancelled wait between retries too.
	srv503 := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) })
	c = newTestClient(t, srv503.URL, nil)
	c.sleep = sleepCtx
	c.backoffBase = time.Hour
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := c.Get(ctx, "x", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel during backoff: %v", err)
	}
}

func TestNoSecretsInTransportErrors(t *testing.T) {
	// A server that drops the connection: the *url.Error names the URL,
	// which must not carry the query signature.
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	})
	c := newTestClient(t, srv.URL, func(c *Config) { c.Placement = PlaceQuery; c.MaxRetries = -1 })
	_, err := c.Get(context.Background(), "x", nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{"oauth_signature", testCreds.TokenSecret, testCreds.ConsumerSecret} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q holds %q", err, s)
		}
	}
}

// Request.NoLinks skips link extraction (the proxy passes bodies on
// unread); without it the links are there as always.
func TestNoLinks(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		okJSON(w, `{"skill":{"@id":"1","link":{"@rel":"self","@href":"http://127.0.0.1/api/account/12345678/skills/1"}}}`)
	})
	c := newTestClient(t, s.URL, nil)
	r, err := c.Do(context.Background(), &Request{Path: "skills/1"})
	if err != nil || len(r.Links()) != 1 || r.Links()[0].Rel != "self" {
		t.Fatalf("links = %+v, %v; want the self link", r, err)
	}
	r, err = c.Do(context.Background(), &Request{Path: "skills/1", NoLinks: true})
	if err != nil || r.Links() != nil || len(r.Body) == 0 {
		t.Fatalf("with NoLinks: links %+v, body %d bytes, %v; want no links and the body", r.Links(), len(r.Body), err)
	}
}
