package login

import (
	"bytes"
	"context"
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
		IO:     &cmdutil.IOStreams{In: pr, Out: &out, ErrOut: &errOut, InTTY: true},
		Server: srv.URL, Account: "12345678", Profile: "web",
		Store: func() (*store.Store, error) { return store.Open(dir, store.SystemKeyring(2*time.Second)) },
		Browser: func(u string) error {
			opened = u
			go func() {
				// The "browser": approve, follow the redirect to the callback.
				pu, _ := url.Parse(u)
				form := url.Values{"oauth_token": {pu.Query().Get("oauth_token")}, "decision": {"approve"}}
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/authorize", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth("admin", "demo")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					browserPage <- err.Error()
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				browserPage <- string(b)
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
