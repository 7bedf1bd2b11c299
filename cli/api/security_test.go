package api

import (
	"bytes"
	"errors"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/store"
)

// remoteSandbox serves a sandbox with an installed demo token on an address
// of this machine that is not loopback.
func remoteSandbox(t *testing.T) (server, token, secret string) {
	t.Helper()
	var ip net.IP
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			ip = n.IP
			break
		}
	}
	if ip == nil {
		t.Skip("no non-loopback IPv4 address on this machine to listen on")
	}
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 8
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(sb)
	l, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	token, secret, err = sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, token, secret
}

// runCmd runs `lpdesk api args…` the way main does: profiles from
// LPDESK_CONFIG_DIR, secrets from the (mocked) OS keyring.
func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := cmdutil.NewFactory(&cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, nil)
	cmd := NewCmdApi(f, nil)
	cmdutil.PrepareRoot(cmd, f.IOStreams)
	_, err := cmdutil.Execute(cmd, args)
	return out.String(), errOut.String(), err
}

func saveProfile(t *testing.T, p store.Profile, secret string) *store.Store {
	t.Helper()
	st, err := store.Open("", store.SystemKeyring(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Save(p, secret); err != nil {
		t.Fatal(err)
	}
	return st
}

// A plain-http base URL on a remote host works only with --insecure-http or
// a profile created with it, and then always with the warning on stderr.
func TestInsecureHTTP(t *testing.T) {
	keyring.MockInit()
	t.Setenv("LPDESK_CONFIG_DIR", t.TempDir())
	server, token, secret := remoteSandbox(t)
	host := strings.TrimPrefix(server, "http://")
	p := store.Profile{Name: "plain", Server: server, BaseURL: server + "/api/account/12345678", AccountID: "12345678",
		ConsumerKey: assets.DemoConsumerKey, Token: token}
	saveProfile(t, p, secret)
	warning := "WARNING: --insecure-http: requests and the token exchange go over plain http to " + host

	_, errOut, err := runCmd(t, "--profile", "plain", "skills")
	if !errors.Is(err, apiclient.ErrInsecureHTTP) || strings.Contains(errOut, "WARNING") {
		t.Fatalf("without --insecure-http: %v\n%s", err, errOut)
	}
	out, errOut, err := runCmd(t, "--profile", "plain", "--insecure-http", "skills")
	if err != nil || !strings.Contains(errOut, warning) || !strings.Contains(out, `"skills"`) {
		t.Fatalf("with --insecure-http: %v\n%s\n%s", err, out, errOut)
	}

	p.Name, p.InsecureHTTP = "marked", true
	saveProfile(t, p, secret)
	for i := 0; i < 2; i++ { // every time, not once
		out, errOut, err = runCmd(t, "--profile", "marked", "skills/1")
		if err != nil || !strings.Contains(errOut, warning) || !strings.Contains(out, `"skill"`) {
			t.Fatalf("profile created with --insecure-http (call %d): %v\n%s\n%s", i+1, err, out, errOut)
		}
	}

	// An absolute URL to a plain-http host elsewhere is refused before
	// anything goes there, so no warning names it.
	h := newHarness(t)
	_, errOut, err = h.run(t, "", false, "--insecure-http", "http://192.0.2.77:1/x")
	if !errors.Is(err, ErrOtherOrigin) || strings.Contains(errOut, "192.0.2.77") {
		t.Errorf("absolute URL to another host: %v\n%s", err, errOut)
	}
}

// The keyring goes away between login and use: `lpdesk api` reports the
// keyring's error with what to do, and the profile stays.
func TestKeyringUnavailable(t *testing.T) {
	keyring.MockInit()
	t.Setenv("LPDESK_CONFIG_DIR", t.TempDir())
	st := saveProfile(t, store.Profile{Name: "work", Server: "http://127.0.0.1:1", BaseURL: "http://127.0.0.1:1/api/account/1",
		AccountID: "1", ConsumerKey: assets.DemoConsumerKey, Token: "tok"}, "sec")
	keyring.MockInitWithError(errors.New("dbus: couldn't determine address of session bus"))
	t.Cleanup(keyring.MockInit)
	_, _, err := runCmd(t, "skills")
	var ue *store.UnavailableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "gnome-keyring-daemon") {
		t.Fatalf("lpdesk api with the keyring gone: %v", err)
	}
	if _, err := st.Get("work"); err != nil {
		t.Fatalf("profile lost: %v", err)
	}
}
