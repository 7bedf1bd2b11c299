package proxy

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeH2C: Serve answers HTTP/2 with prior knowledge (h2c) as well as
// HTTP/1.1 on the same port, and the checks hold over HTTP/2 too: a
// browser's request is refused, a non-loopback :authority is misdirected.
func TestServeH2C(t *testing.T) {
	e := newEnv(t, "")
	p, err := New(Config{Client: e.client})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	base := "http://" + ln.Addr().String()

	var protos http.Protocols
	protos.SetUnencryptedHTTP2(true)
	h2 := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Protocols: &protos}}
	do := func(c *http.Client, host string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+"/skills/1", nil)
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			req.Host = host
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	resp, body := do(h2, "")
	if resp.ProtoMajor != 2 || resp.StatusCode != http.StatusOK || !strings.Contains(body, `"skill"`) {
		t.Fatalf("h2c GET: %s %s %s", resp.Proto, resp.Status, body)
	}
	if resp, _ := do(h2, "", "Sec-Fetch-Site", "cross-site"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a browser's request over h2c got %s, want 403", resp.Status)
	}
	if resp, _ := do(h2, "attacker.example"); resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("a non-loopback :authority over h2c got %s, want 421", resp.Status)
	}
	// HTTP/1.1 on the same port, as before.
	resp, _ = do(&http.Client{Timeout: 10 * time.Second}, "")
	if resp.ProtoMajor != 1 || resp.StatusCode != http.StatusOK {
		t.Errorf("HTTP/1.1 GET: %s %s", resp.Proto, resp.Status)
	}
}
