package apiclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
)

func TestKeepAliveAndConcurrency(t *testing.T) {
	var mu sync.Mutex
	conns := map[string]bool{}
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conns[r.RemoteAddr] = true
		mu.Unlock()
		if s := rec.record(r); s.SigErr != nil {
			w.WriteHeader(401)
			return
		}
		okJSON(w, `{"a":1}`)
	})
	c := newTestClient(t, srv.URL, nil)
	for i := 0; i < 5; i++ {
		if _, err := c.Get(context.Background(), "x", nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(conns) != 1 {
		t.Errorf("%d connections for 5 sequential requests; keep-alive broken", len(conns))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(context.Background(), "x", url.Values{"i": {fmt.Sprint(i)}}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
