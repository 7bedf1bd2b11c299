//go:build unix

package proxy

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunOnUnixSocket: --listen unix:PATH serves the same signing proxy on
// a socket only the user can reach, says how to call it, and removes the
// socket when stopped.
func TestRunOnUnixSocket(t *testing.T) {
	f := newFixture(t)
	sock := filepath.Join(t.TempDir(), "run", "lpdesk-proxy.sock")
	f.opts.Listen = "unix:" + sock
	ready, stop := f.start(t)
	if ready != "unix:"+sock {
		t.Fatalf("ready %q, want unix:%s", ready, sock)
	}
	st, err := os.Lstat(sock)
	if err != nil || st.Mode().Type() != os.ModeSocket || st.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v, %v; want a socket with mode 0600", st, err)
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		}}}
	status, body := get(t, hc, "http://localhost/skills/1?v=1")
	if status != 200 || !strings.Contains(body, `"skill"`) {
		t.Fatalf("GET over the socket: %d %s", status, body)
	}
	if auth := <-f.authSeen; !strings.HasPrefix(auth, "OAuth ") {
		t.Fatalf("platform got Authorization %q", auth)
	}
	// The browser check holds on the socket too.
	if status, _ := get(t, hc, "http://localhost/skills/1", "Sec-Fetch-Mode", "no-cors"); status != http.StatusForbidden {
		t.Errorf("a browser's request over the socket got %d, want 403", status)
	}
	if err := stop(); err != nil {
		t.Fatalf("Run after Ctrl-C: %v", err)
	}
	if out := f.out.String(); !strings.Contains(out, "Listening on unix:"+sock) || !strings.Contains(out, "curl --unix-socket "+sock+" http://localhost/skills") {
		t.Errorf("banner does not say where and how:\n%s", out)
	}
	if _, err := os.Lstat(sock); !os.IsNotExist(err) {
		t.Errorf("socket left behind after stop: %v", err)
	}
	f.checkNoSecrets(t)
}

func TestRunOnUnixSocketRefusesAFile(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(file, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.opts.Listen = "unix:" + file
	err := Run(context.Background(), f.opts)
	if err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("Run = %v, want a refusal saying it is not a socket", err)
	}
	if data, _ := os.ReadFile(file); string(data) != "mine" {
		t.Errorf("the file was changed: %q", data)
	}
}
