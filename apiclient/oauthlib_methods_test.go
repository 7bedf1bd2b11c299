package apiclient_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// selfSignedTLS writes a certificate and key for 127.0.0.1 into dir and
// returns the environment that makes oauthlib_verify.py serve https, and a
// transport that trusts that certificate alone.
func selfSignedTLS(t *testing.T) ([]string, http.RoundTripper) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	tr := apiclient.NewTransport()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return []string{"OAUTHLIB_TLS_CERT=" + certFile, "OAUTHLIB_TLS_KEY=" + keyFile}, tr
}

func rsaTestKey(t *testing.T) (pubFile string, priv []byte) {
	t.Helper()
	dir := filepath.Join("oauthsig", "testdata")
	priv, err := os.ReadFile(filepath.Join(dir, "rsa-pkcs8.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pubFile, err = filepath.Abs(filepath.Join(dir, "rsa-public.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return pubFile, priv
}

// oauthlibVerdict sends req and reads the script's verdict, whatever the
// status.
func oauthlibVerdict(t *testing.T, c *apiclient.Client, req *apiclient.Request) (verdict, *apiclient.Response, error) {
	t.Helper()
	resp, err := c.Do(context.Background(), req)
	var v verdict
	if resp == nil {
		return v, nil, err
	}
	if jerr := json.Unmarshal(resp.Body, &v); jerr != nil {
		t.Fatalf("verdict %q: %v", resp.Body, jerr)
	}
	return v, resp, err
}

// TestOAuthlibVerifiesEveryMethod: python3-oauthlib (with
// python3-cryptography and python3-jwt for RSA) verifies lpdesk's requests
// for each signature method in the header, query and form placements,
// plain, with a realm and with a body hash: a GET with repeated keys and a
// space, and a POST of JSON. Its base string is the one lpdesk reports in
// Response.Signed.
func TestOAuthlibVerifiesEveryMethod(t *testing.T) {
	pubFile, privPEM := rsaTestKey(t)
	priv, err := oauthsig.ParsePrivateKey(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	tlsEnv, tlsTransport := selfSignedTLS(t)
	keyEnv := "OAUTHLIB_RSA_PUBLIC_KEY_FILE=" + pubFile
	plainURL := startOAuthlibWith(t, []string{keyEnv})
	tlsURL := startOAuthlibWith(t, append([]string{keyEnv}, tlsEnv...))
	creds := oauthlibCreds
	creds.PrivateKey = priv

	reqs := map[string]*apiclient.Request{
		"GET": {Path: "things", Query: []oauthsig.Param{
			{Key: "tag", Value: "b"}, {Key: "tag", Value: "a"}, {Key: "tag", Value: "a"}, {Key: "q", Value: "two words"}}},
		"POST JSON": {Method: "POST", Path: "things", Body: []byte(`{"name":"a b","n":[1,2]}`), BodyFormat: wire.JSON},
	}
	for _, m := range oauthsig.Methods {
		base, tr := plainURL, http.RoundTripper(nil)
		if m.SendsSecrets() {
			base, tr = tlsURL, tlsTransport
		}
		for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery, apiclient.PlaceForm} {
			for _, ext := range []string{"plain", "realm", "body hash"} {
				realm := map[string]string{"realm": "1234567_SB1"}[ext]
				c, err := apiclient.New(apiclient.Config{BaseURL: base + "/rest/v1", Credentials: creds, SignatureMethod: m,
					Placement: pl, Dialect: apiclient.DialectGeneric, Realm: realm, BodyHash: ext == "body hash", Transport: tr, MaxRetries: -1})
				if err != nil {
					t.Fatal(err)
				}
				for name, req := range reqs {
					label := fmt.Sprintf("%s %s %s %s", m, pl, ext, name)
					if pl == apiclient.PlaceForm && req.Body != nil {
						continue // a JSON body has no form to carry them: refused before sending (apiclient tests)
					}
					v, resp, err := oauthlibVerdict(t, c, req)
					if err != nil || !v.OK {
						t.Errorf("%s: oauthlib refused: %v %+v", label, err, v)
						continue
					}
					if resp.Signed == nil || resp.Signed.BaseString != v.BaseString {
						t.Errorf("%s: lpdesk's base string differs from oauthlib's:\n%+v\n%s", label, resp.Signed, v.BaseString)
					}
					wantPl := pl.String()
					if pl == apiclient.PlaceForm {
						wantPl = "query" // a GET has no body to carry them
					}
					if v.Placement != wantPl {
						t.Errorf("%s: credentials arrived in the %q", label, v.Placement)
					}
					if gotRealm := v.Realm != nil; gotRealm != (realm != "" && pl == apiclient.PlaceHeader) || gotRealm && *v.Realm != realm {
						t.Errorf("%s: realm %v", label, v.Realm)
					}
					if (v.BodyHash != nil) != (ext == "body hash") {
						t.Errorf("%s: body hash %v", label, v.BodyHash)
					}
				}
			}
		}
	}
}

// TestOAuthlibRefusesTampering shows the check above is real: a request
// changed after signing fails oauthlib's verification (query or body, the
// body caught by its hash), as does a PLAINTEXT request with a wrong
// secret; and a verifier that requires a realm and a body hash refuses a
// request without them.
func TestOAuthlibRefusesTampering(t *testing.T) {
	pubFile, privPEM := rsaTestKey(t)
	priv, err := oauthsig.ParsePrivateKey(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	tlsEnv, tlsTransport := selfSignedTLS(t)
	keyEnv := "OAUTHLIB_RSA_PUBLIC_KEY_FILE=" + pubFile
	plainURL := startOAuthlibWith(t, []string{keyEnv})
	tlsURL := startOAuthlibWith(t, append([]string{keyEnv}, tlsEnv...))
	strictURL := startOAuthlibWith(t, []string{keyEnv, "OAUTHLIB_REALM=R", "OAUTHLIB_BODY_HASH=1"})
	creds := oauthlibCreds
	creds.PrivateKey = priv

	tamper := func(base http.RoundTripper, f func(*http.Request)) http.RoundTripper {
		return roundTrip(func(r *http.Request) (*http.Response, error) {
			r = r.Clone(r.Context())
			f(r)
			return base.RoundTrip(r)
		})
	}
	query := func(r *http.Request) { r.URL.RawQuery += "&injected=1" }
	body := func(r *http.Request) {
		r.Body, r.ContentLength = io.NopCloser(strings.NewReader(`{"name":"B"}`)), 12
	}
	post := &apiclient.Request{Method: "POST", Path: "things", Body: []byte(`{"name":"A"}`), BodyFormat: wire.JSON}
	for _, m := range []oauthsig.Method{oauthsig.HMACSHA1, oauthsig.HMACSHA256, oauthsig.RSASHA1, oauthsig.RSASHA256} {
		for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
			for name, tc := range map[string]struct {
				f          func(*http.Request)
				bodyHash   bool
				wantReason string
			}{
				"query": {query, false, "signature mismatch"},
				"body":  {body, true, "oauth_body_hash does not match the body"},
			} {
				c, err := apiclient.New(apiclient.Config{BaseURL: plainURL, Credentials: creds, SignatureMethod: m, Placement: pl,
					BodyHash: tc.bodyHash, Dialect: apiclient.DialectGeneric, MaxRetries: -1, Transport: tamper(http.DefaultTransport, tc.f)})
				if err != nil {
					t.Fatal(err)
				}
				v, resp, _ := oauthlibVerdict(t, c, post)
				if resp == nil || resp.Status != http.StatusUnauthorized || v.OK || v.Reason != tc.wantReason {
					t.Errorf("%s %s tampered %s: %+v", m, pl, name, v)
				}
			}
		}
	}
	// PLAINTEXT covers no parameter, so only a wrong secret can fail it.
	wrong := oauthlibCreds
	wrong.TokenSecret += "x"
	c, err := apiclient.New(apiclient.Config{BaseURL: tlsURL, Credentials: wrong, SignatureMethod: oauthsig.Plaintext, Transport: tlsTransport, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := oauthlibVerdict(t, c, post); v.OK || v.Reason != "signature mismatch" {
		t.Errorf("PLAINTEXT with a wrong secret: %+v", v)
	}
	// The strict verifier: without realm and body hash refused, with them
	// accepted.
	for _, withExt := range []bool{false, true} {
		realm := map[bool]string{true: "R"}[withExt]
		c, err := apiclient.New(apiclient.Config{BaseURL: strictURL, Credentials: creds, SignatureMethod: oauthsig.RSASHA256,
			Realm: realm, BodyHash: withExt, Dialect: apiclient.DialectGeneric, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		if v, _, _ := oauthlibVerdict(t, c, post); v.OK != withExt {
			t.Errorf("strict verifier, realm and body hash %v: %+v", withExt, v)
		}
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
