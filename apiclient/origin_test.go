package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// redirectCodes are every status net/http follows.
var redirectCodes = []int{301, 302, 303, 307, 308}

// authModes are the ways a request carries credentials.
var authModes = []struct {
	name      string
	auth      Auth
	placement Placement
}{
	{"oauth/header", AuthOAuth, PlaceHeader},
	{"oauth/query", AuthOAuth, PlaceQuery},
	{"appkey/header", AuthAppKey, PlaceHeader},
	{"appkey/query", AuthAppKey, PlaceQuery},
}

// leaked describes what of a credential or a body reached a server that
// should have received nothing.
func leaked(s seen) string {
	var out []string
	if a := s.Header.Get("Authorization"); a != "" {
		out = append(out, "Authorization "+strconv.Quote(a))
	}
	if strings.Contains(s.RawQuery, "appKey=") || strings.Contains(s.RawQuery, "oauth_") {
		out = append(out, "query "+strconv.Quote(s.RawQuery))
	}
	if len(s.Body) > 0 {
		out = append(out, "body "+strconv.Quote(string(s.Body)))
	}
	return strings.Join(out, ", ")
}

// Finding 5: a redirect to another origin (here: another port of
// 127.0.0.1, a real second listener) used to be signed afresh by the
// transport, so the other server received an Authorization header, in
// appKey mode the whole credential, and after a 307/308 the body. Now it is
// refused with a *CrossOriginRedirectError naming the target, and the other
// server receives nothing.
func TestCrossOriginRedirectRefused(t *testing.T) {
	var recB recorder
	other := serve(t, func(w http.ResponseWriter, r *http.Request) { recB.record(r); okJSON(w, `{}`) })
	var recA recorder
	origin := serve(t, func(w http.ResponseWriter, r *http.Request) {
		recA.record(r)
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		http.Redirect(w, r, other.URL+"/collect?x=1", code)
	})
	ctx := context.Background()
	body := []byte(`{"skill":{"name":"secret plans"}}`)
	calls := []struct {
		name string
		do   func(c *Client, q string) (*Response, error)
	}{
		{"GET", func(c *Client, q string) (*Response, error) { return c.Get(ctx, "go?"+q, nil) }},
		{"POST", func(c *Client, q string) (*Response, error) { return c.Create(ctx, "go?"+q, body, wire.JSON) }},
		{"PUT", func(c *Client, q string) (*Response, error) { return c.Update(ctx, "go?"+q, body, wire.JSON, `"1"`) }},
	}
	for _, m := range authModes {
		c := newTestClient(t, origin.URL, func(c *Config) { c.Auth, c.Placement = m.auth, m.placement })
		for _, code := range redirectCodes {
			for _, call := range calls {
				name := fmt.Sprintf("%s %d %s", m.name, code, call.name)
				nA, nB := recA.count(), recB.count()
				_, err := call.do(c, "code="+strconv.Itoa(code))
				for _, s := range recB.all()[nB:] {
					t.Errorf("%s: the other origin received %s %s (%s)", name, s.Method, s.Path, leaked(s))
				}
				var co *CrossOriginRedirectError
				if !errors.As(err, &co) {
					t.Errorf("%s: err = %v, want a *CrossOriginRedirectError", name, err)
					continue
				}
				if co.Status != code || co.Origin != origin.URL || !strings.HasPrefix(co.Target, other.URL+"/collect?x=1") || !co.Credentials {
					t.Errorf("%s: error %+v", name, co)
				}
				if !strings.Contains(err.Error(), other.URL) || strings.Contains(err.Error(), "oauth_signature") || strings.Contains(err.Error(), "appKey=") {
					t.Errorf("%s: message must name the target, without credentials: %v", name, err)
				}
				// The body would have travelled only on 307/308.
				if want := call.name != "GET" && (code == 307 || code == 308); co.Body != want {
					t.Errorf("%s: Body = %v, want %v", name, co.Body, want)
				}
				if recA.count()-nA != 1 {
					t.Errorf("%s: the origin saw %d requests: a refused redirect is not retried", name, recA.count()-nA)
				}
			}
		}
	}

	// Without credentials, a body still stays home on 307/308; a GET
	// follows as before (with nothing of the caller's Authorization).
	c := newTestClient(t, origin.URL, func(c *Config) { c.Auth = AuthNone })
	for _, code := range []int{307, 308} {
		nB := recB.count()
		_, err := c.Create(ctx, "go?code="+strconv.Itoa(code), body, wire.JSON)
		var co *CrossOriginRedirectError
		if !errors.As(err, &co) || co.Credentials || !co.Body || recB.count() != nB {
			t.Errorf("unsigned POST, %d: %v (%d requests reached the other origin)", code, err, recB.count()-nB)
		}
	}
	if _, err := c.Do(ctx, &Request{Path: "go?code=302", Header: http.Header{"Authorization": {"Bearer private"}}}); err != nil {
		t.Fatalf("unsigned GET across origins: %v", err)
	}
	if s := recB.last(t); leaked(s) != "" {
		t.Errorf("unsigned GET across origins carried %s", leaked(s))
	}
}

