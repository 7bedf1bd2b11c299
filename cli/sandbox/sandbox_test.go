package sandbox

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/internal/testutil"
)

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	cl := &http.Client{Timeout: 10 * time.Second}
	resp, err := cl.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// parseFlags runs the command's flag parsing without serving (runF).
func parseFlags(ios *cmdutil.IOStreams, args []string) (*Options, error) {
	f := &cmdutil.Factory{IOStreams: ios}
	var got *Options
	cmd := NewCmdSandbox(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmdutil.PrepareRoot(cmd, ios)
	_, err := cmdutil.Execute(cmd, args)
	return got, err
}

func TestNewCmdSandboxFlags(t *testing.T) {
	ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}
	o, err := parseFlags(ios, nil)
	if err != nil || o.Addr != "127.0.0.1:8088" || o.Seed < 1 || o.AdminUser != "admin" || o.AdminPassword != "demo" || o.Quiet || o.AllowUnsigned {
		t.Fatalf("defaults: %+v %v", o, err)
	}
	// A secret with a comma stays one --app.
	o, err = parseFlags(ios, []string{"--app", "a:s,1", "--quiet", "--app=b:s2:B", "--base-path", "/x", "--admin-user", "root", "--admin-password", "pw"})
	if err != nil || len(o.Apps) != 2 || o.Apps[0] != "a:s,1" || o.Apps[1] != "b:s2:B" || !o.Quiet || o.BasePath != "/x" || o.AdminUser != "root" || o.AdminPassword != "pw" {
		t.Fatalf("%+v %v", o, err)
	}
}

func TestRunServesAndPersists(t *testing.T) {
	out, errOut := &testutil.SyncBuffer{}, &testutil.SyncBuffer{}
	ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut}
	opts, err := parseFlags(ios, []string{"--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "sb.json"),
		"--app", "acme:acme-secret:Acme Reports", "--allow-unsigned", "--seed", "20"})
	if err != nil {
		t.Fatal(err)
	}
	base, stop := startRun(t, opts)
	if strings.HasSuffix(base, ":0") {
		t.Fatalf("banner shows port 0: %s", base)
	}
	banner := out.String()
	for _, want := range []string{"Base URL:        " + base, "12345678", base + "/console", "user admin, password demo",
		"acme", assets.DemoConsumerKey} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if strings.Contains(banner, "acme-secret") {
		t.Error("banner shows an app secret")
	}
	if code, body := get(t, base+"/api/account/12345678/skills?v=1&appKey=acme"); code != 200 || !strings.Contains(body, `"@count":"7"`) {
		t.Fatalf("unsigned call: %d %s", code, body)
	}
	if code, _ := get(t, base+"/console"); code != 200 {
		t.Fatalf("console: %d", code)
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	if _, err := os.Stat(opts.DataFile); err != nil {
		t.Fatalf("data file: %v", err)
	}
	if !strings.Contains(errOut.String(), "path=/console") {
		t.Errorf("requests not logged: %s", errOut.String())
	}
}

func TestFlagErrors(t *testing.T) {
	ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}
	var fe *cmdutil.FlagError
	for _, args := range [][]string{{"--nope"}, {"extra"}, {"--seed", "0"}} {
		if _, err := parseFlags(ios, args); !errors.As(err, &fe) {
			t.Errorf("%v: %v", args, err)
		}
	}
	for _, bad := range []string{"nokey", ":secret", "key:"} {
		if _, err := parseApp(bad); !errors.As(err, &fe) {
			t.Errorf("--app %q: %v", bad, err)
		}
	}
	if _, err := parseApp("key:s3cr3t-x"); err != nil {
		t.Fatal(err)
	}
	if _, err := parseApp("k:"); err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatal("bad --app accepted")
	}
	a, err := parseApp("k:sec:My App")
	if err != nil || a.Key != "k" || a.Secret != "sec" || a.Name != "My App" {
		t.Fatalf("%+v %v", a, err)
	}
	cmd := NewCmdSandbox(&cmdutil.Factory{IOStreams: ios}, nil)
	cmdutil.PrepareRoot(cmd, ios)
	_, err = cmdutil.Execute(cmd, []string{"--addr", "256.0.0.1:99999", "--seed", "5", "--quiet"})
	if err == nil || !strings.Contains(err.Error(), "listen") {
		t.Fatalf("bad address: %v", err)
	}
}

