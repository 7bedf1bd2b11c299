package sandbox

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
)

// systemPython is Debian's: it has python3-oauthlib, python3-cryptography
// and python3-jwt (oauthlib's RSA methods).
const systemPython = "/usr/bin/python3"

// olReq is one request for testdata/oauthlib_client.py to sign.
type olReq struct {
	Method        string            `json:"method"`
	URL           string            `json:"url"`
	Body          *string           `json:"body"`
	Headers       map[string]string `json:"headers,omitempty"`
	Key           string            `json:"key"`
	Secret        string            `json:"secret,omitempty"`
	Token         string            `json:"token,omitempty"`
	TokenSecret   string            `json:"token_secret,omitempty"`
	RSAKey        string            `json:"rsa_key,omitempty"`
	Method_       string            `json:"signature_method,omitempty"`
	SignatureType string            `json:"signature_type,omitempty"`
	Realm         string            `json:"realm,omitempty"`
	Callback      string            `json:"callback,omitempty"`
	Verifier      string            `json:"verifier,omitempty"`
	BodyHash      string            `json:"body_hash,omitempty"` // auto, method, none, wrong
}

type olSigned struct {
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    *string           `json:"body"`
	Error   string            `json:"error"`
}

// oauthlibSigner is a running testdata/oauthlib_client.py.
type oauthlibSigner struct {
	mu  sync.Mutex
	in  io.Writer
	out *bufio.Reader
}

func startOAuthlibSigner(t *testing.T) *oauthlibSigner {
	t.Helper()
	if runtime.GOOS == "windows" {
		// Debian's python3-oauthlib is the independent party; the Linux run
		// of this package makes the check, the Windows build has no Debian.
		t.Skip("skipping: the python3-oauthlib cross-check runs on Linux")
	}
	if out, err := exec.Command(systemPython, "-c", "import oauthlib.oauth1, cryptography, jwt").CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import oauthlib, cryptography and jwt (apt-get install python3-oauthlib python3-cryptography python3-jwt): %v %s", systemPython, err, out)
	}
	cmd := exec.Command(systemPython, "testdata/oauthlib_client.py")
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
		t.Fatalf("oauthlib_client.py did not start: %q %v", line, err)
	}
	return &oauthlibSigner{in: stdin, out: rd}
}

func (o *oauthlibSigner) sign(t *testing.T, r olReq) olSigned {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	line, _ := json.Marshal(r)
	if _, err := o.in.Write(append(line, '\n')); err != nil {
		t.Fatalf("oauthlib_client.py: %v", err)
	}
	ans, err := o.out.ReadString('\n')
	var s olSigned
	if err != nil || json.Unmarshal([]byte(ans), &s) != nil || s.Error != "" {
		t.Fatalf("oauthlib_client.py: %q %v %s", ans, err, s.Error)
	}
	return s
}

// sigEnv is an in-process sandbox on a real listener, http or https with
// the certificate `lpdesk sandbox --tls` makes, and an oauthlib signer.
type sigEnv struct {
	srv    *Server
	base   string
	cl     *http.Client
	admin  consoleclient.Admin
	signer *oauthlibSigner
}

func newSigEnv(t *testing.T, withTLS bool, signer *oauthlibSigner, apps ...App) *sigEnv {
	t.Helper()
	cfg := DemoConfig()
	cfg.SeedRecords = 10
	cfg.Apps = apps
	return newSigEnvWith(t, withTLS, signer, cfg)
}