// Same-origin redirects are followed as before, each hop signed (or keyed)
// for its own URL, with the body re-sent on 307/308.
func TestSameOriginRedirectFollowed(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		if code, _ := strconv.Atoi(r.URL.Query().Get("code")); code != 0 {
			// An absolute Location with the default-port-free host as
			// the client sent it, and a relative one: both same origin.
			loc := "/api/account/12345678/target"
			if code%2 == 0 {
				loc = "http://" + r.Host + loc
			}
			http.Redirect(w, r, loc, code)
			return
		}
		okJSON(w, `{}`)
	})
	ctx := context.Background()
	body := []byte(`{"a":1}`)
	for _, m := range authModes {
		c := newTestClient(t, srv.URL, func(c *Config) { c.Auth, c.Placement = m.auth, m.placement })
		for _, code := range redirectCodes {
			name := fmt.Sprintf("%s %d", m.name, code)
			if _, err := c.Create(ctx, "go?code="+strconv.Itoa(code), body, wire.JSON); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			s := rec.last(t)
			if !strings.HasSuffix(s.Path, "/target") {
				t.Fatalf("%s: redirect not followed: %s", name, s.Path)
			}
			switch m.auth {
			case AuthOAuth:
				if !s.Signed || s.SigErr != nil {
					t.Errorf("%s: target hop signed %v: %v", name, s.Signed, s.SigErr)
				}
			case AuthAppKey:
				if s.Header.Get("Authorization") != "LivePerson appKey=test-consumer" && !strings.Contains(s.RawQuery, "appKey=test-consumer") {
					t.Errorf("%s: target hop without the key: %v %q", name, s.Header, s.RawQuery)
				}
			}
			if resent := code == 307 || code == 308; resent != (string(s.Body) == string(body)) {
				t.Errorf("%s: body at the target %q", name, s.Body)
			}
		}
	}
}

func TestSameOrigin(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		same bool
	}{
		{"http://127.0.0.1:80/a", "http://127.0.0.1/b?x", true},
		{"HTTPS://API.example.test/a", "https://api.example.test:443/", true},
		{"http://[::1]:8080/", "http://[::1]:8080/x", true},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8081/", false},
		{"http://127.0.0.1:8080/", "http://localhost:8080/", false},
		{"http://api.example.test/", "https://api.example.test/", false},
		{"https://api.example.test/", "https://api.example.test.evil/", false},
		{"https://api.example.test:443/", "https://api.example.test:8443/", false},
	} {
		a, _ := url.Parse(tt.a)
		b, _ := url.Parse(tt.b)
		if SameOrigin(a, b) != tt.same || SameOrigin(b, a) != tt.same {
			t.Errorf("SameOrigin(%s, %s) != %v", tt.a, tt.b, tt.same)
		}
	}
}