// TestAllowHost: the real command refuses a foreign Host (DNS rebinding)
// with 421 and serves the names given with --allow-host.
func TestAllowHost(t *testing.T) {
	out := &testutil.SyncBuffer{}
	ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: io.Discard}
	opts, err := parseFlags(ios, []string{"--addr", "127.0.0.1:0", "--seed", "5", "--quiet",
		"--allow-host", "sandbox.test", "--allow-host", "pinned.test:1"})
	if err != nil {
		t.Fatal(err)
	}
	base, stop := startRun(t, opts)
	defer func() { _ = stop() }()
	_, port, _ := strings.Cut(strings.TrimPrefix(base, "http://"), ":")
	for host, want := range map[string]int{
		"sandbox.test:" + port: 200, "pinned.test:1": 200, "localhost:" + port: 200,
		"evil.example:" + port: 421, "pinned.test:" + port: 421,
	} {
		req, _ := http.NewRequest("GET", base+"/console", nil)
		req.Host = host
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
	if !strings.Contains(out.String(), "sandbox.test, pinned.test:1") {
		t.Errorf("banner does not name the allowed hosts:\n%s", out.String())
	}

	// A URL is no host name: refused at start.
	bad, _ := parseFlags(ios, []string{"--addr", "127.0.0.1:0", "--seed", "5", "--quiet", "--allow-host", "http://x/"})
	if err := run(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "allowed host") {
		t.Fatalf("--allow-host http://x/: %v", err)
	}
}

// --service places a service on a listener of its own: the Domain API
// names it and the main listener no longer serves it.
func TestRunServiceListener(t *testing.T) {
	out := &testutil.SyncBuffer{}
	ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: io.Discard}
	opts, err := parseFlags(ios, []string{"--addr", "127.0.0.1:0", "--seed", "20", "--quiet", "--allow-unsigned",
		"--service", "agentVep=127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	base, stop := startRun(t, opts)
	m := regexp.MustCompile(`Service agentVep: http://(127\.0\.0\.1:\d+)`).FindStringSubmatch(out.String())
	if m == nil || strings.HasSuffix(m[1], ":0") {
		t.Fatalf("the banner does not name the agentVep listener:\n%s", out.String())
	}
	code, body := get(t, base+"/api/account/12345678/service/agentVep/baseURI.json?version=1.0")
	if code != 200 || !strings.Contains(body, `"baseURI":"`+m[1]+`"`) {
		t.Fatalf("Domain API: %d %s", code, body)
	}
	if code, body := get(t, base+"/api/account/12345678/agentSession/x/availability?v=1&appKey="+assets.DemoConsumerKey); code != 404 || !strings.Contains(body, m[1]) {
		t.Fatalf("the main listener still serves agentVep: %d %s", code, body)
	}
	if code, _ := get(t, "http://"+m[1]+"/api/account/12345678/agentSession/x/availability?v=1"); code != 401 {
		t.Fatalf("the agentVep listener does not serve the agent API: %d", code)
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	ios.ErrOut = io.Discard
	for _, bad := range [][]string{{"--service", "agentVep"}, {"--service", "chat=127.0.0.1:0"}, {"--service", "smt=127.0.0.1:0", "--service", "smt=127.0.0.1:0"}} {
		o, err := parseFlags(ios, append([]string{"--addr", "127.0.0.1:0", "--quiet"}, bad...))
		if err == nil {
			err = run(context.Background(), o)
		}
		var fe *cmdutil.FlagError
		if !errors.As(err, &fe) {
			t.Errorf("%v: %v, want a flag error", bad, err)
		}
	}
}

// startRun runs the command with opts until it is ready and returns its base
// URL, and stop, which interrupts it and returns what run returned.
func startRun(t *testing.T, opts *Options) (base string, stop func() error) {
	t.Helper()
	ready := make(chan string, 1)
	opts.Ready = func(u string) { ready <- u }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, opts) }()
	select {
	case base = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run ended early: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("not ready")
	}
	return base, func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("did not stop")
			return nil
		}
	}
}
