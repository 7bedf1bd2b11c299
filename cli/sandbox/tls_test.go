package sandbox

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/internal/testutil"
)

// TestRunTLS serves `lpdesk sandbox --tls --tls-cert-out FILE` and trusts
// FILE from a Go client and from curl --cacert; a PLAINTEXT application
// registered by flags gets its request token over https.
func TestRunTLS(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "sandbox-cert.pem")
	out := &testutil.SyncBuffer{}
	ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: io.Discard}
	opts, err := parseFlags(ios, []string{"--addr", "127.0.0.1:0", "--quiet", "--seed", "5", "--tls", "--tls-cert-out", certFile,
		"--app", "discogs:discogs-secret:Discogs", "--app-method", "discogs=PLAINTEXT"})
	if err != nil {
		t.Fatal(err)
	}
	base, stop := startRun(t, opts)
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("base %s", base)
	}
	if b := out.String(); !strings.Contains(b, "TLS:") || !strings.Contains(b, "written to "+certFile) || strings.Contains(b, "discogs-secret") {
		t.Errorf("banner:\n%s", b)
	}
	pemBytes, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatalf("%s holds no certificate", certFile)
	}
	trusting := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, host := range []string{base, strings.Replace(base, "127.0.0.1", "localhost", 1)} {
		resp, err := trusting.Get(host + "/console")
		if err != nil {
			t.Fatalf("trusting client: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s/console: %d", host, resp.StatusCode)
		}
	}
	if _, err := (&http.Client{Timeout: 10 * time.Second}).Get(base + "/console"); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("a client that does not trust the certificate: %v", err)
	}
	// SSL_CERT_FILE=FILE makes Go's default client trust it: this test
	// binary, run again as a child, is such a client. Go reads it on
	// Unix only; Windows trusts its certificate store.
	if runtime.GOOS != "windows" {
		child := exec.Command(os.Args[0], "-test.run=^TestSSLCertFileChild$")
		child.Env = append(os.Environ(), "SSL_CERT_FILE="+certFile, "LPDESK_TLS_CHILD_URL="+base+"/console")
		if outb, err := child.CombinedOutput(); err != nil || !strings.Contains(string(outb), "child: 200") {
			t.Errorf("a Go client with SSL_CERT_FILE: %v\n%s", err, outb)
		}
	}
	if _, err := exec.LookPath("curl"); err == nil {
		outb, err := exec.Command("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", certFile, base+"/").CombinedOutput()
		if err != nil || string(outb) != "200" {
			t.Errorf("curl --cacert: %s %v", outb, err)
		}
		if outb, err := exec.Command("curl", "-sS", "-o", "/dev/null", base+"/").CombinedOutput(); err == nil {
			t.Errorf("curl without --cacert succeeded: %s", outb)
		}
	} else {
		t.Log("curl not installed: only the Go client checked")
	}

	// PLAINTEXT over the https listener: the signature is the secrets.
	proto := []oauthsig.Param{{Key: "oauth_callback", Value: "oob"}, {Key: "oauth_consumer_key", Value: "discogs"},
		{Key: "oauth_nonce", Value: oauthsig.Nonce()}, {Key: "oauth_signature_method", Value: "PLAINTEXT"},
		{Key: "oauth_timestamp", Value: oauthsig.Timestamp(time.Now())}, {Key: "oauth_version", Value: "1.0"}}
	sig, _ := oauthsig.Sign(oauthsig.Plaintext, "discogs-secret", "", "")
	req, _ := http.NewRequest("POST", base+"/oauth/request_token", nil)
	req.Header.Set("Authorization", oauthsig.Header(append(proto, oauthsig.Param{Key: "oauth_signature", Value: sig})))
	resp, err := trusting.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if v, _ := url.ParseQuery(string(body)); resp.StatusCode != 200 || v.Get("oauth_token") == "" {
		t.Fatalf("PLAINTEXT request token over https: %d %s", resp.StatusCode, body)
	}
}

// TestSSLCertFileChild is TestRunTLS's child process: Go's default client,
// with nothing but SSL_CERT_FILE to trust the sandbox's certificate.
func TestSSLCertFileChild(t *testing.T) {
	u := os.Getenv("LPDESK_TLS_CHILD_URL")
	if u == "" {
		t.Skip("run by TestRunTLS")
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	fmt.Printf("child: %d\n", resp.StatusCode)
}
