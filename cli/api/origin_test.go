package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// Finding 5: `lpdesk api` with an absolute URL on another origin than the
// profile's base used to sign the request for that origin and send it.
// Now it is refused before anything is sent, with a message naming both.
func TestAbsoluteURLOnAnotherOriginRefused(t *testing.T) {
	h := newHarness(t)
	var hits atomic.Int32
	var gotAuth atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		gotAuth.Store(r.Header.Get("Authorization") + " " + r.URL.RawQuery)
	}))
	t.Cleanup(other.Close)
	sbURL, _ := url.Parse(h.srv.URL)
	otherURL, _ := url.Parse(other.URL)

	for _, args := range [][]string{
		{other.URL + "/api/account/12345678/skills"},
		{"--placement", "query", other.URL + "/x"},
		{"--auth", "appkey", other.URL + "/x"},
		{"--auth", "none", other.URL + "/x"},
		{"-X", "POST", "--input", "-", strings.ToUpper(other.URL[:4]) + other.URL[4:] + "/x"},
		// The same port by another name is another origin too.
		{"http://localhost:" + sbURL.Port() + "/api/account/12345678/skills"},
		// User info in front of the profile's host does not make it ours.
		{"http://" + sbURL.Host + "@" + otherURL.Host + "/x"},
	} {
		_, errOut, err := h.run(t, `{"secret":1}`, false, args...)
		if !errors.Is(err, ErrOtherOrigin) {
			t.Errorf("%v: err = %v, want ErrOtherOrigin", args, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, h.srv.URL) || strings.Contains(msg, sbURL.Host+"@") {
			t.Errorf("%v: the message must name the profile's server (and no user info): %s", args, msg)
		}
		if errOut != "" {
			t.Errorf("%v: stderr %q", args, errOut)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the other origin received %d requests (last: %v)", n, gotAuth.Load())
	}

	// A URL on the profile's own origin (a link's href) still works.
	if out, _, err := h.run(t, "", false, h.srv.URL+"/api/account/12345678/skills/1"); err != nil || !strings.Contains(out, `"skill"`) {
		t.Fatalf("same-origin URL: %v\n%s", err, out)
	}
}

func TestCheckOrigin(t *testing.T) {
	const base = "https://api.example.test/api/account/1"
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"skills", true},
		{"/skills?x=1", true},
		{"http:/skills", true}, // not absolute: a path under the base
		{"https://api.example.test/api/account/1/skills", true},
		{"HTTPS://API.EXAMPLE.TEST:443/x", true},
		{"http://api.example.test/x", false},
		{"https://api.example.test:8443/x", false},
		{"https://evil.example/x", false},
		{"https://", false},
	} {
		if err := checkOrigin(tt.in, base); (err == nil) != tt.ok {
			t.Errorf("checkOrigin(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}
