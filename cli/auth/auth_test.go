package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/cli"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/store"
)

type env struct {
	sb       *sandbox.Server
	url      string
	dir      string
	oauthHit atomic.Int32
}

// setup starts a sandbox, points LPDESK_CONFIG_DIR at a temp dir and mocks
// go-keyring behind the real wrapper. noRevoke makes /oauth/revoke a 404.
func setup(t *testing.T, noRevoke bool) *env {
	t.Helper()
	keyring.MockInit()
	e := &env{dir: t.TempDir()}
	t.Setenv("LPDESK_CONFIG_DIR", e.dir)
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 8
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.sb = sb
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/oauth/") {
			e.oauthHit.Add(1)
		}
		if noRevoke && r.URL.Path == "/oauth/revoke" {
			http.NotFound(w, r)
			return
		}
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

// watchWriter collects stderr and hands the first authorize URL it sees to
// onURL.
type watchWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	seen  bool
	onURL func(string)
}

var authorizeRE = regexp.MustCompile(`http://\S+/oauth/authorize\?oauth_token=\S+`)

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.seen && w.onURL != nil {
		if m := authorizeRE.FindString(w.buf.String()); m != "" {
			w.seen = true
			go w.onURL(m)
		}
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

type result struct {
	code        int
	out, errOut string
}

// run executes `lpdesk auth args…` in-process.
func run(t *testing.T, in io.Reader, inTTY bool, onURL func(string), args ...string) result {
	t.Helper()
	if in == nil {
		in = strings.NewReader("")
	}
	var out bytes.Buffer
	errOut := &watchWriter{onURL: onURL}
	ios := &cmdutil.IOStreams{In: in, Out: &out, ErrOut: errOut, InTTY: inTTY}
	done := make(chan int)
	go func() {
		done <- cli.Main(append([]string{"auth"}, args...), ios, nil)
	}()
	select {
	case code := <-done:
		t.Logf("lpdesk auth %s → exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out.String(), errOut.String())
		return result{code, out.String(), errOut.String()}
	case <-time.After(20 * time.Second):
		t.Fatalf("lpdesk auth %v did not finish; stderr so far:\n%s", args, errOut.String())
	}
	return result{}
}

// approve approves the request token in authorizeURL as the admin and
// returns the verifier (oob) or follows the redirect to the callback.
func approve(t *testing.T, authorizeURL string, follow bool) string {
	u, err := url.Parse(authorizeURL)
	if err != nil {
		t.Error(err)
		return ""
	}
	form := url.Values{"oauth_token": {u.Query().Get("oauth_token")}, "decision": {"approve"}}
	req, _ := http.NewRequest(http.MethodPost, u.Scheme+"://"+u.Host+"/oauth/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/plain")
	req.SetBasicAuth("admin", "demo")
	c := &http.Client{Timeout: 10 * time.Second}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Error(err)
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	v, _ := strings.CutPrefix(strings.TrimSpace(string(b)), "oauth_verifier=")
	return v
}

func assertNoSecrets(t *testing.T, r result, dir string, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, assets.DemoConsumerSecret) {
		if s == "" {
			continue
		}
		if strings.Contains(r.out, s) || strings.Contains(r.errOut, s) {
			t.Errorf("a secret appears in the output:\nstdout:\n%s\nstderr:\n%s", r.out, r.errOut)
		}
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(s)) {
					t.Errorf("a secret appears in %s", p)
				}
			}
			return nil
		})
	}
}

func TestLoginOOBThenStatusLogoutRevoke(t *testing.T) {
	e := setup(t, false)
	pr, pw := io.Pipe()
	var verifier string
	r := run(t, pr, false, func(u string) {
		verifier = approve(t, u, false)
		fmt.Fprintln(pw, verifier)
	}, "login", "--oob", "--server", e.url, "--account", "12345678", "--profile", "work")
	pw.Close()
	if r.code != 0 {
		t.Fatalf("login exit %d\n%s", r.code, r.errOut)
	}
	for _, want := range []string{"profile:      work (default)", "profile file: " + filepath.Join(e.dir, "profiles.json"),
		"token secret: " + store.SystemKeyring(0).Locate("work"), "base URL:     " + e.url + "/api/account/12345678"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("login stdout lacks %q:\n%s", want, r.out)
		}
	}
	secret, err := keyring.Get("lpdesk", "work")
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, r, e.dir, secret, verifier)

	st := run(t, nil, false, nil, "status")
	if st.code != 0 || !strings.Contains(st.out, "access:       ok") || !strings.Contains(st.out, "…") {
		t.Fatalf("status exit %d\n%s\n%s", st.code, st.out, st.errOut)
	}
	assertNoSecrets(t, st, e.dir, secret)

	lo := run(t, nil, false, nil, "logout", "--revoke")
	if lo.code != 0 || !strings.Contains(lo.out, "revoked") {
		t.Fatalf("logout exit %d\n%s\n%s", lo.code, lo.out, lo.errOut)
	}
	if _, err := keyring.Get("lpdesk", "work"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("keyring item survived logout --revoke")
	}
	if st := run(t, nil, false, nil, "status"); st.code == 0 || !strings.Contains(st.errOut, "no profiles") {
		t.Fatalf("status after logout: %d %s", st.code, st.errOut)
	}
}

