package apiclient

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// testRSAKey reads the oauthsig test key pair.
func testRSAKey(t testing.TB) (*rsa.PrivateKey, *rsa.PublicKey) {
	t.Helper()
	priv, err := os.ReadFile("oauthsig/testdata/rsa-pkcs1.pem")
	if err != nil {
		t.Fatal(err)
	}
	k, err := oauthsig.ParsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return k, &k.PublicKey
}

// received is what a verifying server saw of one request, and what it
// concluded, independently of the client's signing code paths.
type received struct {
	Method, URL string
	Header      http.Header
	Body        []byte
	Base        string
	Protocol    map[string]string // every oauth_* and realm, wherever it came from
	Where       string            // header, query or form
	Err         error
}

// verifyReceived recomputes the signature of r as a provider would, with
// oauthsig's reference builder and Verify: the protocol parameters from
// the header (realm aside), the query or the form body; the body hash
// checked against the exact body.
func verifyReceived(r *http.Request, body []byte, scheme string, key oauthsig.VerifyKey) received {
	u := &url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	rc := received{Method: r.Method, URL: u.String(), Header: r.Header.Clone(), Body: body, Protocol: map[string]string{}}
	fail := func(err error) received { rc.Err = err; return rc }
	var header []oauthsig.Param
	if h := r.Header.Get("Authorization"); h != "" {
		ps, err := oauthsig.ParseHeader(h)
		if err != nil {
			return fail(err)
		}
		header, rc.Where = ps, "header"
		for _, p := range ps {
			rc.Protocol[p.Key] = p.Value
		}
	}
	query, err := oauthsig.ParseForm(r.URL.RawQuery)
	if err != nil {
		return fail(err)
	}
	var form []oauthsig.Param
	isForm := oauthsig.IsForm(r.Header.Get("Content-Type"))
	if isForm {
		if form, err = oauthsig.ParseForm(string(body)); err != nil {
			return fail(err)
		}
	}
	for where, ps := range map[string][]oauthsig.Param{"query": query, "form": form} {
		for _, p := range ps {
			if strings.HasPrefix(p.Key, "oauth_") {
				if _, dup := rc.Protocol[p.Key]; dup {
					return fail(fmt.Errorf("duplicate %s", p.Key))
				}
				rc.Protocol[p.Key], rc.Where = p.Value, where
			}
		}
	}
	if rc.Base, err = oauthsig.BaseString(r.Method, u, form, header); err != nil {
		return fail(err)
	}
	m := oauthsig.Method(rc.Protocol["oauth_signature_method"])
	if bh, ok := rc.Protocol["oauth_body_hash"]; ok {
		if isForm {
			return fail(errors.New("oauth_body_hash on a form body"))
		}
		if bh != m.BodyHash(body) {
			return fail(errors.New("oauth_body_hash does not match the body"))
		}
	}
	if err := oauthsig.Verify(m, key, rc.Base, rc.Protocol["oauth_signature"]); err != nil {
		return fail(fmt.Errorf("%s: %w (base %s)", m, err, rc.Base))
	}
	return rc
}

// verifyingServer answers 200 to requests that verify and 401 to the rest,
// recording each.
type verifyingServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []received
}

func newVerifyingServer(t *testing.T, tls bool, key oauthsig.VerifyKey) *verifyingServer {
	t.Helper()
	vs := &verifyingServer{}
	scheme := "http"
	if tls {
		scheme = "https"
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc := verifyReceived(r, body, scheme, key)
		vs.mu.Lock()
		vs.seen = append(vs.seen, rc)
		vs.mu.Unlock()
		if rc.Err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, rc.Err)
			return
		}
		okJSON(w, `{"ok":true}`)
	})
	if tls {
		vs.Server = httptest.NewTLSServer(h)
	} else {
		vs.Server = httptest.NewServer(h)
	}
	t.Cleanup(vs.Close)
	return vs
}

func (vs *verifyingServer) last(t *testing.T) received {
	t.Helper()
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if len(vs.seen) == 0 {
		t.Fatal("server saw no request")
	}
	return vs.seen[len(vs.seen)-1]
}

func (vs *verifyingServer) count() int {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	return len(vs.seen)
}

// methodClient is a Client for method m against vs (https for PLAINTEXT).
func methodClient(t *testing.T, vs *verifyingServer, m oauthsig.Method, mod func(*Config)) *Client {
	t.Helper()
	priv, _ := testRSAKey(t)
	cr := testCreds
	cr.PrivateKey = priv
	cfg := Config{BaseURL: vs.URL + "/api/account/12345678", Credentials: cr, SignatureMethod: m, MaxRetries: -1}
	if vs.TLS != nil {
		cfg.Transport = vs.Client().Transport
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%s): %v", m, err)
	}
	return c
}

