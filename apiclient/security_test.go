package apiclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// mappedTransport dials addr whatever host a URL names, so that a test can
// address a local server as a non-loopback host such as api.example.test.
func mappedTransport(addr string) *http.Transport {
	tr := NewTransport()
	tr.Proxy = nil
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	return tr
}

func TestInsecureHTTPRefusedUnlessAllowed(t *testing.T) {
	for _, base := range []string{"http://api.example.test/api/account/1", "http://192.0.2.10:8080/x", "HTTP://Example.com/a"} {
		_, err := New(Config{BaseURL: base, Credentials: testCreds})
		if !errors.Is(err, ErrInsecureHTTP) || !strings.Contains(err.Error(), "--insecure-http") {
			t.Errorf("%s: %v", base, err)
		}
		if _, err := New(Config{BaseURL: base, Credentials: testCreds, AllowInsecureHTTP: true}); err != nil {
			t.Errorf("%s allowed: %v", base, err)
		}
	}
	for _, base := range []string{"https://api.example.test/x", "http://127.0.0.1:9/x", "http://localhost/x", "http://[::1]:80/x", "http://127.9.9.9/x"} {
		if _, err := New(Config{BaseURL: base, Credentials: testCreds}); err != nil {
			t.Errorf("%s: %v", base, err)
		}
	}

	// Allowed, the request really goes out, signed for the host it names.
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { rec.record(r); okJSON(w, `{}`) })
	addr := strings.TrimPrefix(srv.URL, "http://")
	_, port, _ := net.SplitHostPort(addr)
	c := newTestClient(t, "http://api.example.test:"+port, func(c *Config) {
		c.AllowInsecureHTTP = true
		c.Transport = mappedTransport(addr)
	})
	if _, err := c.Get(context.Background(), "skills", nil); err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); s.Host != "api.example.test:"+port || !s.Signed || s.SigErr != nil {
		t.Errorf("insecure request: host %q signed %v %v", s.Host, s.Signed, s.SigErr)
	}

	// An absolute URL (a link's href) to a plain-http host elsewhere.
	c = newTestClient(t, srv.URL, func(c *Config) { c.Transport = mappedTransport(addr) })
	n := rec.count()
	_, err := c.Get(context.Background(), "http://other.example.test:"+port+"/x", nil)
	if !errors.Is(err, ErrUnsafeURL) || !errors.Is(err, ErrInsecureHTTP) || rec.count() != n {
		t.Errorf("absolute http URL: %v (%d requests)", err, rec.count()-n)
	}
	c = newTestClient(t, srv.URL, func(c *Config) { c.Transport = mappedTransport(addr); c.AllowInsecureHTTP = true })
	if _, err := c.Get(context.Background(), "http://other.example.test:"+port+"/x", nil); err != nil {
		t.Errorf("absolute http URL allowed: %v", err)
	}
}

// Redirects to plain http elsewhere follow AllowInsecureHTTP, except a
// downgrade from https, which is always refused.
func TestInsecureRedirects(t *testing.T) {
	plain := serve(t, func(w http.ResponseWriter, r *http.Request) { okJSON(w, `{}`) })
	plainAddr := strings.TrimPrefix(plain.URL, "http://")
	_, plainPort, _ := net.SplitHostPort(plainAddr)
	target := "http://plain.example.test:" + plainPort + "/x"
	var hits atomic.Int32
	redirector := func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, target, http.StatusFound)
	}
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(redirector))
	t.Cleanup(tlsSrv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(tlsSrv.Certificate())

	// One transport that reaches the TLS server on 127.0.0.1 and everything
	// else on the plain server.
	tr := NewTransport()
	tr.Proxy = nil
	tr.TLSClientConfig.RootCAs = pool
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if strings.HasPrefix(addr, "127.0.0.1:") {
			return d.DialContext(ctx, network, addr)
		}
		return d.DialContext(ctx, network, plainAddr)
	}
	c := newTestClient(t, tlsSrv.URL, func(c *Config) { c.Transport = tr; c.AllowInsecureHTTP = true; c.MaxRetries = -1 })
	_, err := c.Get(context.Background(), "go", nil)
	if !errors.Is(err, ErrUnsafeRedirect) || !strings.Contains(err.Error(), "from https down to plain http") {
		t.Errorf("https → http redirect: %v", err)
	}

	// From loopback http, the same redirect depends on the setting (for an
	// unsigned request: a signed one never leaves its origin).
	plainRedirector := serve(t, redirector)
	for _, allow := range []bool{false, true} {
		c := newTestClient(t, plainRedirector.URL, func(c *Config) {
			c.Transport = mappedTransportFor(map[string]string{"plain.example.test:" + plainPort: plainAddr})
			c.AllowInsecureHTTP = allow
			c.MaxRetries = -1
			c.Auth = AuthNone
		})
		_, err := c.Get(context.Background(), "go", nil)
		if allow != (err == nil) || (!allow && !errors.Is(err, ErrUnsafeRedirect)) {
			t.Errorf("loopback http → plain http elsewhere, allowed=%v: %v", allow, err)
		}
	}
}

// mappedTransportFor dials the mapped address for the hosts in m and addr
// as named otherwise.
func mappedTransportFor(m map[string]string) *http.Transport {
	tr := NewTransport()
	tr.Proxy = nil
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if to, ok := m[addr]; ok {
			addr = to
		}
		return d.DialContext(ctx, network, addr)
	}
	return tr
}

