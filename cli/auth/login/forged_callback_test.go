package login

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/store"
)

var callbackParam = regexp.MustCompile(`oauth_callback="([^"]*)"`)

// A local process that learned the request token (from xdg-open's command
// line) sends a junk verifier and a denial to the loopback callback before
// the admin approves: the login keeps waiting, tells the admin what came,
// and completes with the real approval.
func TestForgedCallbacksDoNotEndLogin(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 8
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The test's attacker reads the callback URL off the request-token
	// call; a real one would scan the loopback ports.
	callbackURL := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/request_token" {
			if m := callbackParam.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
				cb, _ := url.PathUnescape(m[1])
				select {
				case callbackURL <- cb:
				default:
				}
			}
		}
		sb.ServeHTTP(w, r)
	}))
	defer srv.Close()

	get := func(u string) string {
		resp, err := http.Get(u)
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	attackerPages := make(chan []string, 1)
	browserPage := make(chan string, 1)
	var out, errOut bytes.Buffer
	pr, pw := io.Pipe() // stdin stays open and silent
	defer pw.Close()
	opts := &Options{
		ProfileOptions: cmdutil.ProfileOptions{
			IO:      &cmdutil.IOStreams{In: pr, Out: &out, ErrOut: &errOut, InTTY: true},
			Profile: "web",
			Store:   func() (*store.Store, error) { return store.Open(dir, store.SystemKeyring(2*time.Second)) },
		},
		Server: srv.URL, Account: "12345678",
		Browser: func(u string) error {
			pu, _ := url.Parse(u)
			token := pu.Query().Get("oauth_token")
			cb := <-callbackURL
			go func() {
				// The attacker first, each answer before the next.
				attackerPages <- []string{
					get(cb + "?oauth_token=" + url.QueryEscape(token) + "&oauth_verifier=junk"),
					get(cb + "?denied=" + url.QueryEscape(token)),
				}
				// Then the admin approves; the browser follows the redirect.
				browserPage <- approveInBrowser(srv.URL, token)
			}()
			return nil
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := Run(ctx, opts); err != nil {
		t.Fatalf("login ended by forged callbacks: %v\n%s", err, errOut.String())
	}
	for _, p := range <-attackerPages {
		if strings.Contains(p, "is authorized") {
			t.Errorf("the attacker was told %q", p)
		}
	}
	if page := <-browserPage; !strings.Contains(page, "lpdesk is authorized") {
		t.Fatalf("the admin's browser ended on %q", page)
	}
	stderr := errOut.String()
	for _, want := range []string{"verification code the provider refused", "still waiting",
		"The provider reported a denial", "cancel the login", "Approval received", "Logged in"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	st, _ := store.Open(dir, store.SystemKeyring(time.Second))
	if _, err := st.Get("web"); err != nil {
		t.Fatalf("no profile: %v", err)
	}
}