func newSigEnvWith(t *testing.T, withTLS bool, signer *oauthlibSigner, cfg Config) *sigEnv {
	t.Helper()
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewUnstartedServer(srv)
	cl := &http.Client{Timeout: 20 * time.Second}
	if withTLS {
		cert, certPEM, err := SelfSignedCertificate("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		ts.TLS = TLSConfig(cert)
		ts.StartTLS()
		// Trust exactly the PEM the CLI writes with --tls-cert-out.
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(certPEM) {
			t.Fatal("certificate PEM not readable")
		}
		cl.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	} else {
		ts.Start()
	}
	t.Cleanup(ts.Close)
	t.Cleanup(func() { _ = srv.Close() })
	return &sigEnv{srv: srv, base: ts.URL, cl: cl, signer: signer,
		admin: consoleclient.Admin{Server: ts.URL, User: "admin", Password: "demo", HTTPClient: cl}}
}

// do has oauthlib sign r, sends what it signed and returns the status and
// body.
func (e *sigEnv) do(t *testing.T, r olReq) (int, []byte) {
	t.Helper()
	s := e.signer.sign(t, r)
	var body io.Reader
	if s.Body != nil {
		body = strings.NewReader(*s.Body)
	}
	req, err := http.NewRequest(r.Method, s.URL, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range s.Headers {
		req.Header.Set(k, v)
	}
	resp, err := e.cl.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, s.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func readPEM(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func publicKey(t *testing.T) App {
	t.Helper()
	pub, err := oauthsig.ParsePublicKey([]byte(readPEM(t, "../apiclient/oauthsig/testdata/rsa-public.pem")))
	if err != nil {
		t.Fatal(err)
	}
	return App{PublicKey: pub}
}

// client is how a test's application signs: its key and secret or private
// key, method and realm.
type client struct {
	key, secret, rsaKey string
	method              oauthsig.Method
	realm               string
}

func (c client) req(method, u string) olReq {
	return olReq{Method: method, URL: u, Key: c.key, Secret: c.secret, RSAKey: c.rsaKey, Method_: string(c.method), Realm: c.realm}
}

// flow runs the three-legged flow for c (oob, approved through the
// console client) and returns the access token and secret.
func (e *sigEnv) flow(t *testing.T, c client) (string, string) {
	t.Helper()
	r := c.req("POST", e.base+"/oauth/request_token")
	r.Callback = "oob"
	status, body := e.do(t, r)
	v, err := url.ParseQuery(string(body))
	if status != 200 || err != nil || v.Get("oauth_callback_confirmed") != "true" {
		t.Fatalf("request token: %d %s", status, body)
	}
	verifier, err := e.admin.Approve(context.Background(), e.base+"/oauth/authorize?oauth_token="+url.QueryEscape(v.Get("oauth_token")))
	if err != nil || verifier == "" {
		t.Fatalf("approve: %q %v", verifier, err)
	}
	r = c.req("POST", e.base+"/oauth/access_token")
	r.Token, r.TokenSecret, r.Verifier = v.Get("oauth_token"), v.Get("oauth_token_secret"), verifier
	status, body = e.do(t, r)
	v, err = url.ParseQuery(string(body))
	if status != 200 || err != nil || v.Get("oauth_token") == "" || v.Get("oauth_token_secret") == "" {
		t.Fatalf("access token: %d %s", status, body)
	}
	return v.Get("oauth_token"), v.Get("oauth_token_secret")
}

// echo has e send r and decodes the echo resource's answer.
func (e *sigEnv) echo(t *testing.T, r olReq) echoReply {
	t.Helper()
	status, body := e.do(t, r)
	var rep echoReply
	if status != 200 || json.Unmarshal(body, &rep) != nil {
		t.Fatalf("echo: %d %s", status, body)
	}
	return rep
}

// TestEverySignatureMethodWithOAuthlib registers one application per
// signature method, each with a required realm and body hash, and has
// python3-oauthlib run the whole three-legged flow against the sandbox,
// then call the echo resource (a GET with repeated keys and a space, a
// POST of JSON with its body hash) and a platform resource. PLAINTEXT runs
// over https with the certificate --tls makes.
func TestEverySignatureMethodWithOAuthlib(t *testing.T) {
	signer := startOAuthlibSigner(t)
	rsa := publicKey(t)
	cases := []struct {
		app    App
		client client
		tls    bool
	}{
		{App{Key: "hmac1", Secret: "s1 &=é~", Method: oauthsig.HMACSHA1}, client{secret: "s1 &=é~"}, false},
		{App{Key: "hmac256", Secret: "netsuite secret", Method: oauthsig.HMACSHA256}, client{secret: "netsuite secret"}, false},
		{App{Key: "rsa1", Method: oauthsig.RSASHA1, PublicKey: rsa.PublicKey}, client{rsaKey: readPEM(t, "../apiclient/oauthsig/testdata/rsa-pkcs1.pem")}, false},
		{App{Key: "rsa256", Method: oauthsig.RSASHA256, PublicKey: rsa.PublicKey}, client{rsaKey: readPEM(t, "../apiclient/oauthsig/testdata/rsa-pkcs8.pem")}, false},
		{App{Key: "plain", Secret: "discogs secret", Method: oauthsig.Plaintext}, client{secret: "discogs secret"}, true},
	}
	for _, tc := range cases {
		m := tc.app.Method
		t.Run(string(m), func(t *testing.T) {
			tc.app.Realm, tc.app.BodyHash = "realm of "+string(m), true
			e := newSigEnv(t, tc.tls, signer, tc.app)
			c := tc.client
			c.key, c.method, c.realm = tc.app.Key, m, tc.app.Realm
			token, secret := e.flow(t, c)
			signed := func(method, u string) olReq {
				r := c.req(method, u)
				r.Token, r.TokenSecret = token, secret
				return r
			}

			// GET: repeated keys out of order, a space, a path below echo.
			rep := e.echo(t, signed("GET", e.base+"/api/echo/items/caf%C3%A9?tag=b&q=hello%20world&tag=a&tag=b"))
			wantQuery := [][2]string{{"tag", "b"}, {"q", "hello world"}, {"tag", "a"}, {"tag", "b"}}
			if rep.Method != "GET" || rep.Path != "/api/echo/items/café" || fmt.Sprint(rep.Query) != fmt.Sprint(wantQuery) ||
				rep.SignatureMethod != string(m) || rep.Realm != tc.app.Realm || rep.ConsumerKey != tc.app.Key || rep.BodyHashVerified {
				t.Errorf("echo GET: %+v", rep)
			}

			// POST of JSON with the body hash (hashed by the script).
			body := `{"name": "café au lait", "tags": ["a", "b"]}`
			r := signed("POST", e.base+"/api/echo/items?dry=1")
			r.Body, r.Headers, r.BodyHash = &body, map[string]string{"Content-Type": "application/json"}, "method"
			rep = e.echo(t, r)
			if rep.Method != "POST" || rep.Body != body || rep.ContentType != "application/json" || !rep.BodyHashVerified ||
				rep.BodyHash != m.BodyHash([]byte(body)) || fmt.Sprint(rep.Query) != "[[dry 1]]" {
				t.Errorf("echo POST: %+v", rep)
			}

			// A platform resource takes the same signature.
			if status, b := e.do(t, signed("GET", e.base+e.srv.AccountPath()+"?v=1")); status != 200 || !strings.Contains(string(b), `"account"`) {
				t.Errorf("account base: %d %s", status, b)
			}
		})
	}
}

// TestSignatureRefusals checks that each rule of an application is
// enforced with a reason that says what to change, for requests signed by
// python3-oauthlib.
func TestSignatureRefusals(t *testing.T) {
	signer := startOAuthlibSigner(t)
	rsa := publicKey(t)
	apps := []App{
		{Key: "ns", Secret: "ns secret", Method: oauthsig.HMACSHA256, Realm: "1234567_SB1", BodyHash: true},
		{Key: "jira", Name: "Jira", Method: oauthsig.RSASHA1, PublicKey: rsa.PublicKey},
		{Key: "discogs", Secret: "discogs secret", Method: oauthsig.Plaintext},
	}
	httpEnv := newSigEnv(t, false, signer, apps...)
	tlsEnv := newSigEnv(t, true, signer, apps...)
	ns := client{key: "ns", secret: "ns secret", method: oauthsig.HMACSHA256, realm: "1234567_SB1"}
	jira := client{key: "jira", rsaKey: readPEM(t, "../apiclient/oauthsig/testdata/rsa-pkcs8.pem"), method: oauthsig.RSASHA1}
	nsToken, nsSecret := httpEnv.flow(t, ns)
	jiraToken, _ := httpEnv.flow(t, jira)
	tlsNS, tlsNSSecret := tlsEnv.flow(t, ns)
	api := func(e *sigEnv, c client, token, secret, method, path string) olReq {
		r := c.req(method, e.base+path)
		r.Token, r.TokenSecret = token, secret
		return r
	}
	jsonBody := `{"a": 1}`
	withJSON := func(r olReq, hash string) olReq {
		r.Body, r.Headers, r.BodyHash = &jsonBody, map[string]string{"Content-Type": "application/json"}, hash
		return r
	}
	otherKey := readPEM(t, "testdata/rsa-other.pem")

	for _, tc := range []struct {
		name         string
		env          *sigEnv
		req          func() olReq
		status, code int
		says         string
	}{
		{"wrong method", httpEnv, func() olReq {
			c := ns
			c.method = oauthsig.HMACSHA1
			return api(httpEnv, c, nsToken, nsSecret, "GET", "/api/echo/x")
		}, 400, wire.CodeUnsupportedSigning, "registered for HMAC-SHA256"},
		{"missing realm", httpEnv, func() olReq {
			c := ns
			c.realm = ""
			return api(httpEnv, c, nsToken, nsSecret, "GET", "/api/echo/x")
		}, 400, wire.CodeBadOAuthParams, `requires realm="1234567_SB1"`},
		{"realm in the query placement", httpEnv, func() olReq {
			r := api(httpEnv, ns, nsToken, nsSecret, "GET", "/api/echo/x")
			r.SignatureType = "query"
			return r
		}, 400, wire.CodeBadOAuthParams, "only in the Authorization header"},
		{"wrong realm", httpEnv, func() olReq {
			c := ns
			c.realm = "1234567_sb1"
			return api(httpEnv, c, nsToken, nsSecret, "GET", "/api/echo/x")
		}, 401, wire.CodeBadOAuthParams, `realm "1234567_sb1" is not`},
		{"wrong body hash", httpEnv, func() olReq {
			return withJSON(api(httpEnv, ns, nsToken, nsSecret, "POST", "/api/echo/x"), "wrong")
		}, 401, wire.CodeBadSignature, "oauth_body_hash does not match the body"},
		{"SHA-1 body hash with HMAC-SHA256 (oauthlib's own)", httpEnv, func() olReq {
			return withJSON(api(httpEnv, ns, nsToken, nsSecret, "POST", "/api/echo/x"), "auto")
		}, 401, wire.CodeBadSignature, "the hash sent is the body's SHA-1"},
		{"missing body hash", httpEnv, func() olReq {
			return withJSON(api(httpEnv, ns, nsToken, nsSecret, "POST", "/api/echo/x"), "none")
		}, 400, wire.CodeBadOAuthParams, "requires the body hash"},
		{"body hash on a form body", httpEnv, func() olReq {
			r := api(httpEnv, ns, nsToken, nsSecret, "POST", "/api/echo/x")
			form := "a=1&b=two+words"
			r.Body, r.Headers, r.BodyHash = &form, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "method"
			return r
		}, 400, wire.CodeBadOAuthParams, "oauth_body_hash on a form-encoded body"},
		{"RSA signed with another key", httpEnv, func() olReq {
			c := jira
			c.rsaKey = otherKey
			return api(httpEnv, c, jiraToken, "", "GET", "/api/echo/x")
		}, 401, wire.CodeBadSignature, "public key the application registered"},
		{"RSA with another application's token", httpEnv, func() olReq {
			return api(httpEnv, jira, nsToken, "", "GET", "/api/echo/x")
		}, 401, wire.CodeTokenRevoked, "issued to another application"},
		{"PLAINTEXT over http", httpEnv, func() olReq {
			return olReq{Method: "POST", URL: httpEnv.base + "/oauth/request_token", Key: "discogs", Secret: "discogs secret",
				Method_: "PLAINTEXT", Callback: "oob"}
		}, 400, wire.CodeUnsupportedSigning, "PLAINTEXT is refused over plain http"},
		{"PLAINTEXT over https with a wrong secret", tlsEnv, func() olReq {
			return olReq{Method: "POST", URL: tlsEnv.base + "/oauth/request_token", Key: "discogs", Secret: "not the secret",
				Method_: "PLAINTEXT", Callback: "oob"}
		}, 401, wire.CodeBadSignature, "PLAINTEXT signature is percent-encoded consumer secret"},
		{"HMAC-SHA256 app refuses PLAINTEXT over https", tlsEnv, func() olReq {
			c := ns
			c.method = oauthsig.Plaintext
			return api(tlsEnv, c, tlsNS, tlsNSSecret, "GET", "/api/echo/x")
		}, 400, wire.CodeUnsupportedSigning, "registered for HMAC-SHA256"},
		{"default app refuses RSA", httpEnv, func() olReq {
			return olReq{Method: "POST", URL: httpEnv.base + "/oauth/request_token", Key: "lpdesk-demo-app",
				RSAKey: jira.rsaKey, Method_: "RSA-SHA1", Callback: "oob"}
		}, 400, wire.CodeUnsupportedSigning, "registered for HMAC-SHA1 or HMAC-SHA256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := tc.env.do(t, tc.req())
			we, ok := wire.ParseError(body)
			if status != tc.status || !ok || we.InternalCode != tc.code || !strings.Contains(we.Message+" "+we.Reason, tc.says) {
				t.Fatalf("%d %s\nwant %d, internalCode %d, saying %q", status, body, tc.status, tc.code, tc.says)
			}
			for _, secret := range []string{"ns secret", "discogs secret", "not the secret", nsSecret} {
				if strings.Contains(string(body), secret) || strings.Contains(string(body), url.QueryEscape(secret)) {
					t.Errorf("the refusal shows a secret: %s", body)
				}
			}
		})
	}

	// The same requests pass once corrected: the refusals are the rules,
	// not a broken application.
	if status, body := tlsEnv.do(t, withJSON(api(tlsEnv, ns, tlsNS, tlsNSSecret, "PUT", "/api/echo/x"), "method")); status != 200 {
		t.Errorf("corrected request: %d %s", status, body)
	}
	if status, body := tlsEnv.do(t, olReq{Method: "POST", URL: tlsEnv.base + "/oauth/request_token", Key: "discogs",
		Secret: "discogs secret", Method_: "PLAINTEXT", Callback: "oob"}); status != 200 {
		t.Errorf("PLAINTEXT over https: %d %s", status, body)
	}
}
