//go:build keyring

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/internal/testutil"
	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
)

const account = "12345678"

// env is one isolated lpdesk installation: its own config and temp dirs and
// an application registered under a random secret, so the test can search
// everything it leaves behind for that secret.
type env struct {
	t         *testing.T
	bin       string
	configDir string
	tmpDir    string
	appKey    string
	appSecret string
	server    string
	output    testutil.SyncBuffer // every byte any lpdesk process printed
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	root := t.TempDir()
	e := &env{t: t, bin: filepath.Join(root, "lpdesk"), configDir: filepath.Join(root, "config"),
		tmpDir: filepath.Join(root, "tmp"), appKey: "e2e-" + randomHex(4), appSecret: "cs-" + randomHex(16)}
	os.MkdirAll(e.tmpDir, 0o700)
	// LPDESK_E2E_BIN: a lpdesk built elsewhere, as under Wine, where no go
	// command runs (scripts/wine-test.sh passes the cross-built lpdesk.exe).
	if bin := os.Getenv("LPDESK_E2E_BIN"); bin != "" {
		e.bin = bin
		return e
	}
	build := exec.Command("go", "build", "-o", e.bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build lpdesk: %v\n%s", err, out)
	}
	return e
}

func (e *env) environ() []string {
	return append(os.Environ(),
		"LPDESK_CONFIG_DIR="+e.configDir,
		"TMPDIR="+e.tmpDir,
		// Windows' temp directory, so the secret search covers it there too.
		"TMP="+e.tmpDir, "TEMP="+e.tmpDir,
		"LPDESK_CONSUMER_KEY="+e.appKey,
		"LPDESK_CONSUMER_SECRET="+e.appSecret,
		// Debug logging on for every command: the secret search at the
		// end then covers the debug log too.
		"LPDESK_DEBUG=1",
	)
}

// startSandbox runs `lpdesk sandbox` on a free port and returns its base URL.
func (e *env) startSandbox() { e.startSandboxWith(false) }

// startSandboxWith runs `lpdesk sandbox` with extra flags; with TLS it
// writes the certificate for clients to trust and returns its path.
func (e *env) startSandboxWith(useTLS bool, args ...string) (certFile string) {
	t := e.t
	all := append([]string{"sandbox", "--addr", "127.0.0.1:0", "--app", e.appKey + ":" + e.appSecret}, args...)
	if useTLS {
		certFile = filepath.Join(t.TempDir(), "sandbox-cert.pem")
		all = append(all, "--tls", "--tls-cert-out", certFile)
	}
	cmd := exec.Command(e.bin, all...)
	cmd.Env = e.environ()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = &e.output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Windows cannot send os.Interrupt to another process.
		if cmd.Process.Signal(os.Interrupt) != nil {
			cmd.Process.Kill()
		}
		cmd.Wait()
	})
	re := regexp.MustCompile(`https?://127\.0\.0\.1:\d+`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			e.output.WriteString(line + "\n")
			if m := re.FindString(line); m != "" {
				select {
				case found <- m:
				default:
				}
			}
		}
	}()
	select {
	case e.server = <-found:
	case <-time.After(30 * time.Second):
		t.Fatalf("sandbox did not print its URL; output:\n%s", e.output.String())
	}
	return certFile
}

// run runs lpdesk with args and stdin, returning stdout, stderr and the exit code.
func (e *env) run(stdin string, args ...string) (string, string, int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, args...)
	cmd.Env = e.environ()
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("lpdesk %v: %v", args, err)
	}
	e.output.Write(stdout.Bytes())
	e.output.Write(stderr.Bytes())
	return stdout.String(), stderr.String(), code
}