func TestLoginWrongVerifierRetriesOnTerminal(t *testing.T) {
	e := setup(t, false)
	pr, pw := io.Pipe()
	r := run(t, pr, true, func(u string) {
		v := approve(t, u, false)
		fmt.Fprintln(pw, "0000wrong0000")
		fmt.Fprintln(pw, v)
	}, "login", "--oob", "--server", e.url, "--account", "12345678")
	pw.Close()
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.errOut)
	}
	if !strings.Contains(r.errOut, "not accepted") || !strings.Contains(r.errOut, "again") {
		t.Fatalf("no retry prompt:\n%s", r.errOut)
	}
	if !strings.Contains(r.out, "profile:      12345678 (default)") {
		t.Fatalf("default profile name is the account id:\n%s", r.out)
	}
}

func TestLoginWrongVerifierFailsWithoutTerminal(t *testing.T) {
	e := setup(t, false)
	pr, pw := io.Pipe()
	r := run(t, pr, false, func(u string) {
		approve(t, u, false)
		fmt.Fprintln(pw, "0000wrong0000")
	}, "login", "--no-browser", "--server", e.url, "--account", "12345678")
	pw.Close()
	if r.code != 1 || !strings.Contains(r.errOut, "not a terminal") {
		t.Fatalf("exit %d\n%s", r.code, r.errOut)
	}
	if strings.Contains(r.errOut, "0000wrong0000") {
		t.Error("the verifier is echoed")
	}
	if _, err := os.Stat(filepath.Join(e.dir, "profiles.json")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("profile written after a failed login")
	}
}

func TestLoginCodeAndRevokedDetection(t *testing.T) {
	e := setup(t, true)
	token, secret, err := e.sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, strings.NewReader("  "+token+";"+secret+"\n"), false, nil,
		"login", "--code", "--server", e.url, "--account", "12345678", "--profile", "desk")
	if r.code != 0 || !strings.Contains(r.out, "item desk") {
		t.Fatalf("login --code exit %d\n%s\n%s", r.code, r.out, r.errOut)
	}
	assertNoSecrets(t, r, e.dir, secret)
	if n := e.oauthHit.Load(); n != 0 {
		t.Errorf("--code used the OAuth endpoints %d times", n)
	}

	// Revoked in the console → status says so and fails.
	e.sb.RevokeToken(token)
	st := run(t, nil, false, nil, "status", "--profile", "desk")
	if st.code != 1 || !strings.Contains(st.errOut, "access to account 12345678 (profile desk) was revoked; run `lpdesk auth login") {
		t.Fatalf("status after revocation: %d\n%s\n%s", st.code, st.out, st.errOut)
	}

	// A provider without /oauth/revoke: removed locally, told to use the console, non-zero.
	lo := run(t, nil, false, nil, "logout", "--revoke", "--profile", "desk")
	if lo.code != 1 || !strings.Contains(lo.errOut, "admin console") {
		t.Fatalf("logout --revoke without endpoint: %d\n%s\n%s", lo.code, lo.out, lo.errOut)
	}
	if _, err := keyring.Get("lpdesk", "desk"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("keyring item survived")
	}
}

