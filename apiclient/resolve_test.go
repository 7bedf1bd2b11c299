package apiclient

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

func TestVersionParameter(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { rec.record(r); okJSON(w, `{}`) })
	c := newTestClient(t, srv.URL, nil)
	ctx := context.Background()

	if _, err := c.Get(ctx, "skills", url.Values{"name": {"a"}}); err != nil {
		t.Fatal(err)
	}
	if q := rec.last(t).RawQuery; q != "name=a&v=1" {
		t.Errorf("query = %q, want name=a&v=1", q)
	}
	if _, err := c.Get(ctx, "skills?v=1", nil); err != nil {
		t.Fatal(err)
	}
	if q := rec.last(t).RawQuery; q != "v=1" {
		t.Errorf("v kept: query = %q, want v=1", q)
	}
	if _, err := c.Do(ctx, &Request{Path: "skills", Query: []oauthsig.Param{{Key: "v", Value: "1"}}}); err != nil {
		t.Fatal(err)
	}
	if q := rec.last(t).RawQuery; q != "v=1" {
		t.Errorf("v from Query: query = %q, want v=1", q)
	}

	before := rec.count()
	for _, path := range []string{"skills?v=2", "skills?v=1&v=2"} {
		_, err := c.Get(ctx, path, nil)
		if !errors.Is(err, ErrVersionConflict) {
			t.Errorf("%s: err = %v, want ErrVersionConflict", path, err)
		}
	}
	if _, err := c.Get(ctx, "skills", url.Values{"v": {"2"}}); !errors.Is(err, ErrVersionConflict) {
		t.Errorf("Query v=2: err = %v", err)
	}
	if rec.count() != before {
		t.Error("a conflicting v was sent")
	}
}

func TestPathEncoding(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { rec.record(r); okJSON(w, `{}`) })
	c := newTestClient(t, srv.URL, func(c *Config) { c.Placement = PlaceQuery })
	ctx := context.Background()
	if _, err := c.Get(ctx, "users/a b/Grüße", url.Values{"x": {"1 2"}}); err != nil {
		t.Fatal(err)
	}
	s := rec.last(t)
	if s.Path != "/api/account/12345678/users/a%20b/Gr%C3%BC%C3%9Fe" || s.SigErr != nil {
		t.Errorf("path %q sig %v", s.Path, s.SigErr)
	}
	if !strings.HasPrefix(s.RawQuery, "x=1%202&v=1&oauth_") {
		t.Errorf("query %q", s.RawQuery)
	}
	if _, err := c.Do(ctx, &Request{Path: "x", Query: []oauthsig.Param{{Key: "oauth_token", Value: "t"}}}); err == nil {
		t.Error("user oauth_* parameter accepted")
	}
	n := rec.count()
	if _, err := c.Get(ctx, "http://example.com/api/x", nil); !errors.Is(err, ErrUnsafeURL) || rec.count() != n {
		t.Errorf("signed request to plain http elsewhere: %v", err)
	}
	if _, err := c.Do(ctx, &Request{Path: "http://localhost:1/x", Auth: AuthNone, Method: "GET"}); errors.Is(err, ErrUnsafeURL) {
		t.Errorf("loopback refused: %v", err)
	}
}
