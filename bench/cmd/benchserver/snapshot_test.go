package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
)

// A large answer is rendered once and replayed to correctly signed
// requests only; small answers and fresh requests go to the sandbox.
func TestSnapshotsReplayVerified(t *testing.T) {
	big := bytes.Repeat([]byte("x"), snapshotMin)
	renders := 0
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders++
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/account/1/small" {
			w.Write([]byte(`{}`))
			return
		}
		w.Write(big)
	})
	cr := apiclient.Credentials{ConsumerKey: "ck", ConsumerSecret: "cs", Token: "tk", TokenSecret: "ts"}
	srv := httptest.NewServer(&snapshots{next: next, cr: cr})
	defer srv.Close()
	client := func(cr apiclient.Credentials) *apiclient.Client {
		c, err := apiclient.New(apiclient.Config{BaseURL: srv.URL + "/api/account/1", AccountID: "1", Credentials: cr, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := client(cr)
	ctx := context.Background()
	for i := range 3 {
		r, err := c.Get(ctx, "users?limit=5", nil)
		if err != nil || !bytes.Equal(r.Body, big) {
			t.Fatalf("get %d: %v, %d bytes", i, err, len(r.Body))
		}
	}
	if renders != 1 {
		t.Errorf("rendered %d times, want once", renders)
	}
	bad := cr
	bad.TokenSecret = "wrong"
	if _, err := client(bad).Get(ctx, "users?limit=5", nil); err == nil {
		t.Error("a replay with a bad signature was served")
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/account/1/users?limit=5&v=1", nil)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "LivePerson appKey=ck")
	req.Header.Set(freshHeader, "1")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 || renders != 2 {
		t.Errorf("fresh: %v, renders %d", err, renders)
	}
	for range 2 {
		if _, err := c.Get(ctx, "small", nil); err != nil {
			t.Fatal(err)
		}
	}
	if renders != 4 {
		t.Errorf("small answers replayed: %d renders", renders)
	}
}
