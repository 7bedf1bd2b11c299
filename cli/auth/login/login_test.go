package login

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/store"
)

// The default path: the browser is opened on the authorize URL, the admin
// approves there, the provider redirects to the loopback callback and the
// login completes without anything typed.
func TestBrowserLoginViaLoopbackCallback(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 8
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	defer srv.Close()

	var opened string
	browserPage := make(chan string, 1)
	var out, errOut bytes.Buffer
	pr, pw := io.Pipe() // stdin stays open and silent, like an idle terminal
	defer pw.Close()
	opts := &Options{
		ProfileOptions: cmdutil.ProfileOptions{
			IO:      &cmdutil.IOStreams{In: pr, Out: &out, ErrOut: &errOut, InTTY: true},
			Profile: "web",
			Store:   func() (*store.Store, error) { return store.Open(dir, store.SystemKeyring(2*time.Second)) },
		},
		Server: srv.URL, Account: "12345678",
		Browser: func(u string) error {
			opened = u
			go func() {
				// The "browser": approve, follow the redirect to the callback.
				pu, _ := url.Parse(u)
				browserPage <- approveInBrowser(srv.URL, pu.Query().Get("oauth_token"))
			}()
			return nil
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := Run(ctx, opts); err != nil {
		t.Fatalf("login: %v\n%s", err, errOut.String())
	}
	if !strings.HasPrefix(opened, srv.URL+"/oauth/authorize?oauth_token=") {
		t.Fatalf("browser opened %q", opened)
	}
	if page := <-browserPage; !strings.Contains(page, "You can close this tab") {
		t.Fatalf("browser ended on %q", page)
	}
	if !strings.Contains(out.String(), "item web") || !strings.Contains(errOut.String(), "Approval received") {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
	}
	st, _ := store.Open(dir, store.SystemKeyring(time.Second))
	if p, err := st.Get("web"); err != nil || p.BaseURL != srv.URL+"/api/account/12345678" {
		t.Fatalf("stored profile %+v %v", p, err)
	}
}

// parseLogin runs the command's flag parsing and checks without running
// the login (runF).
func parseLogin(t *testing.T, args ...string) (*Options, *cmdutil.Factory, error) {
	t.Helper()
	f := &cmdutil.Factory{
		IOStreams:      &cmdutil.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}},
		KeyringTimeout: 3 * time.Second,
		OpenStore: func(d time.Duration) (*store.Store, error) {
			return store.Open(t.TempDir(), store.NewMemoryKeyring())
		},
		Browser: func(string) error { return nil },
	}
	var got *Options
	cmd := NewCmdLogin(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmdutil.PrepareRoot(cmd, f.IOStreams)
	_, err := cmdutil.Execute(cmd, args)
	if err == nil && got == nil {
		t.Fatalf("%v: runF not called", args)
	}
	return got, f, err
}

func TestNewCmdLoginFlags(t *testing.T) {
	o, f, err := parseLogin(t, "--server", "https://p.example", "--account", "42", "--profile", "work",
		"--no-browser", "--request-token-url", "https://p.example/rt", "--authorize-url", "https://p.example/az",
		"--access-token-url", "https://p.example/at", "--insecure-http")
	if err != nil {
		t.Fatal(err)
	}
	want := Options{ProfileOptions: cmdutil.ProfileOptions{Profile: "work"}, Server: "https://p.example", Account: "42", NoBrowser: true,
		RequestTokenURL: "https://p.example/rt", AuthorizeURL: "https://p.example/az", AccessTokenURL: "https://p.example/at", InsecureHTTP: true}
	if o.Server != want.Server || o.Account != want.Account || o.Profile != want.Profile || o.NoBrowser != want.NoBrowser ||
		o.OOB || o.Code || o.RequestTokenURL != want.RequestTokenURL || o.AuthorizeURL != want.AuthorizeURL ||
		o.AccessTokenURL != want.AccessTokenURL || !o.InsecureHTTP {
		t.Errorf("parsed %+v", o)
	}
	if o.IO != f.IOStreams || o.Store == nil || o.Browser == nil {
		t.Errorf("the Factory's streams, store and browser are not injected: %+v", o)
	}

	o, _, err = parseLogin(t, "--code", "--account", "42", "--server", "https://p.example")
	if err != nil || !o.Code {
		t.Errorf("--code: %+v %v", o, err)
	}

	for _, args := range [][]string{
		{"--account", "1"},
		{"--server", "http://x"},
		{"--code", "--oob", "--server", "http://x", "--account", "1"},
		{"--code", "--authorize-url", "http://x/a", "--server", "http://x", "--account", "1"},
		{"--server", "http://x", "--account", "1", "extra"},
		{"--server", "http://x", "--account", "1", "--bogus"},
	} {
		var fe *cmdutil.FlagError
		if _, _, err := parseLogin(t, args...); !errors.As(err, &fe) {
			t.Errorf("%v: %v, want a FlagError", args, err)
		}
	}
}

// approveInBrowser approves the request token as the admin, as the browser
// would, follows the redirect to the loopback callback, and returns the page
// the browser ends on (or the error).
func approveInBrowser(server, token string) string {
	form := url.Values{"oauth_token": {token}, "decision": {"approve"}}
	req, _ := http.NewRequest(http.MethodPost, server+"/oauth/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("admin", "demo")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
