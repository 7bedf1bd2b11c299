package proxy

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/internal/testutil"
	"github.com/lpdesk/lpdesk/logging"
	core "github.com/lpdesk/lpdesk/proxy"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/store"
)

func randomHex(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

type fixture struct {
	out, errOut *testutil.SyncBuffer
	opts        *Options
	secrets     []string
	opened      int
	authSeen    chan string // Authorization headers the platform received
}

// newFixture starts a sandbox with a random consumer secret and returns
// Options whose OpenClient signs for it, registering the secrets the way
// the real one does.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{out: &testutil.SyncBuffer{}, errOut: &testutil.SyncBuffer{}, authSeen: make(chan string, 100)}
	key, csecret := "cli-proxy-app", "cs-"+randomHex(t, 16)
	cfg := sandbox.DemoConfig()
	cfg.Apps = []sandbox.App{{Name: "CLI proxy test", Key: key, Secret: csecret}}
	cfg.SeedRecords = 16
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	platform := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case f.authSeen <- r.Header.Get("Authorization"):
		default:
		}
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(platform.Close)
	tok, tsecret, err := sb.InstallApp(key)
	if err != nil {
		t.Fatal(err)
	}
	f.secrets = []string{csecret, tsecret}
	f.opts = &Options{
		ProfileOptions: cmdutil.ProfileOptions{IO: &cmdutil.IOStreams{In: strings.NewReader(""), Out: f.out, ErrOut: f.errOut}},
		Listen:         "127.0.0.1:0",
		OpenClient: func(ctx context.Context, profile string, logger *slog.Logger) (*apiclient.Client, store.Profile, error) {
			f.opened++
			logging.RegisterSecret(csecret)
			logging.RegisterSecret(tsecret)
			p := store.Profile{Name: "work", AccountID: "12345678", BaseURL: platform.URL + sb.AccountPath()}
			c, err := apiclient.New(apiclient.Config{BaseURL: p.BaseURL, AccountID: p.AccountID, Logger: logger,
				Credentials: apiclient.Credentials{ConsumerKey: key, ConsumerSecret: csecret, Token: tok, TokenSecret: tsecret}})
			return c, p, err
		},
	}
	return f
}

// start runs the command in the background and returns the proxy's URL and
// a function that stops it and returns Run's error.
func (f *fixture) start(t *testing.T) (string, func() error) {
	t.Helper()
	ready := make(chan string, 1)
	f.opts.Ready = func(u string) { ready <- u }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, f.opts) }()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("Run returned before listening: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("proxy did not start")
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(15 * time.Second):
			t.Fatal("Run did not return after cancel")
			return nil
		}
	}
	t.Cleanup(func() { _ = stop() })
	return url, stop
}

func (f *fixture) checkNoSecrets(t *testing.T, extra ...string) {
	t.Helper()
	all := f.out.String() + f.errOut.String()
	for _, s := range append(f.secrets, extra...) {
		if strings.Contains(all, s) {
			t.Fatalf("output contains a secret:\n%s", all)
		}
	}
}

func get(t *testing.T, c *http.Client, url string, hdr ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestRunServesAndStops(t *testing.T) {
	f := newFixture(t)
	url, stop := f.start(t)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("ready URL %q", url)
	}
	status, body := get(t, http.DefaultClient, url+"/skills/1?v=1")
	if status != 200 || !strings.Contains(body, `"skill"`) {
		t.Fatalf("GET via proxy: %d %s", status, body)
	}
	if auth := <-f.authSeen; !strings.HasPrefix(auth, "OAuth ") {
		t.Fatalf("platform got Authorization %q", auth)
	}
	if err := stop(); err != nil {
		t.Fatalf("Run after Ctrl-C: %v", err)
	}
	out, errOut := f.out.String(), f.errOut.String()
	for _, want := range []string{`profile "work"`, "account 12345678", "Listening on " + url, "curl " + url + "/skills"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"method=GET path=/skills/1", "status=200", "lpdesk proxy: stopped"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "WARNING") {
		t.Errorf("loopback run warned:\n%s", errOut)
	}
	f.checkNoSecrets(t)
}

func TestNonLoopbackNeedsToken(t *testing.T) {
	f := newFixture(t)
	f.opts.Listen = "0.0.0.0:0"
	err := Run(context.Background(), f.opts)
	var fe *cmdutil.FlagError
	if !errors.As(err, &fe) || !errors.Is(err, core.ErrTokenRequired) {
		t.Fatalf("Run = %v, want a usage error wrapping ErrTokenRequired", err)
	}
	if f.opened != 0 {
		t.Fatal("the profile was opened before the listen address was checked")
	}
	f.opts.Token = "short"
	if err := Run(context.Background(), f.opts); !errors.Is(err, core.ErrWeakToken) {
		t.Fatalf("short token: %v", err)
	}
}

