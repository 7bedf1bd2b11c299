//go:build unix

package proxy

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestListenUnixModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run") // created by ListenUnix
	path := filepath.Join(dir, "proxy.sock")
	ln, err := ListenUnix(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	st, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Type() != os.ModeSocket || st.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want a socket with 0600", st.Mode())
	}
	dst, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if dst.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", dst.Mode().Perm())
	}
	// In use: a second proxy on the same path is refused, the first keeps it.
	if ln2, err := ListenUnix(path); err == nil {
		ln2.Close()
		t.Fatal("a second listener on a live socket was allowed")
	} else if !strings.Contains(err.Error(), "in use") {
		t.Errorf("error %q does not say the socket is in use", err)
	}
	ln.Close()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("the socket is still there after Close: %v", err)
	}
}

func TestListenUnixRefusesOpenDirectoryAndNonSocket(t *testing.T) {
	open := t.TempDir()
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if ln, err := ListenUnix(filepath.Join(open, "p.sock")); err == nil {
		ln.Close()
		t.Error("a socket in a directory others may enter (0755) was allowed")
	}

	private := t.TempDir()
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(private, "not-a-socket")
	if err := os.WriteFile(file, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ln, err := ListenUnix(file); err == nil {
		ln.Close()
		t.Fatal("a regular file was replaced by a socket")
	}
	if data, err := os.ReadFile(file); err != nil || string(data) != "keep me" {
		t.Errorf("the file was touched: %q, %v", data, err)
	}
}

func TestListenUnixReplacesStaleSocket(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "p.sock")
	// A socket nobody listens on any more, as a killed proxy leaves it.
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()
	ln, err := ListenUnix(path)
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	ln.Close()
}

// TestServeOnUnixSocket: the proxy answers over the socket with every
// check it makes on TCP (a browser's request is still refused).
func TestServeOnUnixSocket(t *testing.T) {
	e := newEnv(t, "")
	p, err := New(Config{Client: e.client})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	path := filepath.Join(dir, "proxy.sock")
	ln, err := ListenUnix(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", path)
		}}}
	resp, err := hc.Get("http://localhost/skills/1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"skill"`) {
		t.Fatalf("GET over the socket: %s %s", resp.Status, body)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://localhost/skills/1", nil)
	req.Header.Set("Origin", "https://evil.example")
	resp, err = hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a browser's request over the socket got %s, want 403", resp.Status)
	}
}