func testVerifyKey(t *testing.T) oauthsig.VerifyKey {
	_, pub := testRSAKey(t)
	return oauthsig.VerifyKey{ConsumerSecret: testCreds.ConsumerSecret, TokenSecret: testCreds.TokenSecret, Public: pub}
}

// Every method, in every placement, with and without realm and body hash,
// verifies at a server that rebuilds the base string from what arrived;
// the base string the Client reports is that server's.
func TestEveryMethodPlacementAndExtensionVerifies(t *testing.T) {
	key := testVerifyKey(t)
	plain, tls := newVerifyingServer(t, false, key), newVerifyingServer(t, true, key)
	query := []oauthsig.Param{{Key: "rep", Value: "b"}, {Key: "rep", Value: "a"}, {Key: "q", Value: "a space"}}
	reqs := map[string]*Request{
		"GET":       {Path: "items", Query: query},
		"POST JSON": {Method: "POST", Path: "items", Query: query, Body: []byte(`{"name":"a b"}`), BodyFormat: wire.JSON},
		"POST form": {Method: "POST", Path: "items", Query: query, Body: []byte("f=1+2&f=%7E&g"),
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}},
	}
	ctx := context.Background()
	for _, m := range oauthsig.Methods {
		vs := plain
		if m.SendsSecrets() {
			vs = tls
		}
		for _, pl := range []Placement{PlaceHeader, PlaceQuery, PlaceForm} {
			for _, ext := range []string{"", "realm", "body hash"} {
				c := methodClient(t, vs, m, func(cfg *Config) {
					cfg.Placement = pl
					cfg.Realm = map[string]string{"realm": "Photos & more"}[ext]
					cfg.BodyHash = ext == "body hash"
				})
				for name, req := range reqs {
					label := fmt.Sprintf("%s %s %s %s", m, pl, ext, name)
					if pl == PlaceForm && name == "POST JSON" {
						if _, err := c.Do(ctx, req); !errors.Is(err, ErrFormPlacement) {
							t.Errorf("%s: %v, want ErrFormPlacement", label, err)
						}
						continue
					}
					resp, err := c.Do(ctx, req)
					if err != nil {
						t.Errorf("%s: %v", label, err)
						continue
					}
					got := vs.last(t)
					if resp.Signed == nil || resp.Signed.BaseString != got.Base || resp.Signed.SignatureMethod != m {
						t.Errorf("%s: Signed %+v, server's base %s", label, resp.Signed, got.Base)
					}
					wantWhere := pl.String()
					if pl == PlaceForm && name == "GET" {
						wantWhere = "query" // no body to carry them
					}
					if got.Where != wantWhere {
						t.Errorf("%s: credentials arrived in the %s", label, got.Where)
					}
					_, hasRealm := got.Protocol["realm"]
					if hasRealm != (ext == "realm" && pl == PlaceHeader) {
						t.Errorf("%s: realm sent: %v", label, hasRealm)
					}
					if hasRealm && !strings.HasPrefix(got.Header.Get("Authorization"), `OAuth realm="Photos%20%26%20more", `) {
						t.Errorf("%s: realm not first: %s", label, got.Header.Get("Authorization"))
					}
					_, hasHash := got.Protocol["oauth_body_hash"]
					if hasHash != (ext == "body hash" && name != "POST form") {
						t.Errorf("%s: body hash sent: %v", label, hasHash)
					}
				}
			}
		}
	}
}

// The same requests altered after signing fail at the verifying server, so
// the test above proves something.
func TestTamperedRequestFailsVerification(t *testing.T) {
	key := testVerifyKey(t)
	vs := newVerifyingServer(t, false, key)
	for _, m := range []oauthsig.Method{oauthsig.HMACSHA256, oauthsig.RSASHA1} {
		for name, tamper := range map[string]func(*http.Request){
			"query": func(r *http.Request) { r.URL.RawQuery += "&injected=1" },
			"body": func(r *http.Request) {
				r.Body, r.ContentLength = io.NopCloser(strings.NewReader(`{"name":"b"}`)), 12
			},
		} {
			c := methodClient(t, vs, m, func(cfg *Config) {
				cfg.BodyHash = true
				cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
					r = r.Clone(r.Context())
					tamper(r)
					return http.DefaultTransport.RoundTrip(r)
				})
			})
			_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "items", Body: []byte(`{"name":"a"}`)})
			var ae *APIError
			if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || vs.last(t).Err == nil {
				t.Errorf("%s %s: tampered request accepted: %v", m, name, err)
			}
			if ae != nil && (ae.Signed == nil || ae.Signed.BaseString == "") {
				t.Errorf("%s %s: the 401's APIError carries no base string", m, name)
			}
		}
	}
}

