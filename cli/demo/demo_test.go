package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/store"
)

// failingKeyring stands for a machine without a Secret Service.
type failingKeyring struct{ store.Keyring }

func (failingKeyring) Get(string) (string, error) {
	return "", &store.UnavailableError{Reason: "no D-Bus session bus"}
}
func (failingKeyring) Set(string, string) error { return errors.New("unreachable") }
func (failingKeyring) Delete(string) error      { return errors.New("unreachable") }

func runDemo(t *testing.T, stdin string, kr store.Keyring, window func(Info) error, display bool) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	o := &Options{IO: &cmdutil.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut},
		Addr: "127.0.0.1:0", Keyring: kr, Window: window, HasDisplay: func() bool { return display }}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := Run(ctx, o)
	return out.String(), errOut.String(), err
}

func TestTerminalDemoAutoApproves(t *testing.T) {
	out, errOut, err := runDemo(t, "\n", failingKeyring{}, nil, false)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	for _, want := range []string{"/oauth/authorize?oauth_token=", "admin / demo", "Authorized", "memory"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(out, `"skills"`) || !strings.Contains(out, "Support") {
		t.Errorf("stdout lacks the fetched skills:\n%s", out)
	}
}

func TestTerminalDemoRetriesWrongVerifier(t *testing.T) {
	// A verifier typed before approving, then Enter: the demo says so and goes on.
	out, errOut, err := runDemo(t, "not-the-verifier\n\n", store.NewMemoryKeyring(), nil, false)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "not been approved yet") {
		t.Errorf("no retry prompt after a wrong verifier:\n%s", errOut)
	}
	if !strings.Contains(out, "Support") {
		t.Errorf("no resource fetched:\n%s", out)
	}
}

func TestWindowGetsDemoInfo(t *testing.T) {
	var got Info
	window := func(i Info) error { got = i; return nil }
	_, errOut, err := runDemo(t, "", store.NewMemoryKeyring(), window, true)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if got.AdminUser != "admin" || got.AdminPassword != "demo" || !strings.HasPrefix(got.Server, "http://127.0.0.1:") || got.Store == nil {
		t.Errorf("window got %+v", got)
	}
	// Without a display the same command falls back to the terminal.
	_, errOut, err = runDemo(t, "\n", store.NewMemoryKeyring(), window, false)
	if err != nil || !strings.Contains(errOut, "no display") {
		t.Errorf("no-display fallback: %v\n%s", err, errOut)
	}
}

// parseDemo runs `lpdesk demo args…` under a root with the global
// --keyring-timeout, without running the demo (runF).
func parseDemo(t *testing.T, f *cmdutil.Factory, args ...string) (*Options, error) {
	t.Helper()
	var got *Options
	root := &cobra.Command{Use: "lpdesk"}
	f.AddKeyringTimeoutFlag(root.PersistentFlags())
	root.AddCommand(NewCmdDemo(f, func(_ context.Context, o *Options) error { got = o; return nil }))
	cmdutil.PrepareRoot(root, f.IOStreams)
	_, err := cmdutil.Execute(root, append([]string{"demo"}, args...))
	return got, err
}

func TestNewCmdDemoFlags(t *testing.T) {
	window := func(Info) error { return nil }
	newFactory := func() *cmdutil.Factory {
		return &cmdutil.Factory{IOStreams: &cmdutil.IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}},
			KeyringTimeout: store.KeyringTimeoutFromEnv(),
			Desktop:        &cmdutil.Desktop{HasDisplay: func() bool { return true }, Demo: window}}
	}
	t.Setenv("LPDESK_KEYRING_TIMEOUT", "")
	o, err := parseDemo(t, newFactory(), "--terminal", "--seed", "9", "--addr", "127.0.0.1:0")
	if err != nil || !o.Terminal || o.Seed != 9 || o.Addr != "127.0.0.1:0" || o.Window == nil || o.HasDisplay == nil || !o.HasDisplay() {
		t.Fatalf("%+v %v", o, err)
	}
	// The demo's own short default, unless the user chose one.
	if o.KeyringTimeout != keyringTimeout {
		t.Errorf("default keyring timeout %v, want %v", o.KeyringTimeout, keyringTimeout)
	}
	if o, err := parseDemo(t, newFactory(), "--keyring-timeout", "30s"); err != nil || o.KeyringTimeout != 30*time.Second {
		t.Errorf("--keyring-timeout 30s: %+v %v", o, err)
	}
	t.Setenv("LPDESK_KEYRING_TIMEOUT", "20s")
	if o, err := parseDemo(t, newFactory()); err != nil || o.KeyringTimeout != 20*time.Second {
		t.Errorf("LPDESK_KEYRING_TIMEOUT=20s: %+v %v", o, err)
	}
	var fe *cmdutil.FlagError
	if _, err := parseDemo(t, newFactory(), "extra"); !errors.As(err, &fe) {
		t.Errorf("extra argument: %v", err)
	}
}

// The demo starts with a visitor waiting, whose chat the Server Chat API
// serves at the address the demo prints (here read as the documentation
// shows, unsigned with the global app key, once the console allows it).
func TestDemoSeedsAWaitingVisitor(t *testing.T) {
	var chat string
	window := func(i Info) error {
		approve := url.Values{"unsigned": {"on"}}
		req, _ := http.NewRequest(http.MethodPost, i.Server+"/console/settings", strings.NewReader(approve.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "text/plain")
		req.SetBasicAuth(i.AdminUser, i.AdminPassword)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		req, _ = http.NewRequest(http.MethodGet, chat+"/info?v=1", nil)
		req.Header.Set("Authorization", "LivePerson appKey="+sandbox.DocsAppKey)
		req.Header.Set("Accept", "application/json")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"state":"waiting"`) || !strings.Contains(string(body), `"visitorName":"Maya"`) {
			return fmt.Errorf("the visitor's chat: %d %s", resp.StatusCode, body)
		}
		return nil
	}
	var errOut bytes.Buffer
	o := &Options{IO: &cmdutil.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: &errOut},
		Addr: "127.0.0.1:0", Keyring: store.NewMemoryKeyring(), HasDisplay: func() bool { return true },
		Window: func(i Info) error {
			_, after, ok := strings.Cut(errOut.String(), "the same chat on the Server Chat API: ")
			if !ok {
				return fmt.Errorf("no chat address in:\n%s", errOut.String())
			}
			chat = strings.TrimSpace(strings.SplitN(after, "\n", 2)[0])
			return window(i)
		}}
	if err := Run(context.Background(), o); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "Maya is waiting for an agent") {
		t.Fatalf("stderr does not say a visitor waits:\n%s", errOut.String())
	}
	// The console's visitor page for that chat is named, and it serves the chat.
	m := regexp.MustCompile(`visitor page: (http://\S+/console/visitor/\S+)`).FindStringSubmatch(errOut.String())
	if m == nil {
		t.Fatalf("stderr does not name the console's visitor page:\n%s", errOut.String())
	}
	if !strings.HasSuffix(chat, "/chat/"+path.Base(m[1])) {
		t.Fatalf("visitor page %s is not the chat %s", m[1], chat)
	}
}