func TestDiscoverInsecureHTTP(t *testing.T) {
	if _, err := Discover(context.Background(), nil, "http://api.example.test", "1"); !errors.Is(err, ErrInsecureHTTP) {
		t.Errorf("plain-http API host: %v", err)
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
	addr := strings.TrimPrefix(srv.URL, "http://")
	_, port, _ := net.SplitHostPort(addr)
	hc := &http.Client{Transport: mappedTransport(addr)}
	got, err := DiscoverWith(context.Background(), hc, "http://api.example.test:"+port, "1", DiscoverOptions{AllowInsecureHTTP: true})
	if err != nil || got.Account != "http://api.example.test:"+port+"/api/account/1" {
		t.Errorf("allowed: %q %v", got, err)
	}
}

// Certificates are always verified: an untrusted one is a clear x509 error,
// not retried; and no transport that skips verification is accepted.
func TestUntrustedCertificate(t *testing.T) {
	var handshakes atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { okJSON(w, `{}`) }))
	srv.TLS = &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		handshakes.Add(1)
		return nil, nil
	}}
	srv.Config.ErrorLog = quietLog
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Get(context.Background(), "x", nil)
	var cve *tls.CertificateVerificationError
	if !errors.As(err, &cve) || !strings.Contains(err.Error(), "x509") {
		t.Fatalf("untrusted certificate: %v", err)
	}
	if handshakes.Load() != 1 {
		t.Errorf("%d handshakes, want 1 (a certificate error is not retried)", handshakes.Load())
	}

	skip := NewTransport()
	skip.TLSClientConfig.InsecureSkipVerify = true
	if _, err := New(Config{BaseURL: srv.URL, Credentials: testCreds, Transport: skip}); !errors.Is(err, ErrInsecureTLS) {
		t.Errorf("InsecureSkipVerify transport: %v", err)
	}
	hc := &http.Client{Transport: skip}
	if _, err := Discover(context.Background(), hc, srv.URL, "1"); !errors.Is(err, ErrInsecureTLS) {
		t.Errorf("Discover with InsecureSkipVerify: %v", err)
	}

	// Trusted, the same server works (the failure above was the trust).
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	tr := NewTransport()
	tr.TLSClientConfig.RootCAs = pool
	c = newTestClient(t, srv.URL, func(c *Config) { c.Transport = tr })
	if _, err := c.Get(context.Background(), "x", nil); err != nil {
		t.Errorf("trusted: %v", err)
	}
}

// TLS 1.2 is the minimum, also when a caller's transport asks for less.
func TestTLSMinimumVersion(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { okJSON(w, `{}`) }))
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	srv.Config.ErrorLog = quietLog
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())

	// Control: a plain client that allows TLS 1.0 does get through, so the
	// refusal below is about the version, not about trust or ciphers.
	old := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10}}}
	resp, err := old.Get(srv.URL)
	if err != nil {
		t.Skipf("this Go build cannot speak TLS 1.1 at all: %v", err)
	}
	resp.Body.Close()
	if resp.TLS.Version != tls.VersionTLS11 {
		t.Fatalf("control negotiated %x", resp.TLS.Version)
	}

	lowered := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10}}
	c := newTestClient(t, srv.URL, func(c *Config) { c.Transport = lowered; c.MaxRetries = -1 })
	_, err = c.Get(context.Background(), "x", nil)
	if err == nil || !strings.Contains(err.Error(), "protocol version") {
		t.Fatalf("TLS 1.1 server: %v", err)
	}
	if lowered.TLSClientConfig.MinVersion != tls.VersionTLS10 {
		t.Error("New modified the caller's transport")
	}
	if tr := NewTransport(); tr.TLSClientConfig.MinVersion != tls.VersionTLS12 || tr.TLSClientConfig.InsecureSkipVerify {
		t.Errorf("NewTransport TLS config %+v", tr.TLSClientConfig)
	}
	if tr := NewTransport(); tr.MaxIdleConnsPerHost < 16 {
		t.Errorf("NewTransport keeps %d idle connections per host", tr.MaxIdleConnsPerHost)
	}
}

func TestSecureTransport(t *testing.T) {
	if rt, err := SecureTransport(nil); err != nil || rt.(*http.Transport).TLSClientConfig.MinVersion != tls.VersionTLS12 {
		t.Errorf("nil: %v", err)
	}
	bare := &http.Transport{}
	rt, err := SecureTransport(bare)
	if err != nil || rt == http.RoundTripper(bare) || rt.(*http.Transport).TLSClientConfig.MinVersion != tls.VersionTLS12 ||
		(bare.TLSClientConfig != nil && bare.TLSClientConfig.MinVersion != 0) {
		// (Clone itself lets net/http fill in the original's HTTP/2
		// protocols; its TLS minimum must stay the caller's.)
		t.Errorf("bare transport: %v", err)
	}
	good := NewTransport()
	if rt, err := SecureTransport(good); err != nil || rt != http.RoundTripper(good) {
		t.Errorf("already secure transport replaced: %v", err)
	}
	other := roundTripFunc(func(r *http.Request) (*http.Response, error) { return nil, errors.New("x") })
	if _, err := SecureTransport(other); err != nil {
		t.Errorf("opaque RoundTripper: %v", err)
	}
	for raw, want := range map[string]bool{"http://a.example": true, "https://a.example": false, "http://127.0.0.1:1": false,
		"http://localhost": false, "http://[::1]": false, "http://localhost.example": true, "http://10.0.0.1": true} {
		u, _ := url.Parse(raw)
		if InsecureURL(u) != want {
			t.Errorf("InsecureURL(%s) = %v", raw, !want)
		}
	}
	if w := InsecureWarning("h.example:80"); !strings.HasPrefix(w, "WARNING: --insecure-http") || !strings.Contains(w, "h.example:80") {
		t.Errorf("warning %q", w)
	}
}

// quietLog drops the servers' expected handshake-failure lines.
var quietLog = log.New(io.Discard, "", 0)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
