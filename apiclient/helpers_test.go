package apiclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

var testCreds = Credentials{
	ConsumerKey:    "test-consumer",
	ConsumerSecret: "consumer-SECRET-value",
	Token:          "test-token",
	TokenSecret:    "token-SECRET-value",
}

// seen is what a test server observed of one request.
type seen struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
	Host     string
	// SigErr is the result of verifying the OAuth signature the way a
	// server would (nil = valid), when the request carried one.
	SigErr error
	Signed bool
}

// recorder is a test server that verifies every request's signature with
// oauthsig, independently of the client's transport, and records it.
type recorder struct {
	mu   sync.Mutex
	reqs []seen
}

func (rc *recorder) record(r *http.Request) seen {
	body, _ := io.ReadAll(r.Body)
	s := seen{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body, Host: r.Host}
	s.Signed, s.SigErr = verifySignature(r, body, testCreds.ConsumerSecret, testCreds.TokenSecret)
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, s)
	rc.mu.Unlock()
	return s
}

func (rc *recorder) all() []seen {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]seen(nil), rc.reqs...)
}

func (rc *recorder) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.reqs)
}

func (rc *recorder) last(t *testing.T) seen {
	t.Helper()
	all := rc.all()
	if len(all) == 0 {
		t.Fatal("server saw no request")
	}
	return all[len(all)-1]
}

// verifySignature recomputes an OAuth 1.0a signature from what arrived on
// the wire: the Host header, the raw path and query, the form body, and the
// protocol parameters from the header or the query.
func verifySignature(r *http.Request, body []byte, consumerSecret, tokenSecret string) (signed bool, err error) {
	u := &url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	var protocol []oauthsig.Param
	var sig, method string
	found := false
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "OAuth ") {
		ps, err := oauthsig.ParseHeader(h)
		if err != nil {
			return true, err
		}
		found = true
		for _, p := range ps {
			switch p.Key {
			case "oauth_signature":
				sig = p.Value
			case "realm":
			default:
				protocol = append(protocol, p)
			}
		}
	}
	qs, err := oauthsig.ParseForm(r.URL.RawQuery)
	if err != nil {
		return found, err
	}
	all := append([]oauthsig.Param(nil), protocol...)
	for _, p := range qs {
		if p.Key == "oauth_signature" {
			found = true
			sig = p.Value
		}
		all = append(all, p)
	}
	if !found {
		return false, nil
	}
	for _, p := range all {
		if p.Key == "oauth_signature_method" {
			method = p.Value
		}
	}
	var form []oauthsig.Param
	if oauthsig.IsForm(r.Header.Get("Content-Type")) {
		if form, err = oauthsig.ParseForm(string(body)); err != nil {
			return true, err
		}
	}
	base, err := oauthsig.BaseString(r.Method, u, form, protocol)
	if err != nil {
		return true, err
	}
	want, err := oauthsig.Sign(oauthsig.Method(method), consumerSecret, tokenSecret, base)
	if err != nil {
		return true, err
	}
	if !oauthsig.Equal(want, sig) {
		return true, errors.New("signature mismatch; base string " + base)
	}
	return true, nil
}

func newTestClient(t *testing.T, srvURL string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: srvURL + "/api/account/12345678", AccountID: "12345678", Credentials: testCreds}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	// Waits between retries are recorded, not slept.
	c.sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	return c
}

// sleepRecorder replaces the Client's wait with one that records durations.
func sleepRecorder(c *Client) *[]time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return &waits
}

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func okJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(body))
}