func TestLogoutWithoutRevokeKeepsGrant(t *testing.T) {
	e := setup(t, false)
	token, secret, _ := e.sb.InstallApp(assets.DemoConsumerKey)
	if r := run(t, strings.NewReader(token+";"+secret), false, nil, "login", "--code", "--server", e.url, "--account", "12345678"); r.code != 0 {
		t.Fatalf("login: %s", r.errOut)
	}
	lo := run(t, nil, false, nil, "logout")
	if lo.code != 0 || !strings.Contains(lo.out, "stays valid") {
		t.Fatalf("logout: %d %s %s", lo.code, lo.out, lo.errOut)
	}
	c, _ := apiclient.New(apiclient.Config{BaseURL: e.url + "/api/account/12345678", Credentials: apiclient.Credentials{
		ConsumerKey: assets.DemoConsumerKey, ConsumerSecret: assets.DemoConsumerSecret, Token: token, TokenSecret: secret}})
	if _, err := c.Get(context.Background(), "", nil); err != nil {
		t.Fatalf("logout without --revoke revoked the grant: %v", err)
	}
}

func TestLoginFlagErrors(t *testing.T) {
	setup(t, false)
	for _, args := range [][]string{
		{"login", "--account", "1"},
		{"login", "--server", "http://x"},
		{"login", "--code", "--oob", "--server", "http://x", "--account", "1"},
		{"login", "--server", "http://x", "--account", "1", "extra"},
		{"status", "--bogus"},
	} {
		if r := run(t, nil, false, nil, args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.errOut)
		}
	}
}

func TestLoginBadCodeFails(t *testing.T) {
	e := setup(t, false)
	r := run(t, strings.NewReader("not-a-code-s3cr3t\n"), false, nil, "login", "--code", "--server", e.url, "--account", "12345678")
	if r.code != 1 || !strings.Contains(r.errOut, "TOKEN;TOKENSECRET") || strings.Contains(r.errOut, "s3cr3t") {
		t.Fatalf("exit %d\n%s", r.code, r.errOut)
	}
}

// TestHelperCLI is the body of a child process that runs `lpdesk auth …`
// with the real go-keyring provider (no mock in a fresh process): the args
// come from LPDESK_HELPER_ARGS, separated by \x1f.
func TestHelperCLI(t *testing.T) {
	if os.Getenv("LPDESK_AUTH_HELPER") != "cli" {
		t.Skip("child process for the real-keyring tests")
	}
	ios := &cmdutil.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	args := append([]string{"auth"}, strings.Split(os.Getenv("LPDESK_HELPER_ARGS"), "\x1f")...)
	os.Exit(cli.Main(args, ios, nil))
}

// runChild runs `lpdesk auth args…` in a child process with env added.
func runChild(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCLI$")
	cmd.Env = append(os.Environ(), "LPDESK_AUTH_HELPER=cli", "LPDESK_HELPER_ARGS="+strings.Join(args, "\x1f"),
		"GORACE=atexit_sleep_ms=0")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	t.Logf("lpdesk auth %s → exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out.String(), errOut.String())
	return result{code, out.String(), errOut.String()}
}

// With no D-Bus session, login fails at once, names the missing service,
// never reaches the provider's OAuth endpoints and leaves no profile.
func TestLoginWithoutDBusSession(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("no D-Bus there: go-keyring uses Credential Manager or Keychain")
	}
	for name, bus := range map[string]string{
		"variable unset":     "",
		"socket nonexistent": "unix:path=" + filepath.Join(t.TempDir(), "no-bus"),
	} {
		t.Run(name, func(t *testing.T) {
			if bus == "" {
				if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
					t.Skip("godbus would find this machine's per-user bus without the variable")
				}
			}
			e := setup(t, false)
			// The last assignment of a variable wins in exec's environment;
			// an empty value counts as unset for godbus and for store.
			r := runChild(t, "", []string{"DBUS_SESSION_BUS_ADDRESS=" + bus},
				"login", "--oob", "--server", e.url, "--account", "12345678", "--keyring-timeout", "30s")
			if r.code != 1 {
				t.Fatalf("login without D-Bus: exit %d", r.code)
			}
			if !strings.Contains(r.errOut, "org.freedesktop.secrets") || !strings.Contains(r.errOut, "gnome-keyring-daemon") || !strings.Contains(r.errOut, "KeePassXC") {
				t.Fatalf("message does not name the missing service:\n%s", r.errOut)
			}
			// Not a timeout: the 30 s limit was not what ended it.
			if strings.Contains(r.errOut, "did not answer") {
				t.Fatalf("login waited for the timeout:\n%s", r.errOut)
			}
			if n := e.oauthHit.Load(); n != 0 {
				t.Errorf("the flow started (%d OAuth calls) although the keyring was unavailable", n)
			}
			if entries, _ := os.ReadDir(e.dir); len(entries) != 0 {
				t.Fatalf("config dir not empty: %v", entries)
			}
		})
	}
}
