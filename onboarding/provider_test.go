package onboarding

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/store"
)

const (
	fakeAppKey    = "ext-app"
	fakeAppSecret = "ext-consumer-secret-77aa"
	fakeReqSecret = "ext-request-secret-88bb"
	fakeVerifier  = "ext-verifier-99cc"
	fakeAccessSec = "ext-access-secret-00dd"
)

// fakeProvider is another OAuth 1.0a provider: it verifies each leg of the
// flow with oauthsig.Verify for its method, and checks the realm, the body
// hash, oauth_callback and oauth_verifier where they belong.
type fakeProvider struct {
	method   oauthsig.Method
	public   *rsa.PublicKey
	realm    string
	bodyHash bool

	mu       sync.Mutex
	callback string
	failures []string
}

func (p *fakeProvider) fail(format string, a ...any) {
	p.mu.Lock()
	p.failures = append(p.failures, fmt.Sprintf(format, a...))
	p.mu.Unlock()
}

// check verifies r's signature with the token secret; it returns the
// protocol parameters, or nil after answering 401.
func (p *fakeProvider) check(w http.ResponseWriter, r *http.Request, tokenSecret string) map[string]string {
	ps, err := oauthsig.ParseHeader(r.Header.Get("Authorization"))
	if err != nil {
		http.Error(w, "oauth_problem=parameter_absent", http.StatusUnauthorized)
		return nil
	}
	m := map[string]string{}
	for _, q := range ps {
		m[q.Key] = q.Value
	}
	if p.realm != "" && m["realm"] != p.realm {
		p.fail("%s: realm %q", r.URL.Path, m["realm"])
	}
	if p.bodyHash != (m["oauth_body_hash"] != "") || (p.bodyHash && m["oauth_body_hash"] != p.method.BodyHash(nil)) {
		p.fail("%s: body hash %q", r.URL.Path, m["oauth_body_hash"])
	}
	if m["oauth_signature_method"] != string(p.method) || m["oauth_consumer_key"] != fakeAppKey {
		p.fail("%s: method %q key %q", r.URL.Path, m["oauth_signature_method"], m["oauth_consumer_key"])
	}
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	if r.TLS != nil {
		u.Scheme = "https"
	}
	base, err := oauthsig.BaseString(r.Method, &u, nil, ps)
	if err != nil {
		p.fail("%s: base string %v", r.URL.Path, err)
	}
	k := oauthsig.VerifyKey{ConsumerSecret: fakeAppSecret, TokenSecret: tokenSecret, Public: p.public}
	if err := oauthsig.Verify(p.method, k, base, m["oauth_signature"]); err != nil {
		// Like some providers, quote what arrived: lpdesk must not repeat it.
		http.Error(w, "oauth_problem=signature_invalid&debug="+url.QueryEscape(r.Header.Get("Authorization")), http.StatusUnauthorized)
		return nil
	}
	return m
}

func (p *fakeProvider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/oauth/rt":
		m := p.check(w, r, "")
		if m == nil {
			return
		}
		p.mu.Lock()
		p.callback = m["oauth_callback"]
		p.mu.Unlock()
		fmt.Fprintf(w, "oauth_token=req-tok&oauth_token_secret=%s&oauth_callback_confirmed=true", fakeReqSecret)
	case "/oauth/at":
		m := p.check(w, r, fakeReqSecret)
		if m == nil {
			return
		}
		if m["oauth_token"] != "req-tok" || m["oauth_verifier"] != fakeVerifier {
			http.Error(w, "oauth_problem=verifier_invalid", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "oauth_token=acc-tok&oauth_token_secret=%s", fakeAccessSec)
	default:
		http.NotFound(w, r)
	}
}

func startProvider(t *testing.T, p *fakeProvider, tls bool) (*httptest.Server, Options) {
	t.Helper()
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(p)
	} else {
		srv = httptest.NewServer(p)
	}
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, f := range p.failures {
			t.Error(f)
		}
	})
	o := Options{Store: newStore(t), Provider: CustomProvider, Dialect: apiclient.DialectGeneric,
		BaseURL: srv.URL + "/api", SignatureMethod: p.method, Realm: p.realm, BodyHash: p.bodyHash,
		Endpoints:   Endpoints{RequestToken: srv.URL + "/oauth/rt", Authorize: srv.URL + "/oauth/au", AccessToken: srv.URL + "/oauth/at"},
		ConsumerKey: fakeAppKey, HTTPTimeout: 5 * time.Second}
	if tls {
		o.Transport = srv.Client().Transport
	}
	return srv, o
}

