package conformance

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/internal/testutil"
	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
)

const (
	account   = "12345678"
	appKey    = "conformance-app"
	appSecret = "conformance secret&=é"
	python    = "/usr/bin/python3" // Debian's: it has python3-oauthlib
)

// binary is the lpdesk binary TestMain builds once.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lpdesk-conformance-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "lpdesk")
	build := exec.Command("go", "build", "-o", binary, "../..")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build lpdesk: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// platform is a running `lpdesk sandbox` process.
type platform struct {
	t      *testing.T
	base   string               // main listener, http://127.0.0.1:PORT
	bases  map[string]string    // service name → base URL, from the banner
	token  string               // an access token of appKey, installed in the console
	secret string               // its secret
	out    *testutil.SyncBuffer // the process's output
	cl     *http.Client         // does not follow redirects
	sign   func(method, url string) (string, error)
}

// with is p reporting to t (a subtest).
func (p *platform) with(t *testing.T) *platform {
	cp := *p
	cp.t = t
	return &cp
}

var bannerService = regexp.MustCompile(`^\s+Service (\S+):\s+(http://\S+)`)

// startPlatform runs `lpdesk sandbox` with args added to the defaults and
// waits for its banner.
func startPlatform(t *testing.T, args ...string) *platform {
	t.Helper()
	p := &platform{t: t, bases: map[string]string{}, out: &testutil.SyncBuffer{},
		cl: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	all := append([]string{"sandbox", "--addr", "127.0.0.1:0", "--allow-unsigned", "--quiet", "--app", appKey + ":" + appSecret}, args...)
	cmd := exec.Command(binary, all...)
	cmd.Env = append(os.Environ(), "LPDESK_CONFIG_DIR="+t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(p.out, line)
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Base URL:"); ok {
				p.base = strings.TrimSpace(v)
			}
			if m := bannerService.FindStringSubmatch(line); m != nil {
				p.bases[m[1]] = m[2]
			}
			if strings.HasPrefix(line, "Press Ctrl-C") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		t.Fatalf("lpdesk sandbox did not start; output:\n%s", p.out)
	}
	if p.base == "" {
		t.Fatalf("no base URL in the banner:\n%s", p.out)
	}
	admin := consoleclient.Admin{Server: p.base, User: "admin", Password: "demo"}
	code, err := admin.Install(context.Background(), appKey)
	if err != nil {
		t.Fatalf("install %s in the console: %v", appKey, err)
	}
	var ok bool
	if p.token, p.secret, ok = strings.Cut(code, ";"); !ok {
		t.Fatalf("verification code %q", code)
	}
	p.sign = startSigner(t, p.token, p.secret)
	return p
}

// baseOf is the base URL a service is served on.
func (p *platform) baseOf(service string) string {
	if b, ok := p.bases[service]; ok {
		return b
	}
	return p.base
}

// startSigner runs testdata/oauthlib_sign.py; the returned function signs
// one request (method, absolute URL) and returns the Authorization header.
func startSigner(t *testing.T, token, secret string) func(method, url string) (string, error) {
	t.Helper()
	if out, err := exec.Command(python, "-c", "import oauthlib.oauth1").CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import oauthlib (apt-get install python3-oauthlib): %v %s", python, err, out)
	}
	cmd := exec.Command(python, "testdata/oauthlib_sign.py")
	cmd.Env = append(os.Environ(), "OAUTHLIB_CONSUMER_KEY="+appKey, "OAUTHLIB_CONSUMER_SECRET="+appSecret,
		"OAUTHLIB_TOKEN="+token, "OAUTHLIB_TOKEN_SECRET="+secret)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	rd := bufio.NewReader(stdout)
	if line, err := rd.ReadString('\n'); err != nil || strings.TrimSpace(line) != "READY" {
		t.Fatalf("oauthlib_sign.py did not start: %q %v", line, err)
	}
	var mu sync.Mutex
	return func(method, url string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		req, _ := json.Marshal(map[string]string{"method": method, "url": url})
		if _, err := stdin.Write(append(req, '\n')); err != nil {
			return "", fmt.Errorf("oauthlib_sign.py: %w", err)
		}
		line, err := rd.ReadString('\n')
		var ans struct{ Authorization, Error string }
		if err != nil || json.Unmarshal([]byte(line), &ans) != nil || ans.Error != "" {
			return "", fmt.Errorf("oauthlib_sign.py: %q %v %s", line, err, ans.Error)
		}
		return ans.Authorization, nil
	}
}

// request is one call to the platform.
type request struct {
	method   string // the wire method
	url      string // absolute
	override string // X-HTTP-Method-Override
	body     string
	ctype    string // Content-Type; default application/json with a body
	accept   string // default application/json
	auth     auth
}

// auth is how a request is authenticated.
type auth int

const (
	signed       auth = iota // OAuth 1.0a by python3-oauthlib
	appKeyHeader             // Authorization: LivePerson appKey=<the documentation's key>
	noAuth
)

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (p *platform) do(r request) reply {
	p.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, r.url, body)
	if err != nil {
		p.t.Fatal(err)
	}
	if r.body != "" {
		ct := r.ctype
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	accept := r.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	if r.override != "" {
		req.Header.Set("X-HTTP-Method-Override", r.override)
	}
	switch r.auth {
	case signed:
		h, err := p.sign(r.method, r.url)
		if err != nil {
			p.t.Fatal(err)
		}
		req.Header.Set("Authorization", h)
	case appKeyHeader:
		req.Header.Set("Authorization", "LivePerson appKey=721c180b09eb463d9f3191c41762bb68")
	}
	resp, err := p.cl.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", r.method, r.url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// must does r and fails the test unless the status is want.
func (p *platform) must(want int, r request) reply {
	p.t.Helper()
	rep := p.do(r)
	if rep.status != want {
		p.t.Fatalf("%s %s: %d, want %d: %s", r.method, r.url, rep.status, want, rep.body)
	}
	return rep
}

// jsonOf decodes a JSON reply.
func jsonOf(t *testing.T, rep reply) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rep.body, &m); err != nil {
		t.Fatalf("not JSON (%v): %s", err, rep.body)
	}
	return m
}