func TestNonLoopbackWithToken(t *testing.T) {
	f := newFixture(t)
	token := "tok-" + randomHex(t, 16)
	t.Setenv(TokenEnv, token)
	opts, err := parseFlags(f.opts.IO, "--listen", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	if opts.Token != token {
		t.Fatalf("token not read from $%s", TokenEnv)
	}
	opts.OpenClient = f.opts.OpenClient
	f.opts = opts
	url, stop := f.start(t)

	if status, _ := get(t, http.DefaultClient, url+"/skills/1"); status != 401 {
		t.Fatalf("no bearer: %d", status)
	}
	if status, _ := get(t, http.DefaultClient, url+"/skills/1", "Authorization", "Bearer nope-nope-nope-nope"); status != 401 {
		t.Fatalf("wrong bearer: %d", status)
	}
	if status, body := get(t, http.DefaultClient, url+"/skills/1", "Authorization", "Bearer "+token); status != 200 {
		t.Fatalf("right bearer: %d %s", status, body)
	}
	if auth := <-f.authSeen; !strings.HasPrefix(auth, "OAuth ") || strings.Contains(auth, token) {
		t.Fatalf("platform got Authorization %q", auth)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.errOut.String(), "WARNING: plain HTTP on a non-loopback address") {
		t.Errorf("no warning about plain HTTP:\n%s", f.errOut.String())
	}
	if !strings.Contains(f.out.String(), "Authorization: Bearer $"+TokenEnv) {
		t.Errorf("banner does not show how to send the token:\n%s", f.out.String())
	}
	f.checkNoSecrets(t, token)
}

func TestTLS(t *testing.T) {
	f := newFixture(t)
	certFile, keyFile, pool := selfSigned(t)
	f.opts.TLSCert, f.opts.TLSKey = certFile, keyFile
	url, stop := f.start(t)
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("ready URL %q", url)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequest("POST", url+"/skills", strings.NewReader(`{"skill":{"name":"TLS Skill","maxWaitTime":3}}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 || !strings.HasPrefix(resp.Header.Get("Location"), url+"/skills/") {
		t.Fatalf("create over TLS: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// parseFlags runs the command's flag parsing without serving (runF).
func parseFlags(ios *cmdutil.IOStreams, args ...string) (*Options, error) {
	f := &cmdutil.Factory{IOStreams: ios}
	var got *Options
	cmd := NewCmdProxy(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmdutil.PrepareRoot(cmd, ios)
	_, err := cmdutil.Execute(cmd, args)
	return got, err
}

func TestParseFlags(t *testing.T) {
	io := &cmdutil.IOStreams{Out: io.Discard, ErrOut: io.Discard}
	t.Setenv(TokenEnv, "")
	opts, err := parseFlags(io)
	if err != nil || opts.Listen != "127.0.0.1:8181" || opts.Token != "" || opts.OpenClient == nil {
		t.Fatalf("defaults: %+v %v", opts, err)
	}
	t.Setenv(TokenEnv, "env-token-12345678")
	if opts, err = parseFlags(io); err != nil || opts.Token != "env-token-12345678" {
		t.Fatalf("token from $%s: %+v %v", TokenEnv, opts, err)
	}
	opts, err = parseFlags(io, "--token", "flag-token-1234567", "--profile", "p", "--tls-cert", "c.pem", "--tls-key", "k.pem")
	if err != nil || opts.Token != "flag-token-1234567" || opts.Profile != "p" || opts.TLSCert != "c.pem" || opts.TLSKey != "k.pem" {
		t.Fatalf("--token should win over the environment: %+v %v", opts, err)
	}
	var fe *cmdutil.FlagError
	for _, args := range [][]string{{"extra"}, {"--tls-cert", "c.pem"}, {"--bogus"}} {
		if _, err := parseFlags(io, args...); !errors.As(err, &fe) {
			t.Errorf("parseFlags(%q) = %v, want a FlagError", args, err)
		}
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns a
// pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "lpdesk proxy test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestDebugLogsWithoutSecrets runs the proxy with --debug on (as the root
// command sets it) and checks that the client's debug lines reach stderr
// while neither secret does.
func TestDebugLogsWithoutSecrets(t *testing.T) {
	logging.SetDefault(logging.New(io.Discard, slog.LevelDebug))
	t.Cleanup(func() { logging.SetDefault(nil) })
	f := newFixture(t)
	url, stop := f.start(t)
	req, _ := http.NewRequest("POST", url+"/skills", strings.NewReader(`{"skill":{"name":"Debug Skill","maxWaitTime":3}}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if errOut := f.errOut.String(); !strings.Contains(errOut, "level=DEBUG") || !strings.Contains(errOut, "method=POST path=/skills status=201") {
		t.Fatalf("no debug lines or request line with --debug:\n%s", errOut)
	}
	f.checkNoSecrets(t)
}