func TestPlaintextOnlyOverHTTPS(t *testing.T) {
	_, err := New(Config{BaseURL: "http://127.0.0.1:1/x", Credentials: testCreds, SignatureMethod: oauthsig.Plaintext})
	if !errors.Is(err, ErrPlaintextOverHTTP) || !strings.Contains(err.Error(), "PLAINTEXT") || !strings.Contains(err.Error(), "secret") {
		t.Fatalf("New over http: %v", err)
	}
	if _, err := New(Config{BaseURL: "https://example.com/x", Services: map[Service]string{ServiceChatAgent: "http://127.0.0.1:1/y"},
		Credentials: testCreds, SignatureMethod: oauthsig.Plaintext}); !errors.Is(err, ErrPlaintextOverHTTP) {
		t.Fatalf("New with a plain-http service: %v", err)
	}

	vs := newVerifyingServer(t, false, testVerifyKey(t))
	c, err := New(Config{BaseURL: "https://example.com/x", Credentials: testCreds, SignatureMethod: oauthsig.Plaintext})
	if err != nil {
		t.Fatal(err)
	}
	// An absolute URL to plain http: refused before sending, by Do and
	// by DryRun alike.
	if _, err := c.Do(context.Background(), &Request{Path: vs.URL + "/items"}); !errors.Is(err, ErrPlaintextOverHTTP) {
		t.Errorf("Do to plain http: %v", err)
	}
	if _, err := c.DryRun(context.Background(), &Request{Path: vs.URL + "/items"}); !errors.Is(err, ErrPlaintextOverHTTP) {
		t.Errorf("DryRun to plain http: %v", err)
	}
	if vs.count() != 0 {
		t.Error("the plain-http server was reached")
	}
	// A hop that reaches the signer over plain http (a redirect) is
	// refused there too.
	r := httptest.NewRequest("GET", "http://127.0.0.1/x", nil)
	if _, err := c.authorize(r, authSpec{auth: AuthOAuth, placement: PlaceHeader}); !errors.Is(err, ErrPlaintextOverHTTP) || r.Header.Get("Authorization") != "" {
		t.Errorf("signing a plain-http hop: %v %q", err, r.Header.Get("Authorization"))
	}
}

// PLAINTEXT's signature is the secrets: Signed, Curl and DryRun never show
// it, in any placement.
func TestPlaintextSignatureMasked(t *testing.T) {
	vs := newVerifyingServer(t, true, testVerifyKey(t))
	for _, pl := range []Placement{PlaceHeader, PlaceQuery, PlaceForm} {
		c := methodClient(t, vs, oauthsig.Plaintext, func(cfg *Config) { cfg.Placement = pl })
		req := &Request{Method: "POST", Path: "items", Body: []byte("a=1"), Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}
		resp, err := c.Do(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", pl, err)
		}
		dry, err := c.DryRun(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []*Signed{resp.Signed, dry} {
			all := fmt.Sprint(s.URL, s.Header, string(s.Body), s.BaseString, s.Curl())
			for _, secret := range []string{testCreds.ConsumerSecret, testCreds.TokenSecret} {
				if strings.Contains(all, secret) {
					t.Errorf("%s: a secret shows in Signed: %s", pl, all)
				}
			}
			if !strings.Contains(all, MaskedSignature) {
				t.Errorf("%s: no masked signature in %s", pl, all)
			}
		}
		// What went out did carry the real signature.
		if got := vs.last(t); got.Err != nil || !strings.Contains(got.Protocol["oauth_signature"], testCreds.ConsumerSecret) {
			t.Errorf("%s: server saw %+v", pl, got)
		}
	}
}

func TestSigningConfigRefusals(t *testing.T) {
	for name, cfg := range map[string]Config{
		"RSA without a key":       {BaseURL: "http://127.0.0.1/x", Credentials: testCreds, SignatureMethod: oauthsig.RSASHA1},
		"unknown method":          {BaseURL: "http://127.0.0.1/x", Credentials: testCreds, SignatureMethod: "HMAC-MD5"},
		"generic with services":   {BaseURL: "http://127.0.0.1/x", Dialect: DialectGeneric, Services: map[Service]string{ServiceChatAgent: "http://127.0.0.1/y"}},
		"generic with extensions": {BaseURL: "http://127.0.0.1/x", Dialect: DialectGeneric, FormatBy: ByExtension},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// An RSA client needs no consumer secret, and its token secret is not
	// used.
	priv, _ := testRSAKey(t)
	vs := newVerifyingServer(t, false, testVerifyKey(t))
	c, err := New(Config{BaseURL: vs.URL, SignatureMethod: oauthsig.RSASHA256,
		Credentials: Credentials{ConsumerKey: "k", Token: "t", PrivateKey: priv}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(context.Background(), "x", nil); err != nil {
		t.Errorf("RSA without secrets: %v", err)
	}
}