func (e *env) mustRun(stdin string, args ...string) string {
	e.t.Helper()
	out, errOut, code := e.run(stdin, args...)
	if code != 0 {
		e.t.Fatalf("lpdesk %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// admin does what the account admin does in the console, over HTTP Basic.
func (e *env) admin() consoleclient.Admin {
	return consoleclient.Admin{Server: e.server, User: "admin", Password: "demo"}
}

// loginOOB runs `lpdesk auth login --oob`, approves the request token it
// prints as the admin would, and types the verifier into its stdin.
func (e *env) loginOOB(profile string) {
	t := e.t
	cmd := exec.Command(e.bin, "auth", "login", "--server", e.server, "--account", account, "--profile", profile, "--oob")
	cmd.Env = e.environ()
	stdin, _ := cmd.StdinPipe()
	stderr, _ := cmd.StderrPipe()
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tokenRe := regexp.MustCompile(`oauth_token=([A-Za-z0-9_\-.~%]+)`)
	sc := bufio.NewScanner(stderr)
	approved := false
	var errText strings.Builder
	for sc.Scan() {
		line := sc.Text()
		errText.WriteString(line + "\n")
		if m := tokenRe.FindStringSubmatch(line); m != nil && !approved {
			tok, _ := url.QueryUnescape(m[1])
			verifier, err := e.admin().Approve(context.Background(), e.server+"/oauth/authorize?"+url.Values{"oauth_token": {tok}}.Encode())
			if err != nil {
				t.Fatalf("approve: %v", err)
			}
			fmt.Fprintln(stdin, verifier)
			approved = true
		}
	}
	err := cmd.Wait()
	e.output.WriteString(errText.String())
	e.output.Write(stdout.Bytes())
	if err != nil || !approved {
		t.Fatalf("auth login --oob: %v (approved=%v)\nstderr:\n%s", err, approved, errText.String())
	}
}

func TestCLIEndToEnd(t *testing.T) {
	e := newEnv(t)
	e.startSandbox()

	e.loginOOB("e2e")
	tokenSecret, err := keyring.Get("lpdesk", "e2e")
	if err != nil || tokenSecret == "" {
		t.Fatalf("token secret not in the OS keyring: %v", err)
	}

	status := e.mustRun("", "auth", "status", "--profile", "e2e")
	if !strings.Contains(status, account) || !strings.Contains(strings.ToLower(status), "keyring") {
		t.Errorf("auth status does not name the account and the keyring:\n%s", status)
	}

	// Read, create, update, delete a skill.
	list := e.mustRun("", "api", "--profile", "e2e", "skills")
	if !strings.Contains(list, "Support") {
		t.Errorf("skills list lacks seeded skills: %.300s", list)
	}
	body := `{"skill":{"name":"E2E skill","description":"made by the e2e test"}}`
	out := e.mustRun(body, "api", "--profile", "e2e", "-i", "-X", "POST", "--input", "-", "skills")
	loc := regexp.MustCompile(`(?m)^Location: (\S+)`).FindStringSubmatch(out)
	if !strings.HasPrefix(out, "HTTP 201") || loc == nil {
		t.Fatalf("create: want 201 with Location, got:\n%s", out)
	}
	out = e.mustRun("", "api", "--profile", "e2e", "-i", loc[1])
	etag := regexp.MustCompile(`(?m)^Etag: (\S+)`).FindStringSubmatch(out)
	if etag == nil || !strings.Contains(out, "E2E skill") {
		t.Fatalf("read: want the skill with an ETag, got:\n%s", out)
	}
	upd := `{"skill":{"name":"E2E skill renamed","description":"updated"}}`
	e.mustRun(upd, "api", "--profile", "e2e", "-X", "PUT", "-H", "If-Match: "+etag[1], "--input", "-", loc[1])
	if _, errOut, code := e.run(upd, "api", "--profile", "e2e", "-X", "PUT", "-H", "If-Match: "+etag[1], "--input", "-", loc[1]); code == 0 || !strings.Contains(errOut, "412") {
		t.Errorf("stale If-Match: want a non-zero exit naming 412, got %d: %s", code, errOut)
	}
	e.mustRun("", "api", "--profile", "e2e", "-X", "DELETE", loc[1])
	if _, _, code := e.run("", "api", "--profile", "e2e", loc[1]); code == 0 {
		t.Errorf("deleted skill still readable")
	}

	// The admin revokes the token in the console: the next call says so.
	token := tokenOf(t, e.configDir, "e2e")
	if err := e.admin().Revoke(context.Background(), token); err != nil {
		t.Fatalf("console revoke: %v", err)
	}
	_, errOut, code := e.run("", "api", "--profile", "e2e", "skills")
	if code == 0 || !strings.Contains(strings.ToLower(errOut), "revoked") {
		t.Errorf("after console revocation: want a revoked-access error, got %d: %s", code, errOut)
	}

	// Install again with a verification code from the console, then log out with --revoke.
	code2, err := e.admin().Install(context.Background(), e.appKey)
	if err != nil {
		t.Fatalf("console install: %v", err)
	}
	e.mustRun(code2+"\n", "auth", "login", "--server", e.server, "--account", account, "--profile", "code", "--code")
	codeSecret, err := keyring.Get("lpdesk", "code")
	if err != nil || codeSecret == "" {
		t.Fatalf("code install: secret not in keyring: %v", err)
	}
	e.mustRun("", "api", "--profile", "code", "chat/availability", "skill=Support")
	e.mustRun("", "auth", "logout", "--profile", "code", "--revoke")
	if _, err := keyring.Get("lpdesk", "code"); err != keyring.ErrNotFound {
		t.Errorf("logout --revoke left the keyring item: %v", err)
	}
	e.mustRun("", "auth", "logout", "--profile", "e2e")

	// No secret anywhere it could leak to: files, temp files, output.
	secrets := map[string]string{"token secret": tokenSecret, "code token secret": codeSecret, "consumer secret": e.appSecret}
	for _, dir := range []string{e.configDir, e.tmpDir} {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(path)
			for name, s := range secrets {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s found in %s", name, path)
				}
			}
			return nil
		})
	}
	if !strings.Contains(e.output.String(), "level=DEBUG") {
		t.Error("LPDESK_DEBUG=1 produced no debug log: the secret search below would prove nothing about it")
	}
	for name, s := range secrets {
		if strings.Contains(e.output.String(), s) {
			t.Errorf("%s found in lpdesk's output", name)
		}
	}
}

