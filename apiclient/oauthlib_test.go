package apiclient_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

const systemPython = "/usr/bin/python3"

var oauthlibCreds = apiclient.Credentials{
	ConsumerKey:    "key with spaces+plus",
	ConsumerSecret: "cs&secret=é~",
	Token:          "tok/en!",
	TokenSecret:    "ts secret%2F*",
}

// startOAuthlib runs scripts/oauthlib_verify.py and returns its base URL.
// The script exits when its stdin closes, which Cleanup does.
func startOAuthlib(t *testing.T) string {
	t.Helper()
	return startOAuthlibWith(t, nil)
}

// startOAuthlibWith is startOAuthlib with more of the script's environment
// (OAUTHLIB_RSA_PUBLIC_KEY_FILE, OAUTHLIB_REALM, OAUTHLIB_BODY_HASH,
// OAUTHLIB_TLS_CERT/KEY); with a certificate the URL is https.
func startOAuthlibWith(t *testing.T, env []string) string {
	t.Helper()
	// RSA verification needs python3-jwt and python3-cryptography too.
	imports, pkgs := "import oauthlib.oauth1.rfc5849.signature", "python3-oauthlib"
	if len(env) > 0 {
		imports, pkgs = imports+", jwt, cryptography", pkgs+", python3-jwt and python3-cryptography"
	}
	if out, err := exec.Command(systemPython, "-c", imports).CombinedOutput(); err != nil {
		msg := fmt.Sprintf("skipping: %s cannot run %q (install Debian's %s): %v %s", systemPython, imports, pkgs, err, strings.TrimSpace(string(out)))
		fmt.Fprintln(os.Stderr, msg)
		t.Skip(msg)
	}
	_, self, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(self), "..", "scripts", "oauthlib_verify.py")
	cmd := exec.Command(systemPython, script, "0")
	cmd.Env = append(os.Environ(),
		"OAUTHLIB_CONSUMER_KEY="+oauthlibCreds.ConsumerKey,
		"OAUTHLIB_CONSUMER_SECRET="+oauthlibCreds.ConsumerSecret,
		"OAUTHLIB_TOKEN="+oauthlibCreds.Token,
		"OAUTHLIB_TOKEN_SECRET="+oauthlibCreds.TokenSecret,
	)
	cmd.Env = append(cmd.Env, env...)
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
		if err := cmd.Wait(); err != nil {
			t.Logf("oauthlib_verify.py: %v", err)
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	var port int
	if _, serr := fmt.Sscanf(line, "PORT %d", &port); err != nil || serr != nil {
		cmd.Process.Kill()
		t.Fatalf("oauthlib_verify.py did not report its port: %q %v", line, err)
	}
	scheme := "http"
	for _, e := range env {
		if strings.HasPrefix(e, "OAUTHLIB_TLS_CERT=") {
			scheme = "https"
		}
	}
	return fmt.Sprintf("%s://127.0.0.1:%d", scheme, port)
}

type verdict struct {
	OK         bool    `json:"ok"`
	BaseString string  `json:"base_string"`
	Reason     string  `json:"reason"`
	Placement  string  `json:"placement"`
	Realm      *string `json:"realm"`
	BodyHash   *string `json:"body_hash"`
}

// tamper changes the query after the client signed it.
type tamper struct{ base http.RoundTripper }

func (t tamper) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.RawQuery += "&injected=1"
	return t.base.RoundTrip(r)
}

