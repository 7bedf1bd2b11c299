package onboarding

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/sandbox"
)

// nonLoopbackIP is an address of this machine that is not loopback, so that
// a test server can be reached over plain http the way a remote one is.
func nonLoopbackIP(t *testing.T) net.IP {
	t.Helper()
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP
		}
	}
	t.Skip("no non-loopback IPv4 address on this machine to listen on")
	return nil
}

// remoteSandbox serves a sandbox on a non-loopback address and counts the
// requests that reach it.
func remoteSandbox(t *testing.T) (*sandbox.Server, string, *atomic.Int32) {
	t.Helper()
	ip := nonLoopbackIP(t)
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 8
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		sb.ServeHTTP(w, r)
	}))
	l, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return sb, srv.URL, &hits
}

// Plain http to a server that is not loopback is refused before anything is
// sent, unless allowed; allowed, the whole flow works, the profile records
// it, and the clients built from that profile allow it too.
func TestInsecureHTTPServer(t *testing.T) {
	sb, server, hits := remoteSandbox(t)
	st := newStore(t)
	ctx := context.Background()
	o := opts(st, server)
	o.OOB = true
	if _, err := Begin(ctx, o); !errors.Is(err, apiclient.ErrInsecureHTTP) || !strings.Contains(err.Error(), "--insecure-http") {
		t.Fatalf("Begin over plain http = %v", err)
	}
	tok, sec, _ := sb.InstallApp(assets.DemoConsumerKey)
	if _, err := InstallCode(ctx, opts(st, server), tok+";"+sec); !errors.Is(err, apiclient.ErrInsecureHTTP) {
		t.Fatalf("InstallCode over plain http = %v", err)
	}
	// An https server with a plain-http endpoint elsewhere is refused too.
	o2 := opts(st, "https://provider.example")
	o2.Endpoints.AccessToken = server + "/oauth/access_token"
	if _, err := Begin(ctx, o2); !errors.Is(err, apiclient.ErrInsecureHTTP) {
		t.Fatalf("plain-http access token URL = %v", err)
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests reached the server before the refusal", hits.Load())
	}

	// Allowed: the three-legged flow, token exchange included.
	o.AllowInsecureHTTP = true
	f, err := Begin(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Exchange(ctx, approveOOB(t, server, tokenOf(t, f.AuthorizeURL()))); err != nil {
		t.Fatal(err)
	}
	p, err := f.Finish(ctx)
	if err != nil || !p.InsecureHTTP {
		t.Fatalf("Finish: %+v %v", p, err)
	}
	raw, _ := os.ReadFile(st.Path())
	if !strings.Contains(string(raw), `"insecureHTTP": true`) {
		t.Errorf("profile file does not record --insecure-http:\n%s", raw)
	}
	c, got, err := OpenClient(ctx, st, "work")
	if err != nil || !got.InsecureHTTP {
		t.Fatalf("OpenClient: %v", err)
	}
	if _, err := c.Get(ctx, "skills", nil); err != nil {
		t.Fatalf("GET over allowed plain http: %v", err)
	}

	// A profile that does not record it (an edited file) is refused on use,
	// unless the caller allows it for this call.
	p.InsecureHTTP = false
	p.Name = "edited"
	if err := st.Save(p, "whatever"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenClient(ctx, st, "edited"); !errors.Is(err, apiclient.ErrInsecureHTTP) {
		t.Errorf("OpenClient for an unmarked plain-http profile = %v", err)
	}
	if _, _, err := OpenClientWith(ctx, st, "edited", ClientOptions{AllowInsecureHTTP: true}); err != nil {
		t.Errorf("OpenClientWith AllowInsecureHTTP = %v", err)
	}

	res, err := Revoke(ctx, st, "work")
	if err != nil || !res.ServerRevoked {
		t.Fatalf("Revoke over allowed plain http: %+v %v", res, err)
	}
}

// Certificates are verified on every call of the flow, and a transport that
// would skip that is refused.
func TestOnboardingTLS(t *testing.T) {
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 8
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(sb)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	st := newStore(t)
	o := opts(st, srv.URL)
	o.OOB = true
	_, err = Begin(context.Background(), o)
	var cve *tls.CertificateVerificationError
	if !errors.As(err, &cve) || !strings.Contains(err.Error(), "x509") {
		t.Fatalf("untrusted certificate: %v", err)
	}

	skip := apiclient.NewTransport()
	skip.TLSClientConfig.InsecureSkipVerify = true
	o.Transport = skip
	if _, err := Begin(context.Background(), o); !errors.Is(err, apiclient.ErrInsecureTLS) {
		t.Fatalf("InsecureSkipVerify transport: %v", err)
	}

	// Trusted through the test server's own client, the flow works.
	o.Transport = srv.Client().Transport
	o.HTTPTimeout = 5 * time.Second
	f, err := Begin(context.Background(), o)
	if err != nil {
		t.Fatalf("trusted TLS: %v", err)
	}
	f.Close()
	if ps, _, _ := st.List(); len(ps) != 0 {
		t.Fatal("a profile appeared")
	}
}
