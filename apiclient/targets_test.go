package apiclient

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// TestSameAfterRedaction: the shortcut for Response.URL answers true only
// where redacting the final URL gives the cached redaction.
func TestSameAfterRedaction(t *testing.T) {
	for _, c := range []struct {
		target, final string
		same          bool
	}{
		{"http://h/a/b?v=1", "http://h/a/b?v=1", true},
		{"http://h/a/b?v=1", "http://h/a/b?v=1&oauth_nonce=n&oauth_signature=s", true},
		{"http://h/a/b", "http://h/a/b?oauth_nonce=n&oauth_signature=s", true},
		{"http://h/a/b?v=1", "http://h/a/b?v=1&appKey=k", false},
		{"http://h/a/b?v=1", "http://h/a/b?v=1&oauth_nonce=n&x=1", false},
		{"http://h/a/b?v=1", "http://h/a/c?v=1", false},
		{"http://h/a/b?v=1", "http://h2/a/b?v=1", false},
		{"http://h/a/b?v=1", "https://h/a/b?v=1", false},
		{"http://h/a/b?x=1&&v=1", "http://h/a/b?x=1&&v=1&oauth_nonce=n", false},
		{"http://h/a/b?x=1&&v=1", "http://h/a/b?x=1&&v=1", true},
		{"http://h/a/b?v=1", "http://h/a/b?v=10", false},
	} {
		tu, _ := url.Parse(c.target)
		fu, _ := url.Parse(c.final)
		tg := &target{url: tu, redacted: redactURL(tu)}
		got := tg.sameAfterRedaction(fu)
		if got != c.same {
			t.Errorf("%s → %s: %v, want %v", c.target, c.final, got, c.same)
		}
		if got && redactURL(fu) != tg.redacted {
			t.Errorf("%s → %s: shortcut %q, redaction %q", c.target, c.final, tg.redacted, redactURL(fu))
		}
	}
}

// TestTargetCache: a path resolves the same through the cache as the first
// time, queries are not cached, and what resolve refuses for one auth mode
// is still refused after another cached the path.
func TestTargetCache(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", nil)
	a, err := c.target("skills/1?x=a%20b", nil, AuthOAuth, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.target("skills/1?x=a%20b", nil, AuthOAuth, "")
	if err != nil || b != a {
		t.Fatalf("second resolution not shared: %p %p %v", a, b, err)
	}
	if a.str != "http://127.0.0.1:1/api/account/12345678/skills/1?x=a%20b&v=1" || a.redacted != a.str {
		t.Errorf("target %q, redacted %q", a.str, a.redacted)
	}
	x, err := c.target("skills/1.xml", nil, AuthOAuth, "")
	if err != nil || x.str != "http://127.0.0.1:1/api/account/12345678/skills/1.xml?v=1" {
		t.Fatalf("extension: %v %v", x, err)
	}
	j, err := c.target("skills/1", nil, AuthOAuth, "json")
	if err != nil || j.str != "http://127.0.0.1:1/api/account/12345678/skills/1.json?v=1" {
		t.Fatalf("with the extension: %q %v", j.str, err)
	}
	n, err := c.target("skills/1", nil, AuthOAuth, "")
	if err != nil || n.str != "http://127.0.0.1:1/api/account/12345678/skills/1?v=1" {
		t.Fatalf("without the extension after it was cached with one: %q %v", n.str, err)
	}
	q1, _ := c.target("skills", []oauthsig.Param{{Key: "k", Value: "1"}}, AuthOAuth, "")
	q2, _ := c.target("skills", []oauthsig.Param{{Key: "k", Value: "2"}}, AuthOAuth, "")
	if q1.str == q2.str {
		t.Fatalf("queries cached: %q", q1.str)
	}
	if _, err := c.target("skills?oauth_token=x", nil, AuthNone, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.target("skills?oauth_token=x", nil, AuthOAuth, ""); err == nil {
		t.Fatal("an oauth_* query parameter passed once the path was cached for AuthNone")
	}
	for i := range maxTargets + 10 {
		if _, err := c.target("skills/"+string(rune('a'+i%26))+url.PathEscape(string(rune(0x100+i))), nil, AuthOAuth, ""); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.targets.m) > maxTargets {
		t.Fatalf("cache grew to %d", len(c.targets.m))
	}
	// A cached target is shared by requests: sending must not change it.
	if _, err := c.DryRun(context.Background(), &Request{Method: http.MethodGet, Path: "skills/1?x=a%20b", Placement: PlaceQuery}); err != nil {
		t.Fatal(err)
	}
	if a.url.String() != a.str {
		t.Fatalf("the shared URL changed to %s", a.url)
	}
}
