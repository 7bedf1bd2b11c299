package api

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/store"
)

type harness struct {
	sb     *sandbox.Server
	srv    *httptest.Server
	token  string
	client *apiclient.Client
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	sb, err := sandbox.New(sandbox.DemoConfig())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	tok, sec, err := sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := apiclient.New(apiclient.Config{BaseURL: srv.URL + sb.AccountPath(), AccountID: "12345678",
		Credentials: apiclient.Credentials{ConsumerKey: assets.DemoConsumerKey, ConsumerSecret: assets.DemoConsumerSecret, Token: tok, TokenSecret: sec}})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{sb: sb, srv: srv, token: tok, client: c}
}

// run parses args with the command and runs them against the sandbox.
func (h *harness) run(t *testing.T, stdin string, tty bool, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &cmdutil.Factory{IOStreams: &cmdutil.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut, OutTTY: tty}}
	cmd := NewCmdApi(f, func(ctx context.Context, o *Options) error {
		o.OpenClient = func(context.Context, string) (*apiclient.Client, store.Profile, error) {
			return h.client, store.Profile{Name: "test", AccountID: "12345678", Server: h.srv.URL}, nil
		}
		return Run(ctx, o)
	})
	cmdutil.PrepareRoot(cmd, f.IOStreams)
	_, err := cmdutil.Execute(cmd, args)
	return out.String(), errOut.String(), err
}

// parse runs only the command's parsing (runF).
func parse(t *testing.T, args ...string) (*Options, error) {
	t.Helper()
	f := &cmdutil.Factory{IOStreams: &cmdutil.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}}
	var got *Options
	cmd := NewCmdApi(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmdutil.PrepareRoot(cmd, f.IOStreams)
	_, err := cmdutil.Execute(cmd, args)
	return got, err
}

// Flags stand anywhere, long and short forms are the same flag, headers
// and parameters repeat.
func TestNewCmdApiFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-X", "put", "skills/7", "-H", `If-Match: "3"`, "-H", "X-A: b,c", "--input", "-", "-i", "a=1", "a=2"},
		{"skills/7", "a=1", "--method=PUT", "--header", `If-Match: "3"`, "a=2", "--include", "--header=X-A: b,c", "--input", "-"},
	} {
		o, err := parse(t, args...)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if o.Method != "PUT" || o.Path != "skills/7" || !o.Include || o.Input != "-" ||
			len(o.Headers) != 2 || o.Headers[0] != `If-Match: "3"` || o.Headers[1] != "X-A: b,c" ||
			len(o.Params) != 2 || o.Params[0].Key != "a" || o.Params[1].Value != "2" {
			t.Errorf("%q parsed as %+v", args, o)
		}
	}
	o, err := parse(t, "--input", "body.json", "skills", "--profile", "work", "--format", "xml", "--ext", "--auth", "appkey", "--placement", "query", "--insecure-http")
	if err != nil || o.Method != "POST" || o.Profile != "work" || o.Format != wire.XML || !o.Ext || o.Auth != apiclient.AuthAppKey || o.Placement != apiclient.PlaceQuery || !o.InsecureHTTP {
		t.Fatalf("%+v %v", o, err)
	}
	if o, err := parse(t, "skills"); err != nil || o.Method != "GET" || o.OpenClient == nil {
		t.Fatalf("defaults: %+v %v", o, err)
	}
}

func TestGetWithRepeatedParams(t *testing.T) {
	h := newHarness(t)
	out, _, err := h.run(t, "", false, "chat/availability", "skill=Support", "maxWaitTime=20")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "availability") {
		t.Fatalf("body: %s", out)
	}
	// Unformatted when not on a terminal: byte-for-byte what the server sent.
	if strings.Contains(out, "\n  ") {
		t.Errorf("pretty-printed although stdout is not a terminal: %s", out)
	}
	out, _, err = h.run(t, "", true, "skills", "limit=2")
	if err != nil || !strings.Contains(out, "\n  ") {
		t.Errorf("want pretty JSON on a terminal, got err=%v\n%s", err, out)
	}
}

func TestFlagsAfterPathAndInclude(t *testing.T) {
	h := newHarness(t)
	out, _, err := h.run(t, "", false, "skills/1", "-i", "--format", "xml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "HTTP 200 OK\n") || !strings.Contains(out, "Etag: ") || !strings.Contains(out, "<skill") {
		t.Fatalf("want status line, headers and an XML body:\n%s", out)
	}
	out, _, err = h.run(t, "", false, "--ext", "--format", "xml", "skills/1")
	if err != nil || !strings.Contains(out, "<skill") {
		t.Fatalf("--ext xml: %v\n%s", err, out)
	}
}

func TestCreateUpdateConflictDelete(t *testing.T) {
	h := newHarness(t)
	out, _, err := h.run(t, `{"skill":{"name":"CLI skill","description":"x"}}`, false, "-i", "-X", "POST", "--input", "-", "skills")
	if err != nil {
		t.Fatalf("create: %v\n%s", err, out)
	}
	var loc string
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "Location: "); ok {
			loc = v
		}
	}
	if !strings.HasPrefix(out, "HTTP 201") || loc == "" {
		t.Fatalf("create: want 201 + Location:\n%s", out)
	}
	// XML body, detected from its first character.
	_, errOut, err := h.run(t, `<skill><name>R &amp; D</name><description>y</description></skill>`, false,
		"-X", "PUT", "-H", `If-Match: "999"`, "--input", "-", loc)
	if err == nil || !strings.Contains(err.Error(), "412") {
		t.Fatalf("stale If-Match: want a 412 error, got %v (%s)", err, errOut)
	}
	if _, _, err := h.run(t, `<skill><name>R &amp; D</name><description>y</description></skill>`, false, "-X", "PUT", "--input", "-", loc); err != nil {
		t.Fatalf("update: %v", err)
	}
	out, _, _ = h.run(t, "", false, loc)
	if !strings.Contains(out, "R & D") {
		t.Errorf("update not visible: %s", out)
	}
	if _, _, err := h.run(t, "", false, "-X", "DELETE", loc); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, _, err := h.run(t, "", false, loc); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("after delete: want 404, got %v", err)
	}
}

func TestRevokedAccessSaysLoginAgain(t *testing.T) {
	h := newHarness(t)
	if !h.sb.RevokeToken(h.token) {
		t.Fatal("revoke failed")
	}
	_, _, err := h.run(t, "", false, "skills")
	if err == nil || !strings.Contains(err.Error(), "lpdesk auth login") {
		t.Fatalf("want a revoked-access error pointing at auth login, got %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{{}, {"-X", "OPTIONS", "skills"}, {"skills", "noequals"}, {"--auth", "bogus", "skills"}, {"--format", "yaml", "skills"}, {"--placement", "body", "skills"},
		{"skills", "--bogus"}, {"skills", "-X"}} {
		_, _, err := h.run(t, "", false, args...)
		var fe *cmdutil.FlagError
		if err == nil || !asFlagError(err, &fe) {
			t.Errorf("%v: want a usage error, got %v", args, err)
		}
	}
}

func asFlagError(err error, fe **cmdutil.FlagError) bool {
	e, ok := err.(*cmdutil.FlagError)
	*fe = e
	return ok
}