// tokenOf reads the (non-secret) access token of a profile from the profile file.
func tokenOf(t *testing.T, dir, profile string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "profiles.json"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`"(?i:token)"\s*:\s*"([^"]+)"`)
	// The file's exact shape belongs to store/; find this profile's token field.
	idx := bytes.Index(b, []byte(`"`+profile+`"`))
	if idx < 0 {
		t.Fatalf("profile %s not in profiles.json", profile)
	}
	m := re.FindSubmatch(b[idx:])
	if m == nil {
		t.Fatalf("no token for %s in profiles.json", profile)
	}
	return string(m[1])
}

func TestLoginWithoutDBusFailsFast(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("no D-Bus there: go-keyring uses Credential Manager or Keychain")
	}
	e := newEnv(t)
	e.startSandbox()
	cmd := exec.Command(e.bin, "auth", "login", "--server", e.server, "--account", account, "--profile", "nodbus", "--oob")
	cmd.Env = append(e.environ(), "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(e.tmpDir, "no-such-bus"))
	cmd.Stdin = strings.NewReader("")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	if err == nil {
		t.Fatalf("login succeeded without a D-Bus session:\n%s", out)
	}
	if !strings.Contains(string(out), "org.freedesktop.secrets") && !strings.Contains(strings.ToLower(string(out)), "secret service") {
		t.Errorf("message does not name the missing service:\n%s", out)
	}
	if elapsed > 15*time.Second {
		t.Errorf("took %v: it should fail before the keyring timeout", elapsed)
	}
	if b, err := os.ReadFile(filepath.Join(e.configDir, "profiles.json")); err == nil && bytes.Contains(b, []byte("nodbus")) {
		t.Errorf("a profile was left behind:\n%s", b)
	}
}
