package onboarding

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/store"
)

func assertListenerClosed(t *testing.T, callbackURL string) {
	t.Helper()
	u, _ := url.Parse(callbackURL)
	c, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err == nil {
		c.Close()
		t.Fatalf("loopback listener %s still accepts connections", u.Host)
	}
}

func TestLoopbackFlow(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	ctx := context.Background()
	f, err := Begin(ctx, opts(st, sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !strings.HasPrefix(f.CallbackURL(), "http://127.0.0.1:") || !strings.HasSuffix(f.CallbackURL(), "/callback") {
		t.Fatalf("callback URL %q", f.CallbackURL())
	}
	if !strings.HasPrefix(f.AuthorizeURL(), sb.URL+"/oauth/authorize?oauth_token=") {
		t.Fatalf("authorize URL %q", f.AuthorizeURL())
	}
	// The "browser" approves and follows the provider's redirect to the
	// loopback callback, which answers with the close-this-tab page.
	status, page := decide(t, sb.URL, tokenOf(t, f.AuthorizeURL()), "approve", true)
	if status != 200 || !strings.Contains(page, "You can close this tab") {
		t.Fatalf("callback page: %d %q", status, page)
	}
	var r CallbackResult
	select {
	case r = <-f.Callback():
	case <-time.After(5 * time.Second):
		t.Fatal("no callback result")
	}
	if r.Err != nil || r.Verifier == "" {
		t.Fatalf("callback result %+v", r)
	}
	if strings.Contains(page, r.Verifier) {
		t.Error("the callback page repeats the verifier")
	}
	if err := f.Exchange(ctx, r.Verifier); err != nil {
		t.Fatal(err)
	}
	// The listener is gone as soon as the verifier has been used.
	assertListenerClosed(t, f.CallbackURL())
	p, err := f.Finish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "work" || p.AccountID != "12345678" || p.BaseURL != sb.URL+"/api/account/12345678" ||
		p.ConsumerKey != assets.DemoConsumerKey || p.Token == "" || p.CreatedAt.IsZero() {
		t.Fatalf("profile %+v", p)
	}
	saved, err := st.Default()
	if err != nil || saved.Token != p.Token {
		t.Fatalf("saved default %+v %v", saved, err)
	}
	secret, err := st.Secret("work")
	if err != nil || secret == "" {
		t.Fatalf("secret: %v", err)
	}
	assertNotInDir(t, st.Dir(), secret, assets.DemoConsumerSecret, r.Verifier)
	// The stored profile works through OpenClient.
	c, _, err := OpenClient(ctx, st, "")
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := c.Get(ctx, "", nil); err != nil || resp.Status != 200 {
		t.Fatalf("GET base with the stored profile: %v", err)
	}
	// Exchange after the flow ended reports it.
	if err := f.Exchange(ctx, "x"); !errors.Is(err, ErrFlowClosed) {
		t.Fatalf("Exchange after Finish = %v", err)
	}
}

func TestOOBFlowWrongVerifierRetry(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	ctx := context.Background()
	o := opts(st, sb.URL)
	o.OOB = true
	f, err := Begin(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.CallbackURL() != "oob" {
		t.Fatalf("callback %q", f.CallbackURL())
	}
	// Before the approval.
	if err := f.Exchange(ctx, "0123456789"); !errors.Is(err, ErrNotApproved) {
		t.Fatalf("Exchange before approval = %v, want ErrNotApproved", err)
	}
	v := approveOOB(t, sb.URL, tokenOf(t, f.AuthorizeURL()))
	const wrong = "deadbeefdeadbeef0000"
	err = f.Exchange(ctx, wrong)
	if !errors.Is(err, ErrBadVerifier) {
		t.Fatalf("wrong verifier = %v, want ErrBadVerifier", err)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), v) {
		t.Fatalf("error repeats a verifier: %v", err)
	}
	// The request token survived: the right verifier, pasted as the
	// provider's text answer with a newline, works.
	if err := f.Exchange(ctx, " oauth_verifier="+v+"\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get("work"); err != nil {
		t.Fatal(err)
	}
}

func TestRequestTokenExpired(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	ctx := context.Background()
	o := opts(st, sb.URL)
	o.OOB = true
	f, err := Begin(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v := approveOOB(t, sb.URL, tokenOf(t, f.AuthorizeURL()))
	sb.offset.Store(int64(11 * time.Minute))
	if err := f.Exchange(ctx, v); !errors.Is(err, ErrRequestTokenExpired) {
		t.Fatalf("Exchange after expiry = %v, want ErrRequestTokenExpired", err)
	}
	if _, err := f.Finish(ctx); err == nil {
		t.Fatal("Finish without access token succeeded")
	}
	if ps, _, _ := st.List(); len(ps) != 0 {
		t.Fatalf("profiles saved: %v", ps)
	}
}

func TestCallbackChecksToken(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	f, err := Begin(context.Background(), opts(st, sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if status, _ := get(t, f.CallbackURL()+"?oauth_token=not-ours&oauth_verifier=abc"); status != http.StatusBadRequest {
		t.Fatalf("foreign token: %d", status)
	}
	if status, _ := get(t, f.CallbackURL()+"?denied=not-ours"); status != http.StatusBadRequest {
		t.Fatalf("foreign denial: %d", status)
	}
	select {
	case r := <-f.Callback():
		t.Fatalf("a foreign callback was delivered: %+v", r)
	case n := <-f.Notices():
		t.Fatalf("a foreign callback was noticed: %v", n)
	default:
	}
}

func TestCancelClosesListener(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	f, err := Begin(ctx, opts(st, sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cancel()
	r := <-f.Callback()
	if !errors.Is(r.Err, context.Canceled) {
		t.Fatalf("result after cancel: %+v", r)
	}
	assertListenerClosed(t, f.CallbackURL())
	if err := f.Exchange(context.Background(), "v"); err == nil {
		t.Fatal("Exchange on a cancelled flow succeeded")
	}
}

func TestFlowTimeoutClosesListener(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	o := opts(st, sb.URL)
	o.FlowTimeout = 50 * time.Millisecond
	f, err := Begin(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := <-f.Callback()
	if !errors.Is(r.Err, ErrRequestTokenExpired) {
		t.Fatalf("result after timeout: %+v", r)
	}
	assertListenerClosed(t, f.CallbackURL())
}

func TestCloseClosesListener(t *testing.T) {
	sb := startSandbox(t, nil)
	f, err := Begin(context.Background(), opts(newStore(t), sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	f.Close()
	assertListenerClosed(t, f.CallbackURL())
}

func TestBeginFailsFastWithoutKeyring(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	keyring.MockInitWithError(errors.New("dbus: couldn't determine address of session bus"))
	t.Cleanup(keyring.MockInit)
	_, err := Begin(context.Background(), opts(st, sb.URL))
	var ue *store.UnavailableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "org.freedesktop.secrets") {
		t.Fatalf("Begin without keyring = %v", err)
	}
	if _, err := InstallCode(context.Background(), opts(st, sb.URL), "a;b"); !errors.As(err, &ue) {
		t.Fatalf("InstallCode without keyring = %v", err)
	}
}

func TestBeginErrors(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	ctx := context.Background()
	o := opts(st, sb.URL)
	o.ConsumerKey, o.ConsumerSecret = "unknown-app", "consumer-secret-xyz"
	if _, err := Begin(ctx, o); err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "consumer-secret-xyz") {
		t.Fatalf("unknown consumer: %v", err)
	}
	o = opts(st, sb.URL)
	o.AccountID = "999"
	if _, err := Begin(ctx, o); err == nil || !strings.Contains(err.Error(), "account 999") {
		t.Fatalf("unknown account: %v", err)
	}
	for _, bad := range []string{"ftp://x", "http://example.com", "http://10.0.0.1:8080", "notaurl"} {
		if _, err := Begin(ctx, opts(st, bad)); err == nil {
			t.Fatalf("server %q accepted", bad)
		}
	}
	o = opts(st, sb.URL)
	o.Endpoints.AccessToken = "http://example.com/oauth/access_token"
	if _, err := Begin(ctx, o); err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Fatalf("remote http access token URL: %v", err)
	}
	o = opts(st, sb.URL)
	o.Profile = "bad name"
	if _, err := Begin(ctx, o); err == nil {
		t.Fatal("bad profile name accepted")
	}
}

// A token that does not work is never saved.
func TestFinishRefusesTokenThatDoesNotWork(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	ctx := context.Background()
	o := opts(st, sb.URL)
	o.OOB = true
	f, err := Begin(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v := approveOOB(t, sb.URL, tokenOf(t, f.AuthorizeURL()))
	if err := f.Exchange(ctx, v); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	at := f.accessToken
	f.mu.Unlock()
	sb.RevokeToken(at)
	_, err = f.Finish(ctx)
	if !errors.Is(err, apiclient.ErrAccessRevoked) {
		t.Fatalf("Finish with a revoked token = %v", err)
	}
	if ps, _, _ := st.List(); len(ps) != 0 {
		t.Fatalf("profile saved for a token that does not work: %v", ps)
	}
}

func TestNormalizeVerifier(t *testing.T) {
	for in, want := range map[string]string{
		"  abc \n":           "abc",
		"oauth_verifier=abc": "abc",
		"http://127.0.0.1:5/callback?oauth_token=t&oauth_verifier=a%2Bb&x=1": "a+b",
	} {
		if got := NormalizeVerifier(in); got != want {
			t.Errorf("NormalizeVerifier(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassifyProviderProblems(t *testing.T) {
	for body, want := range map[string]error{
		"oauth_problem=verifier_invalid":  ErrBadVerifier,
		"oauth_problem=token_expired":     ErrRequestTokenExpired,
		"oauth_problem=permission_denied": ErrDenied,
	} {
		if err := classify("access token", 401, []byte(body), nil); !errors.Is(err, want) {
			t.Errorf("%s → %v", body, err)
		}
	}
	err := classify("access token", 500, []byte("boom with s3cr3t inside"), []string{"s3cr3t"})
	if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "500") {
		t.Errorf("500 → %v", err)
	}
}
