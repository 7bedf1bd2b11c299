package sandbox

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
)

const testPub = "../../apiclient/oauthsig/testdata/rsa-public.pem"

func TestAppFlags(t *testing.T) {
	ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}
	o, err := parseFlags(ios, []string{"--app", "ns:ns-sekrit:NetSuite", "--app-rsa", "jira:" + testPub + ":Jira DC",
		"--app-method", "ns=hmac-sha256", "--app-method", "jira=RSA-SHA256", "--app-realm", "ns=1234567_SB1", "--app-body-hash", "jira",
		"--tls", "--tls-cert-out", "cert.pem"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.TLS || o.TLSCertOut != "cert.pem" {
		t.Fatalf("TLS flags: %+v", o)
	}
	apps, err := appFlags{Apps: o.Apps, RSA: o.AppsRSA, Methods: o.AppMethods, Realms: o.AppRealms, BodyHash: o.AppBodyHash}.apps()
	if err != nil || len(apps) != 2 {
		t.Fatalf("%+v %v", apps, err)
	}
	ns, jira := apps[0], apps[1]
	if ns.Key != "ns" || ns.Secret != "ns-sekrit" || ns.Name != "NetSuite" || ns.Method != oauthsig.HMACSHA256 || ns.Realm != "1234567_SB1" || ns.BodyHash {
		t.Errorf("ns: %+v", ns)
	}
	if jira.Key != "jira" || jira.Name != "Jira DC" || jira.PublicKey == nil || jira.Secret != "" || jira.Method != oauthsig.RSASHA256 || !jira.BodyHash {
		t.Errorf("jira: %+v", jira)
	}
	// A path with a colon and no name.
	dir := t.TempDir()
	colon := filepath.Join(dir, "pub:lic.pem")
	data, _ := os.ReadFile(testPub)
	if err := os.WriteFile(colon, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if a, err := parseRSAApp("k:" + colon); err != nil || a.Name != "k" || a.PublicKey == nil {
		t.Errorf("path with a colon: %+v %v", a, err)
	}
}

func TestAppFlagErrors(t *testing.T) {
	priv := "../../apiclient/oauthsig/testdata/rsa-pkcs8.pem"
	ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}
	if _, err := parseFlags(ios, []string{"--tls-cert-out", "c.pem"}); err == nil || !strings.Contains(err.Error(), "--tls-cert-out needs --tls") {
		t.Errorf("--tls-cert-out alone: %v", err)
	}
	for _, tc := range []struct {
		flags appFlags
		says  string
	}{
		{appFlags{Apps: []string{"acme:sekrit"}, Methods: []string{"other=HMAC-SHA1"}}, "--app-method other: no application with that key"},
		{appFlags{Apps: []string{"acme:sekrit"}, Methods: []string{"acme=HMAC-MD5"}}, `--app-method acme: unsupported oauth_signature_method "HMAC-MD5"`},
		{appFlags{Apps: []string{"acme:sekrit"}, Methods: []string{"acme"}}, "--app-method wants KEY=METHOD"},
		{appFlags{Apps: []string{"acme:sekrit"}, Methods: []string{"acme=RSA-SHA1"}}, "register the application with --app-rsa"},
		{appFlags{RSA: []string{"jira:" + testPub}, Methods: []string{"jira=PLAINTEXT"}}, "PLAINTEXT needs a secret"},
		{appFlags{RSA: []string{"jira:" + priv}}, "the file holds a private key; register its public half"},
		{appFlags{RSA: []string{"jira:/nonexistent/pub.pem"}}, "--app-rsa jira: open /nonexistent/pub.pem"},
		{appFlags{RSA: []string{"jira"}}, "--app-rsa wants KEY:PUBKEYFILE[:NAME]"},
		{appFlags{Apps: []string{"acme:sekrit"}, Realms: []string{"acme="}}, "--app-realm wants KEY=REALM"},
		{appFlags{Apps: []string{"acme:sekrit"}, Realms: []string{"nope=R"}}, "--app-realm nope: no application"},
		{appFlags{Apps: []string{"acme:sekrit"}, BodyHash: []string{"nope"}}, "--app-body-hash nope: no application"},
		{appFlags{Apps: []string{"acme:"}}, "--app wants KEY:SECRET[:NAME]"},
	} {
		_, err := tc.flags.apps()
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%+v: %v, want %q", tc.flags, err, tc.says)
			continue
		}
		if strings.Contains(err.Error(), "sekrit") || strings.Contains(err.Error(), "BEGIN") {
			t.Errorf("the error shows a secret or a key: %v", err)
		}
	}
}
