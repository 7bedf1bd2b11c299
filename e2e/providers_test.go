//go:build keyring

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io/fs"
	"net/http"
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

	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
)

// providerApp is one application registered in the sandbox the way another
// OAuth 1.0a provider would have it: a fixed method, maybe a realm and the
// body hash.
type providerApp struct {
	key, secret string
	method      string
	realm       string
	bodyHash    bool
	tls         bool
}

// adminFor is the console client, trusting the sandbox's certificate.
func (e *env) adminFor(certFile string) consoleclient.Admin {
	a := e.admin()
	if certFile != "" {
		b, err := os.ReadFile(certFile)
		if err != nil {
			e.t.Fatal(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(b)
		a.HTTPClient = &http.Client{Timeout: 30 * time.Second,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	}
	return a
}

// loginOOBWith runs `lpdesk auth login … --oob` with args, approves the
// request token it prints through the console client, and types the
// verifier into its stdin. It returns stdout.
func (e *env) loginOOBWith(admin consoleclient.Admin, extraEnv []string, args ...string) string {
	t := e.t
	cmd := exec.Command(e.bin, append([]string{"auth", "login", "--oob"}, args...)...)
	cmd.Env = append(e.environ(), extraEnv...)
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
			verifier, err := admin.Approve(context.Background(), e.server+"/oauth/authorize?"+url.Values{"oauth_token": {tok}}.Encode())
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
		t.Fatalf("auth login %v: %v (approved=%v)\nstderr:\n%s", args, err, approved, errText.String())
	}
	return stdout.String()
}

// runEnv is run with extra environment.
func (e *env) runEnv(extraEnv []string, stdin string, args ...string) (string, string, int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, args...)
	cmd.Env = append(e.environ(), extraEnv...)
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
	if code != 0 {
		e.t.Errorf("lpdesk %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return stdout.String(), stderr.String(), code
}

type echo struct {
	Method           string      `json:"method"`
	Path             string      `json:"path"`
	Query            [][2]string `json:"query"`
	ContentType      string      `json:"contentType"`
	Body             string      `json:"body"`
	BodyHashVerified bool        `json:"bodyHashVerified"`
	SignatureMethod  string      `json:"signatureMethod"`
	Realm            string      `json:"realm"`
	ConsumerKey      string      `json:"consumerKey"`
}

func parseEcho(t *testing.T, out string) echo {
	t.Helper()
	var r echo
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("echo answer is not JSON (%v):\n%s", err, out)
	}
	return r
}

// writeKeyPair makes an RSA key for the RSA applications: the private half
// for lpdesk, the public half for the sandbox. The PEM body lines are
// returned for the leak scan.
func writeKeyPair(t *testing.T, dir string) (private, public string, bodyLines []string) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	priv := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	pubDER, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	private, public = filepath.Join(dir, "app-private.pem"), filepath.Join(dir, "app-public.pem")
	if err := os.WriteFile(private, priv, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(public, pub, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(priv), "\n") {
		if len(l) > 20 && !strings.HasPrefix(l, "-----") {
			bodyLines = append(bodyLines, l)
		}
	}
	return private, public, bodyLines
}

// Per signature method: `auth login --provider custom … --oob` against a
// real sandbox process whose application wants that method (with a realm
// and the body hash in some), approved through the console client; then
// GET and POST on the echo resource through `lpdesk api`, which resolves
// against --base-url and adds no v=1; then the profile is removed and
// nothing secret is found in the config dir, the temp dir or any output
// (debug log included).
func TestOtherProvidersEveryMethod(t *testing.T) {
	e := newEnv(t)
	keys := t.TempDir() // outside every scanned place: the user's own files
	privFile, pubFile, pemLines := writeKeyPair(t, keys)
	apps := []providerApp{
		{key: "hs1", secret: "hs1-" + randomHex(12), method: "HMAC-SHA1"},
		{key: "hs256", secret: "hs256-" + randomHex(12), method: "HMAC-SHA256", realm: "1234567_SB1"},
		{key: "rs1", method: "RSA-SHA1", bodyHash: true},
		{key: "rs256", method: "RSA-SHA256", realm: "Jira", bodyHash: true},
		{key: "pt", secret: "pt-" + randomHex(12), method: "PLAINTEXT", tls: true},
	}
	secrets := map[string]string{"built-in consumer secret": e.appSecret}
	for i, l := range pemLines {
		secrets[fmt.Sprintf("private key line %d", i)] = l
	}
	for _, useTLS := range []bool{false, true} {
		if useTLS && runtime.GOOS == "windows" {
			// lpdesk trusts the sandbox's certificate through SSL_CERT_FILE,
			// which Go reads on Unix only; the Linux run covers PLAINTEXT.
			t.Log("PLAINTEXT over TLS is checked on Linux (SSL_CERT_FILE)")
			continue
		}
		var flags []string
		for _, a := range apps {
			if a.tls != useTLS {
				continue
			}
			if strings.HasPrefix(a.method, "RSA") {
				flags = append(flags, "--app-rsa", a.key+":"+pubFile)
			} else {
				flags = append(flags, "--app", a.key+":"+a.secret)
			}
			flags = append(flags, "--app-method", a.key+"="+a.method)
			if a.realm != "" {
				flags = append(flags, "--app-realm", a.key+"="+a.realm)
			}
			if a.bodyHash {
				flags = append(flags, "--app-body-hash", a.key)
			}
		}
		cert := e.startSandboxWith(useTLS, flags...)
		var extraEnv []string
		if cert != "" {
			extraEnv = []string{"SSL_CERT_FILE=" + cert}
		}
		admin := e.adminFor(cert)
		srv := e.server
		for _, a := range apps {
			if a.tls != useTLS {
				continue
			}
			t.Run(a.method, func(t *testing.T) {
				profile := "p-" + a.key
				args := []string{"--provider", "custom", "--base-url", srv + "/api/echo",
					"--request-token-url", srv + "/oauth/request_token", "--authorize-url", srv + "/oauth/authorize",
					"--access-token-url", srv + "/oauth/access_token", "--app-key", a.key, "--signature-method", a.method,
					"--check-url", srv + "/api/echo/check", "--profile", profile}
				if strings.HasPrefix(a.method, "RSA") {
					args = append(args, "--app-private-key", privFile)
				} else {
					f := filepath.Join(keys, a.key+".secret")
					os.WriteFile(f, []byte(a.secret+"\n"), 0o600)
					args = append(args, "--app-secret-file", f)
					secrets[a.key+" consumer secret"] = a.secret
				}
				if a.realm != "" {
					args = append(args, "--realm", a.realm)
				}
				if a.bodyHash {
					args = append(args, "--body-hash")
				}
				out := e.loginOOBWith(admin, extraEnv, args...)
				if !strings.Contains(out, "signature:    "+a.method) {
					t.Errorf("login output lacks the method:\n%s", out)
				}
				tokenSecret, err := keyring.Get("lpdesk", profile)
				if err != nil || tokenSecret == "" {
					t.Fatalf("token secret not in the OS keyring: %v", err)
				}
				secrets[a.key+" token secret"] = tokenSecret
				app, err := keyring.Get("lpdesk", profile+":app")
				if err != nil || app == "" {
					t.Fatalf("application secret not in the OS keyring: %v", err)
				}

				status, _, _ := e.runEnv(extraEnv, "", "auth", "status", "--profile", profile)
				for _, want := range []string{"dialect:      generic", "signature:    " + a.method, "item " + profile + ":app", "access:       ok"} {
					if !strings.Contains(status, want) {
						t.Errorf("status lacks %q:\n%s", want, status)
					}
				}

				// GET with a repeated key and a space; no v=1.
				out, _, _ = e.runEnv(extraEnv, "", "api", "--profile", profile, "things/1?tag=a&tag=b", "q=hello world")
				got := parseEcho(t, out)
				wantQ := [][2]string{{"tag", "a"}, {"tag", "b"}, {"q", "hello world"}}
				if got.Method != "GET" || got.Path != "/api/echo/things/1" || fmt.Sprint(got.Query) != fmt.Sprint(wantQ) ||
					got.SignatureMethod != a.method || got.Realm != a.realm || got.ConsumerKey != a.key {
					t.Errorf("GET echo = %+v", got)
				}
				// POST JSON.
				body := `{"name":"lpdesk","n":1}`
				out, _, _ = e.runEnv(extraEnv, body, "api", "--profile", profile, "-X", "POST", "-H", "Content-Type: application/json",
					"--input", "-", "things")
				got = parseEcho(t, out)
				if got.Method != "POST" || got.Body != body || got.SignatureMethod != a.method || got.BodyHashVerified != a.bodyHash {
					t.Errorf("POST echo = %+v", got)
				}

				e.runEnv(extraEnv, "", "auth", "logout", "--profile", profile)
				for _, item := range []string{profile, profile + ":app"} {
					if _, err := keyring.Get("lpdesk", item); err != keyring.ErrNotFound {
						t.Errorf("logout left keyring item %s: %v", item, err)
					}
				}
			})
		}
	}
	scanForSecrets(t, e, secrets)
}

// The four values end to end: the application's secret from a file, the
// token secret from stdin, checked with one signed GET, then used.
func TestOtherProviderFourValues(t *testing.T) {
	e := newEnv(t)
	secret := "fv-" + randomHex(12)
	e.startSandboxWith(false, "--app", "fv:"+secret, "--app-method", "fv=HMAC-SHA256", "--app-realm", "fv=R")
	code, err := e.admin().Install(context.Background(), "fv")
	if err != nil {
		t.Fatalf("console install: %v", err)
	}
	token, tokenSecret, ok := strings.Cut(strings.TrimSpace(code), ";")
	if !ok {
		t.Fatalf("install code %q", code)
	}
	f := filepath.Join(t.TempDir(), "fv.secret")
	os.WriteFile(f, []byte(secret), 0o600)
	out := e.mustRun(tokenSecret+"\n", "auth", "login", "--provider", "custom", "--base-url", e.server+"/api/echo",
		"--app-key", "fv", "--app-secret-file", f, "--signature-method", "HMAC-SHA256", "--realm", "R",
		"--token", token, "--token-secret-file", "-", "--check-url", e.server+"/api/echo/check", "--profile", "fv")
	if !strings.Contains(out, "provider:     custom") {
		t.Errorf("login output:\n%s", out)
	}
	got := parseEcho(t, e.mustRun("", "api", "--profile", "fv", "x?a=1&a=2", "b=c d"))
	if got.SignatureMethod != "HMAC-SHA256" || got.Realm != "R" || len(got.Query) != 3 {
		t.Errorf("echo %+v", got)
	}
	e.mustRun("", "auth", "logout", "--profile", "fv")
	scanForSecrets(t, e, map[string]string{"consumer secret": secret, "token secret": tokenSecret, "built-in consumer secret": e.appSecret})
}

// scanForSecrets fails when a secret is in the config dir, the temp dir or
// anything lpdesk printed (debug log included).
func scanForSecrets(t *testing.T, e *env, secrets map[string]string) {
	t.Helper()
	for _, dir := range []string{e.configDir, e.tmpDir} {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(path)
			for name, s := range secrets {
				if s != "" && bytes.Contains(b, []byte(s)) {
					t.Errorf("%s found in %s", name, path)
				}
			}
			return nil
		})
	}
	if !strings.Contains(e.output.String(), "level=DEBUG") {
		t.Error("LPDESK_DEBUG=1 produced no debug log: the secret search would prove nothing about it")
	}
	for name, s := range secrets {
		if s != "" && strings.Contains(e.output.String(), s) {
			t.Errorf("%s found in lpdesk's output", name)
		}
	}
}