func readPEM(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../apiclient/oauthsig/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The three-legged flow against another provider, per signature method:
// each leg verifies, the application's secret or key lands in the keyring
// only, and the profile records what the client needs.
func TestGenericFlowEveryMethod(t *testing.T) {
	pubPEM := readPEM(t, "rsa-public.pem")
	pub, err := oauthsig.ParsePublicKey(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method   oauthsig.Method
		realm    string
		bodyHash bool
		tls      bool
		keyFile  string
	}{
		{method: oauthsig.HMACSHA1},
		{method: oauthsig.HMACSHA256, realm: "1234567_SB1"},
		{method: oauthsig.RSASHA1, keyFile: "rsa-pkcs1.pem", bodyHash: true},
		{method: oauthsig.RSASHA256, keyFile: "rsa-pkcs8.pem", realm: "Jira"},
		{method: oauthsig.Plaintext, tls: true, bodyHash: true},
	}
	for _, c := range cases {
		t.Run(string(c.method), func(t *testing.T) {
			p := &fakeProvider{method: c.method, realm: c.realm, bodyHash: c.bodyHash}
			_, o := startProvider(t, p, c.tls)
			var pem []byte
			if c.keyFile != "" {
				p.public = pub
				pem = readPEM(t, c.keyFile)
				o.PrivateKeyPEM = pem
			} else {
				o.ConsumerSecret = fakeAppSecret
			}
			o.OOB = true
			o.AuthorizeParams = url.Values{"scope": {"read,write"}}
			ctx := context.Background()
			f, err := Begin(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			au, _ := url.Parse(f.AuthorizeURL())
			if au.Query().Get("oauth_token") != "req-tok" || au.Query().Get("scope") != "read,write" || au.Path != "/oauth/au" {
				t.Errorf("authorize URL %s", au)
			}
			if p.callback != "oob" {
				t.Errorf("oauth_callback = %q", p.callback)
			}
			if err := f.Exchange(ctx, "wrong"); !errors.Is(err, ErrBadVerifier) {
				t.Fatalf("wrong verifier: %v", err)
			}
			if err := f.Exchange(ctx, fakeVerifier); err != nil {
				t.Fatal(err)
			}
			prof, err := f.Finish(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if prof.Name != "127.0.0.1" || !prof.Generic() || prof.AccountID != "" || !prof.AppCredentials || prof.ConsumerKey != fakeAppKey ||
				prof.Realm != c.realm || prof.BodyHash != c.bodyHash || prof.Provider != CustomProvider || prof.Endpoints.AccessToken == "" ||
				Verified(prof) {
				t.Errorf("profile %+v", prof)
			}
			if want := c.method; (want == oauthsig.HMACSHA1 && prof.SignatureMethod != "") || (want != oauthsig.HMACSHA1 && prof.SignatureMethod != want) {
				t.Errorf("method %q", prof.SignatureMethod)
			}
			st := o.Store
			if sec, _ := st.Secret(prof.Name); sec != fakeAccessSec {
				t.Errorf("token secret %q", sec)
			}
			app, err := st.AppSecret(prof.Name)
			if want := fakeAppSecret; c.keyFile != "" && app != string(pem) || c.keyFile == "" && app != want || err != nil {
				t.Errorf("app secret from the keyring: %v", err)
			}
			assertNotInDir(t, st.Dir(), fakeAppSecret, fakeAccessSec, fakeReqSecret, fakeVerifier)
			for _, s := range pemSecrets(string(pem)) {
				assertNotInDir(t, st.Dir(), s)
			}
			// Signing out removes both keyring items.
			if _, err := SignOut(st, prof.Name); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Keyring().Get(store.AppItem(prof.Name)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("application item left: %v", err)
			}
		})
	}
}

// A refusal quoting the PLAINTEXT signature (the secrets themselves) or a
// wrong key never brings a secret into the error.
func TestGenericFlowErrorsHoldNoSecret(t *testing.T) {
	p := &fakeProvider{method: oauthsig.Plaintext}
	_, o := startProvider(t, p, true)
	o.ConsumerSecret = "not-the-" + fakeAppSecret
	o.OOB = true
	_, err := Begin(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("Begin with the wrong secret = %v", err)
	}
	if strings.Contains(err.Error(), o.ConsumerSecret) || strings.Contains(err.Error(), url.QueryEscape(o.ConsumerSecret)) {
		t.Errorf("error holds the consumer secret: %v", err)
	}
	p.failures = nil

	// A wrong RSA key: the provider refuses; the error names no key.
	p2 := &fakeProvider{method: oauthsig.RSASHA1}
	p2.public, _ = oauthsig.ParsePublicKey(readPEM(t, "rsa-public.pem"))
	_, o2 := startProvider(t, p2, false)
	o2.PrivateKeyPEM = []byte("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
	if _, err := Begin(context.Background(), o2); err == nil || strings.Contains(err.Error(), "not a key") {
		t.Errorf("Begin with a bad PEM = %v", err)
	}
}

// What resolve refuses for another provider, each with what to do.
func TestGenericOptionsRefused(t *testing.T) {
	_, base := startProvider(t, &fakeProvider{method: oauthsig.HMACSHA1}, false)
	base.ConsumerSecret = fakeAppSecret
	cases := map[string]struct {
		change func(*Options)
		want   string
	}{
		"no base URL":         {func(o *Options) { o.BaseURL = "" }, "--base-url"},
		"no application":      {func(o *Options) { o.ConsumerKey, o.ConsumerSecret = "", "" }, "--app-key"},
		"no secret":           {func(o *Options) { o.ConsumerSecret = "" }, "--app-secret-file"},
		"RSA without key":     {func(o *Options) { o.SignatureMethod = oauthsig.RSASHA1 }, "--app-private-key"},
		"key for HMAC":        {func(o *Options) { o.PrivateKeyPEM = []byte("x") }, "RSA-SHA1 or RSA-SHA256"},
		"PLAINTEXT over http": {func(o *Options) { o.SignatureMethod = oauthsig.Plaintext }, "https only"},
		"unknown method":      {func(o *Options) { o.SignatureMethod = "HMAC-MD5" }, "HMAC-SHA1"},
		"no endpoints":        {func(o *Options) { o.Endpoints.AccessToken = "" }, "--access-token-url"},
		"oob and port":        {func(o *Options) { o.OOB, o.CallbackPort = true, 8123 }, "exclude"},
		"oauth_token extra":   {func(o *Options) { o.AuthorizeParams = url.Values{"oauth_token": {"x"}} }, "oauth_token"},
	}
	for name, c := range cases {
		o := base
		c.change(&o)
		_, err := Begin(context.Background(), o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v (want %q)", name, err, c.want)
		}
		if errors.Is(err, ErrPlaintextOverHTTP) != (name == "PLAINTEXT over http") {
			t.Errorf("%s: ErrPlaintextOverHTTP mismatch: %v", name, err)
		}
	}
}

// A fixed callback port is where the listener opens and what the provider
// is told; a busy port is an error that says so.
func TestFixedCallbackPort(t *testing.T) {
	p := &fakeProvider{method: oauthsig.HMACSHA1}
	_, o := startProvider(t, p, false)
	o.ConsumerSecret = fakeAppSecret
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	o.CallbackPort = port
	if _, err := Begin(context.Background(), o); err == nil || !strings.Contains(err.Error(), "fixed port "+strconv.Itoa(port)) {
		t.Fatalf("Begin on a busy port = %v", err)
	}
	ln.Close()
	f, err := Begin(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := "http://127.0.0.1:" + strconv.Itoa(port) + "/callback"
	if f.CallbackURL() != want || p.callback != want {
		t.Errorf("callback %q, provider got %q, want %q", f.CallbackURL(), p.callback, want)
	}
	// The listener answers there, with the callback's checks.
	status, _ := get(t, want+"?oauth_token=other&oauth_verifier=x")
	if status != http.StatusBadRequest {
		t.Errorf("foreign token on the fixed port: %d", status)
	}
}

// The four-values path for another provider without a check URL saves the
// profile unverified; with a sandbox-style platform and the application's
// own key it verifies with one signed GET, and the client and revocation
// sign with the key from the keyring.
func TestInstallTokens(t *testing.T) {
	_, o := startProvider(t, &fakeProvider{method: oauthsig.HMACSHA1}, false)
	o.ConsumerSecret = fakeAppSecret
	o.Profile = "ext"
	p, err := InstallTokens(context.Background(), o, "acc-tok", fakeAccessSec)
	if err != nil {
		t.Fatal(err)
	}
	if Verified(p) || !p.AppCredentials || p.Token != "acc-tok" {
		t.Errorf("profile %+v", p)
	}
	if _, err := InstallTokens(context.Background(), o, "acc-tok", " "); !errors.Is(err, ErrMissingToken) {
		t.Errorf("empty token secret: %v", err)
	}
	assertNotInDir(t, o.Store.Dir(), fakeAppSecret, fakeAccessSec)
}