// TestOAuthlibVerifiesOurSignatures has python3-oauthlib, an implementation
// that shares no code with ours, verify requests whose parameters carry
// every awkward character, in both placements, as GET and as form POST.
func TestOAuthlibVerifiesOurSignatures(t *testing.T) {
	base := startOAuthlib(t)
	params := []oauthsig.Param{
		{Key: "skill", Value: "Sales and Support"},
		{Key: "plus", Value: "a+b=c&d"},
		{Key: "tilde~key", Value: "x~y-z._"},
		{Key: "sub", Value: "!*'()"},
		{Key: "pct", Value: "100% %20 %zz"},
		{Key: "text", Value: "Grüße, 日本語 😀"},
		{Key: "rep", Value: "b"},
		{Key: "rep", Value: "a"},
		{Key: "rep", Value: "a"},
		{Key: "empty", Value: ""},
		{Key: "a b", Value: "c+d"},
		// Only the Authorization header's realm is unsigned (RFC 5849
		// §3.4.1.3.1); this one is signed, as oauthlib signs it.
		{Key: "realm", Value: "query realm"},
	}
	form := "rep=z&rep=%20y&f%20k=%E2%82%AC+sign&bang=%21%2A%27%28%29&plus=1%2B1"
	ctx := context.Background()
	for _, sm := range []oauthsig.Method{oauthsig.HMACSHA1, oauthsig.HMACSHA256} {
		for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
			c, err := apiclient.New(apiclient.Config{BaseURL: base + "/api/account/12345678", Credentials: oauthlibCreds, Placement: pl, SignatureMethod: sm})
			if err != nil {
				t.Fatal(err)
			}
			reqs := map[string]*apiclient.Request{
				"GET":      {Method: "GET", Path: "chat/availability", Query: params},
				"GET path": {Method: "GET", Path: "users/a b/Grüße?x=%2B1&x=+2", Query: params[:3]},
				"form POST": {Method: "POST", Path: "chat/request", Query: params,
					Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: []byte(form)},
				"PUT override": {Method: "PUT", Path: "skills/1", Query: params, Body: []byte(`{"skill":{"name":"a&b"}}`), BodyFormat: wire.JSON},
			}
			for name, req := range reqs {
				resp, err := c.Do(ctx, req)
				if err != nil {
					body := ""
					if resp != nil {
						body = string(resp.Body)
					}
					t.Errorf("%s %s %s: oauthlib refused: %v\n%s", sm, pl, name, err, body)
					continue
				}
				var v verdict
				if err := json.Unmarshal(resp.Body, &v); err != nil || !v.OK || !strings.HasPrefix(v.BaseString, "POST&") && !strings.HasPrefix(v.BaseString, "GET&") {
					t.Errorf("%s %s %s: verdict %+v %v", sm, pl, name, v, err)
				}
			}
		}
	}

	// The same request with a parameter added after signing must fail: the
	// verifier is not accepting everything.
	for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
		c, err := apiclient.New(apiclient.Config{BaseURL: base + "/api/account/12345678", Credentials: oauthlibCreds, Placement: pl,
			Transport: tamper{http.DefaultTransport}, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(ctx, &apiclient.Request{Path: "chat/availability", Query: params})
		var v verdict
		if resp == nil || resp.Status != http.StatusUnauthorized || json.Unmarshal(resp.Body, &v) != nil || v.OK || v.Reason != "signature mismatch" {
			t.Errorf("%s: tampered request: %v %+v", pl, err, v)
		}
	}
}

// TestOAuthlibVerifiesTypedPaths: paths as users type them, encoded by
// EncodeTypedURL, NC=true included, verify under python3-oauthlib in both
// placements, and oauthlib's base string holds the value that was typed
// (so the signature covers what the server reads).
func TestOAuthlibVerifiesTypedPaths(t *testing.T) {
	base := startOAuthlib(t)
	ctx := context.Background()
	for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
		c, err := apiclient.New(apiclient.Config{BaseURL: base + "/api/account/12345678", Credentials: oauthlibCreds, Placement: pl})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range typedCases {
			typed := tc.typed + "&NC=true"
			resp, err := c.Do(ctx, &apiclient.Request{Path: apiclient.EncodeTypedURL(typed)})
			var v verdict
			if err != nil || json.Unmarshal(resp.Body, &v) != nil || !v.OK {
				t.Errorf("%s %q: oauthlib refused: %v %+v", pl, typed, err, v)
				continue
			}
			param := oauthsig.PercentEncode("skill=" + oauthsig.PercentEncode(tc.skill))
			if !strings.Contains(v.BaseString, param) || !strings.Contains(v.BaseString, "NC%3Dtrue") {
				t.Errorf("%s %q: base string %s lacks %s", pl, typed, v.BaseString, param)
			}
		}
	}
}
