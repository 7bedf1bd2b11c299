package api

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/store"
)

// runWith runs `lpdesk api` args with client.
func runWith(t *testing.T, client *apiclient.Client, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &cmdutil.Factory{IOStreams: &cmdutil.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}}
	cmd := NewCmdApi(f, func(ctx context.Context, o *Options) error {
		o.OpenClient = func(context.Context, string) (*apiclient.Client, store.Profile, error) {
			return client, store.Profile{Name: "test"}, nil
		}
		return Run(ctx, o)
	})
	cmdutil.PrepareRoot(cmd, f.IOStreams)
	_, err := cmdutil.Execute(cmd, args)
	return out.String(), errOut.String(), err
}

// --dry-run prints the signed request and sends nothing: the server fails
// the test if it is reached.
func TestDryRunSendsNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("--dry-run sent %s %s", r.Method, r.URL)
	}))
	defer srv.Close()
	const secret, tokenSecret = "cs-SECRET", "ts-SECRET"
	for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
		c, err := apiclient.New(apiclient.Config{BaseURL: srv.URL + "/rest/2", Dialect: apiclient.DialectGeneric, Placement: pl,
			SignatureMethod: oauthsig.HMACSHA256, Realm: "R",
			Credentials: apiclient.Credentials{ConsumerKey: "ck", ConsumerSecret: secret, Token: "tk", TokenSecret: tokenSecret}})
		if err != nil {
			t.Fatal(err)
		}
		out, errOut, err := runWith(t, c, `{"a":1}`, "--dry-run", "-X", "PATCH", "things/7", "k=2", "k=1", "s=a b", "--input", "-")
		if err != nil {
			t.Fatalf("%s: %v %s", pl, err, errOut)
		}
		wantURL := srv.URL + "/rest/2/things/7?k=2&k=1&s=a%20b"
		if !strings.HasPrefix(out, "PATCH "+wantURL) || !strings.Contains(out, "\nBody: 7 bytes\n") || !strings.Contains(out, "Signature method: HMAC-SHA256") {
			t.Errorf("%s: dry run output:\n%s", pl, out)
		}
		base := strings.SplitN(out[strings.Index(out, "Signature base string:\n")+len("Signature base string:\n"):], "\n", 2)[0]
		if !strings.HasPrefix(base, "PATCH&"+url.QueryEscape(srv.URL+"/rest/2/things/7")+"&") || !strings.Contains(base, "s%3Da%2520b") ||
			!strings.Contains(base, "oauth_signature_method%3DHMAC-SHA256") {
			t.Errorf("%s: base string %q", pl, base)
		}
		if hasHeader := strings.Contains(out, "\nAuthorization: OAuth realm=\"R\", oauth_consumer_key=\"ck\""); hasHeader != (pl == apiclient.PlaceHeader) {
			t.Errorf("%s: Authorization header shown: %v\n%s", pl, hasHeader, out)
		}
		if !strings.Contains(out, "oauth_signature") {
			t.Errorf("%s: no signature shown:\n%s", pl, out)
		}
		if strings.Contains(out+errOut, secret) || strings.Contains(out+errOut, tokenSecret) {
			t.Errorf("%s: a secret was printed:\n%s", pl, out)
		}
	}
}

// A 401 prints the provider's answer and then, on stderr, lpdesk's own base
// string, which matches the one the provider computed from what arrived.
func TestUnauthorizedPrintsOurBaseString(t *testing.T) {
	h := newHarness(t)
	// The sandbox holds the real token secret; this client signs with
	// another, so the sandbox answers 401 with its own base string.
	c, err := apiclient.New(apiclient.Config{BaseURL: h.srv.URL + h.sb.AccountPath(),
		Credentials: apiclient.Credentials{ConsumerKey: assets.DemoConsumerKey, ConsumerSecret: assets.DemoConsumerSecret, Token: h.token, TokenSecret: "wrong"}})
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runWith(t, c, "", "skills", "a=1")
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("want a 401, got %v", err)
	}
	if !strings.Contains(out, "401") && !strings.Contains(out, "ignature") {
		t.Errorf("the provider's answer is missing from stdout: %q", out)
	}
	_, ours, ok := strings.Cut(errOut, "lpdesk's signature base string was:\n")
	ours, _, _ = strings.Cut(ours, "\n")
	if !ok || !strings.HasPrefix(ours, "GET&http%3A%2F%2F127.0.0.1") || !strings.Contains(ours, "a%3D1") {
		t.Fatalf("stderr: %q", errOut)
	}
	// The sandbox's 401 names its base string (the error's reason);
	// ours is the same one.
	if !strings.Contains(err.Error(), "server base string: "+ours) {
		t.Errorf("lpdesk's base string %q is not the sandbox's:\n%v", ours, err)
	}
}

func TestPlacementFlagTakesForm(t *testing.T) {
	o, err := parse(t, "--placement", "form", "things")
	if err != nil || o.Placement != apiclient.PlaceForm {
		t.Fatalf("%+v %v", o, err)
	}
	f := &cmdutil.Factory{IOStreams: &cmdutil.IOStreams{}}
	if usage := NewCmdApi(f, nil).Flags().Lookup("placement").Usage; !strings.Contains(usage, "header, query or form") {
		t.Errorf("--placement help: %q", usage)
	}
}
