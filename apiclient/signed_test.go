package apiclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// sameAsReceived reports how s differs from what the server received: the
// method, the URL, every header s names, the body and the base string.
func sameAsReceived(s *Signed, got received) error {
	if got.Err != nil {
		return fmt.Errorf("server refused it: %w", got.Err)
	}
	if s.Method != got.Method || s.URL != got.URL {
		return fmt.Errorf("sent %s %s, received %s %s", s.Method, s.URL, got.Method, got.URL)
	}
	for k, vs := range s.Header {
		if g := got.Header.Values(k); strings.Join(g, "\n") != strings.Join(vs, "\n") {
			return fmt.Errorf("header %s: Signed %q, received %q", k, vs, g)
		}
	}
	if !bytes.Equal(s.Body, got.Body) {
		return fmt.Errorf("body: Signed %q, received %q", s.Body, got.Body)
	}
	if s.BaseString == "" || s.BaseString != got.Base {
		return fmt.Errorf("base string: Signed %q, server %q", s.BaseString, got.Base)
	}
	return nil
}

var inspectorRequests = map[string]*Request{
	"GET repeated keys and a space": {Path: "items", Query: []oauthsig.Param{{Key: "k", Value: "2"}, {Key: "k", Value: "1"}, {Key: "s", Value: "a b"}}},
	"POST JSON":                     {Method: "POST", Path: "items/it's", Body: []byte(`{"name":"it's \"quoted\""}`), BodyFormat: wire.JSON},
	"POST form": {Method: "POST", Path: "items", Body: []byte("a=1&b=x+y"),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Quote": {`a 'b' "c"`}}},
	"PUT": {Method: "PUT", Path: "items/7", Body: []byte(`{}`), IfMatch: `"3"`},
}

// Response.Signed and DryRun's Signed are what the server received: method,
// URL, headers, body, and the base string the server computed. A dry run
// sends nothing; sent afterwards exactly as it reads, it verifies.
func TestSignedIsWhatTheServerReceived(t *testing.T) {
	vs := newVerifyingServer(t, false, testVerifyKey(t))
	ctx := context.Background()
	for _, m := range []oauthsig.Method{oauthsig.HMACSHA1, oauthsig.RSASHA256} {
		for _, pl := range []Placement{PlaceHeader, PlaceQuery, PlaceForm} {
			for _, d := range []Dialect{DialectLivePerson, DialectGeneric} {
				c := methodClient(t, vs, m, func(cfg *Config) { cfg.Placement, cfg.Dialect, cfg.Realm = pl, d, "R" })
				for name, req := range inspectorRequests {
					label := fmt.Sprintf("%s %s %s %s", m, pl, d, name)
					if pl == PlaceForm && req.Header.Get("Content-Type") == "" && req.Body != nil {
						continue // refused, tested elsewhere
					}
					resp, err := c.Do(ctx, req)
					if err != nil {
						t.Errorf("%s: %v", label, err)
						continue
					}
					if err := sameAsReceived(resp.Signed, vs.last(t)); err != nil {
						t.Errorf("%s: Response.Signed: %v", label, err)
					}

					before := vs.count()
					dry, err := c.DryRun(ctx, req)
					if err != nil {
						t.Errorf("%s: DryRun: %v", label, err)
						continue
					}
					if vs.count() != before {
						t.Fatalf("%s: DryRun sent the request", label)
					}
					if dry.BaseString == resp.Signed.BaseString {
						t.Errorf("%s: the dry run reused the nonce", label)
					}
					hr, err := http.NewRequest(dry.Method, dry.URL, bytes.NewReader(dry.Body))
					if err != nil {
						t.Fatal(err)
					}
					hr.Header = dry.Header.Clone()
					hresp, err := http.DefaultClient.Do(hr)
					if err != nil {
						t.Fatal(err)
					}
					hresp.Body.Close()
					if err := sameAsReceived(dry, vs.last(t)); err != nil || hresp.StatusCode != http.StatusOK {
						t.Errorf("%s: DryRun's Signed sent as it reads: %d %v", label, hresp.StatusCode, err)
					}
				}
			}
		}
	}
}

// Curl's command line, run by a shell, sends the request that verifies:
// the quoting holds for quotes in the path, headers and body.
func TestCurlReplaysOnce(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	vs := newVerifyingServer(t, false, testVerifyKey(t))
	for _, pl := range []Placement{PlaceHeader, PlaceQuery, PlaceForm} {
		c := methodClient(t, vs, oauthsig.HMACSHA256, func(cfg *Config) { cfg.Placement = pl; cfg.BodyHash = true })
		for name, req := range inspectorRequests {
			if pl == PlaceForm && req.Header.Get("Content-Type") == "" && req.Body != nil {
				continue
			}
			dry, err := c.DryRun(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			cmd := dry.Curl()
			if !strings.Contains(cmd, "single use") && !strings.Contains(cmd, "Single use") || !strings.Contains(cmd, "lpdesk proxy") ||
				!strings.Contains(cmd, "http://127.0.0.1:8181/items") {
				t.Errorf("%s %s: the note is missing:\n%s", pl, name, cmd)
			}
			out, err := exec.Command("sh", "-c", strings.TrimSuffix(cmd, "\n")+" -s -o /dev/null -w '%{http_code}'").CombinedOutput()
			if err != nil || string(out) != "200" {
				t.Errorf("%s %s: curl: %v %s\n%s", pl, name, err, out, cmd)
				continue
			}
			if err := sameAsReceived(dry, vs.last(t)); err != nil {
				t.Errorf("%s %s: curl sent something else: %v\n%s", pl, name, err, cmd)
			}
		}
	}
}

func TestCurlQuoting(t *testing.T) {
	s := Signed{Method: "POST", URL: "http://h/p?a=1&b='", Header: http.Header{"X-A": {"it's"}}, Body: []byte("x'y"), BaseString: "b"}
	got := s.Curl()
	for _, want := range []string{`curl -X 'POST' 'http://h/p?a=1&b='\'''`, `-H 'X-A: it'\''s'`, `-H 'Content-Type:'`, `--data-binary 'x'\''y'`} {
		if !strings.Contains(got, want) {
			t.Errorf("Curl lacks %s:\n%s", want, got)
		}
	}
	s.Body = []byte("a\x00b")
	if got := s.Curl(); !strings.Contains(got, "--data-binary @-") || strings.Contains(got, "\x00") {
		t.Errorf("binary body:\n%q", got)
	}
}

// The generic dialect sends what was written: the real method, no v=1, no
// method override, Accept only when a format was asked for, the path
// joined to the base URL as the LivePerson dialect joins it.
func TestGenericDialect(t *testing.T) {
	vs := newVerifyingServer(t, false, testVerifyKey(t))
	c := methodClient(t, vs, oauthsig.HMACSHA1, func(cfg *Config) { cfg.Dialect = DialectGeneric; cfg.BaseURL = vs.URL + "/rest/2" })
	ctx := context.Background()
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		req := &Request{Method: m, Path: "chat/a b", Query: []oauthsig.Param{{Key: "x", Value: "1"}}}
		if m != "GET" && m != "DELETE" {
			req.Body, req.BodyFormat = []byte(`{"a":1}`), wire.JSON
		}
		if _, err := c.Do(ctx, req); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		got := vs.last(t)
		if got.Method != m || got.URL != vs.URL+"/rest/2/chat/a%20b?x=1" || got.Header.Get("X-HTTP-Method-Override") != "" || got.Header.Get("Accept") != "" {
			t.Errorf("%s arrived as %s %s, override %q, Accept %q", m, got.Method, got.URL, got.Header.Get("X-HTTP-Method-Override"), got.Header.Get("Accept"))
		}
		if !strings.HasPrefix(got.Base, m+"&") {
			t.Errorf("%s signed as %s", m, got.Base)
		}
	}
	if _, err := c.Do(ctx, &Request{Path: "x", Format: wire.XML}); err != nil || vs.last(t).Header.Get("Accept") != "application/xml" {
		t.Errorf("asked for XML: %v %q", err, vs.last(t).Header.Get("Accept"))
	}
	if _, err := c.Do(ctx, &Request{Path: "x", FormatBy: ByExtension}); err == nil {
		t.Error("a format extension was accepted in the generic dialect")
	}
	if _, err := c.Do(ctx, &Request{Method: "OPTIONS", Path: "x"}); err == nil {
		t.Error("OPTIONS accepted")
	}
	// The LivePerson dialect keeps its conventions.
	lp := methodClient(t, vs, oauthsig.HMACSHA1, nil)
	if _, err := lp.Do(ctx, &Request{Method: "PUT", Path: "skills/1", Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if got := vs.last(t); got.Method != "POST" || got.Header.Get("X-HTTP-Method-Override") != "PUT" || !strings.HasSuffix(got.URL, "?v=1") {
		t.Errorf("LivePerson PUT arrived as %s %s override %q", got.Method, got.URL, got.Header.Get("X-HTTP-Method-Override"))
	}
	if _, err := lp.Do(ctx, &Request{Method: "PATCH", Path: "skills/1"}); err == nil {
		t.Error("LivePerson dialect accepted PATCH")
	}
}

// A 401's APIError carries what was sent, so the caller can print its base
// string next to the provider's answer; an unsigned request has none.
func TestAPIErrorCarriesSigned(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
	c := newTestClient(t, srv.URL, nil)
	resp, err := c.Get(context.Background(), "skills", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Signed == nil || !strings.HasPrefix(ae.Signed.BaseString, "GET&http%3A%2F%2F127.0.0.1") || resp.Signed != ae.Signed {
		t.Fatalf("%v %+v", err, ae)
	}
	resp, _ = c.Do(context.Background(), &Request{Path: "skills", Auth: AuthNone})
	if resp == nil || resp.Signed != nil {
		t.Errorf("unsigned request has Signed %+v", resp)
	}
}

func TestHeaderLines(t *testing.T) {
	h := http.Header{"X-B": {"2", "1"}, "Authorization": {`OAuth realm="r"`}, "Accept": {"application/json"}}
	got := HeaderLines(h)
	want := []string{"Accept: application/json", `Authorization: OAuth realm="r"`, "X-B: 2", "X-B: 1"}
	if !slices.Equal(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
}
