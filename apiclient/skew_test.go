package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestClockSkew(t *testing.T) {
	const ahead = time.Hour
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		s := rec.record(r)
		serverNow := time.Now().Add(ahead)
		w.Header().Set("Date", serverNow.UTC().Format(http.TimeFormat))
		var ts string
		if ps, err := oauthsig.ParseHeader(s.Header.Get("Authorization")); err == nil {
			for _, p := range ps {
				if p.Key == "oauth_timestamp" {
					ts = p.Value
				}
			}
		}
		var sec int64
		fmt.Sscan(ts, &sec)
		if d := serverNow.Sub(time.Unix(sec, 0)); s.SigErr != nil || d > 300*time.Second || d < -300*time.Second {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(401)
			w.Write(wire.Error{Message: "Timestamp refused", Reason: "server time is " + serverNow.Format(time.RFC3339), InternalCode: wire.CodeStaleTimestamp}.Marshal(wire.XML))
			return
		}
		okJSON(w, `{}`)
	})
	c := newTestClient(t, srv.URL, nil)
	ctx := context.Background()
	resp, err := c.Create(ctx, "chat/request", []byte(`{}`), wire.JSON) // a POST is retried for skew: it was never processed
	if err != nil || resp.Status != 200 {
		t.Fatalf("first request: %v", err)
	}
	if rec.count() != 2 {
		t.Fatalf("%d requests, want 2 (refused, then corrected)", rec.count())
	}
	if off := c.ClockOffset(); off < ahead-5*time.Second || off > ahead+5*time.Second {
		t.Fatalf("offset %v, want about %v", off, ahead)
	}
	if _, err := c.Get(ctx, "x", nil); err != nil || rec.count() != 3 {
		t.Fatalf("the offset was not kept: %d requests, err %v", rec.count(), err)
	}

	// A server that keeps refusing is retried once, not forever.
	bad := serve(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		w.Header().Set("Date", time.Now().Add(ahead).UTC().Format(http.TimeFormat))
		w.WriteHeader(401)
		w.Write(wire.Error{Message: "stale", InternalCode: wire.CodeStaleTimestamp}.Marshal(wire.JSON))
	})
	c = newTestClient(t, bad.URL, nil)
	n := rec.count()
	_, err = c.Get(ctx, "x", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.InternalCode != wire.CodeStaleTimestamp || rec.count()-n != 2 {
		t.Fatalf("persistent refusal: %d requests, err %v", rec.count()-n, err)
	}
}
