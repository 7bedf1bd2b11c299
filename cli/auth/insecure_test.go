package auth_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/sandbox"
)

// remoteSandbox serves a sandbox on an address of this machine that is not
// loopback, so plain http to it is what --insecure-http is about.
func remoteSandbox(t *testing.T) (*sandbox.Server, string, *atomic.Int32) {
	t.Helper()
	var ip net.IP
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			ip = n.IP
			break
		}
	}
	if ip == nil {
		t.Skip("no non-loopback IPv4 address on this machine to listen on")
	}
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

// `auth login` refuses plain http to a remote server unless --insecure-http
// is given; with it, it warns loudly, and the profile remembers it so that
// status and logout warn again (and work).
func TestLoginInsecureHTTP(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	t.Setenv("LPDESK_CONFIG_DIR", dir)
	sb, server, hits := remoteSandbox(t)
	host := strings.TrimPrefix(server, "http://")
	token, secret, _ := sb.InstallApp(assets.DemoConsumerKey)
	code := token + ";" + secret + "\n"

	r := run(t, strings.NewReader(code), false, nil, "login", "--code", "--server", server, "--account", "12345678")
	if r.code != 1 || !strings.Contains(r.errOut, "--insecure-http") || strings.Contains(r.errOut, "WARNING") {
		t.Fatalf("plain http without the flag: exit %d\n%s", r.code, r.errOut)
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests went out before the refusal", hits.Load())
	}
	if _, err := os.Stat(filepath.Join(dir, "profiles.json")); err == nil {
		t.Fatal("a profile was written")
	}

	warning := "WARNING: --insecure-http: requests and the token exchange go over plain http to " + host
	r = run(t, strings.NewReader(code), false, nil, "login", "--insecure-http", "--code", "--server", server, "--account", "12345678")
	if r.code != 0 || !strings.Contains(r.errOut, warning) {
		t.Fatalf("login --insecure-http: exit %d\n%s", r.code, r.errOut)
	}
	assertNoSecrets(t, r, dir, secret)
	raw, _ := os.ReadFile(filepath.Join(dir, "profiles.json"))
	if !strings.Contains(string(raw), `"insecureHTTP": true`) {
		t.Fatalf("profile does not remember --insecure-http:\n%s", raw)
	}

	st := run(t, nil, false, nil, "status")
	if st.code != 0 || !strings.Contains(st.errOut, "WARNING: --insecure-http") || !strings.Contains(st.out, "access:       ok") {
		t.Fatalf("status of an --insecure-http profile: exit %d\n%s\n%s", st.code, st.out, st.errOut)
	}
	lo := run(t, nil, false, nil, "logout", "--revoke")
	if lo.code != 0 || !strings.Contains(lo.errOut, "WARNING: --insecure-http") {
		t.Fatalf("logout --revoke of an --insecure-http profile: exit %d\n%s\n%s", lo.code, lo.out, lo.errOut)
	}
}
