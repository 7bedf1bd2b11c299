package onboarding

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Regression tests for the loopback callback as an attacker meets it: a
// local process that read the request token off the browser opener's
// command line GETs the callback before the admin's approval comes back.
// Everything runs against the real sandbox and the real listener.

// waitNotice returns the next notice, failing after a generous bound (no
// timing is asserted; it only keeps a broken flow from hanging the run).
func waitNotice(t *testing.T, f *Flow) Notice {
	t.Helper()
	select {
	case n := <-f.Notices():
		return n
	case r := <-f.Callback():
		t.Fatalf("the flow ended instead of noticing: %+v", r)
	case <-time.After(10 * time.Second):
		t.Fatal("no notice")
	}
	return Notice{}
}

func waitResult(t *testing.T, f *Flow) CallbackResult {
	t.Helper()
	select {
	case r := <-f.Callback():
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no callback result")
	}
	return CallbackResult{}
}

func assertNoResult(t *testing.T, f *Flow) {
	t.Helper()
	select {
	case r := <-f.Callback():
		t.Fatalf("the callback ended the wait: %+v", r)
	default:
	}
}

// approveAndFinish has the admin approve in the browser (following the
// provider's redirect to the callback) and completes the login.
func approveAndFinish(t *testing.T, f *Flow, server string) {
	t.Helper()
	status, page := decide(t, server, tokenOf(t, f.AuthorizeURL()), "approve", true)
	if status != http.StatusOK || !strings.Contains(page, "lpdesk is authorized") || !strings.Contains(page, "You can close this tab") {
		t.Fatalf("the admin's callback page: %d %q", status, page)
	}
	r := waitResult(t, f)
	if r.Err != nil || r.Verifier == "" {
		t.Fatalf("result after the approval: %+v", r)
	}
	ctx := context.Background()
	if err := f.Exchange(ctx, r.Verifier); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Finish(ctx); err != nil {
		t.Fatal(err)
	}
}

// (a) A forged verifier with the real request token does not end the
// login, its page does not say "authorized", the flow says what arrived,
// and the real approval (from the browser, or typed) still logs in.
func TestForgedVerifierDoesNotEndLogin(t *testing.T) {
	for _, typed := range []bool{false, true} {
		name := map[bool]string{false: "approval via callback", true: "verifier typed"}[typed]
		t.Run(name, func(t *testing.T) {
			sb := startSandbox(t, nil)
			st := newStore(t)
			f, err := Begin(context.Background(), opts(st, sb.URL))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rt := tokenOf(t, f.AuthorizeURL())
			status, page := get(t, f.CallbackURL()+"?oauth_token="+url.QueryEscape(rt)+"&oauth_verifier=junk")
			if strings.Contains(page, "is authorized") || strings.Contains(page, "close this tab") || status == http.StatusOK {
				t.Fatalf("the attacker's page: %d %q", status, page)
			}
			if !strings.Contains(page, "refused") || !strings.Contains(page, "keeps waiting") {
				t.Errorf("the attacker's page does not say what happened: %q", page)
			}
			n := waitNotice(t, f)
			if n.Kind != NoticeVerifierRefused || !errors.Is(n.Err, ErrNotApproved) || !strings.Contains(n.String(), "still waiting") {
				t.Fatalf("notice %v (%v)", n, n.Err)
			}
			assertNoResult(t, f)
			if !typed {
				approveAndFinish(t, f, sb.URL)
			} else {
				// The provider showed the admin the verifier; typed in, it
				// works although a forged one came first.
				cb, _ := url.Parse(approveRedirect(t, sb.URL, rt))
				if err := f.Exchange(context.Background(), cb.Query().Get("oauth_verifier")); err != nil {
					t.Fatal(err)
				}
				if _, err := f.Finish(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.Get("work"); err != nil {
				t.Fatalf("no profile after the real approval: %v", err)
			}
		})
	}
}

// (b) A forged denial does not end the login; the flow notices it with a
// sentence that tells a user who did deny to cancel.
func TestForgedDenialDoesNotEndLogin(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	f, err := Begin(context.Background(), opts(st, sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	status, page := get(t, f.CallbackURL()+"?denied="+url.QueryEscape(tokenOf(t, f.AuthorizeURL())))
	if strings.Contains(page, "is authorized") || !strings.Contains(page, "cancel the login") {
		t.Fatalf("the denial page: %d %q", status, page)
	}
	n := waitNotice(t, f)
	if s := n.String(); n.Kind != NoticeDenial || !strings.Contains(s, "denial") || !strings.Contains(s, "cancel") {
		t.Fatalf("notice %q", s)
	}
	assertNoResult(t, f)
	approveAndFinish(t, f, sb.URL)
	if _, err := st.Get("work"); err != nil {
		t.Fatalf("no profile after the real approval: %v", err)
	}
}

// (c) The browser hears "authorized" only once the access-token exchange
// succeeded: when the exchange fails the page says why (escaped, without
// the verifier), the flow keeps waiting, and a reload retries it.
func TestCallbackPageOnlyAfterExchange(t *testing.T) {
	var failNext atomic.Bool
	failNext.Store(true)
	sb := startSandbox(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/access_token" && failNext.CompareAndSwap(true, false) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(`{"error":{"message":"<img src=x onerror=alert(1)> maintenance","internalCode":"1"}}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	st := newStore(t)
	f, err := Begin(context.Background(), opts(st, sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	callback := approveRedirect(t, sb.URL, tokenOf(t, f.AuthorizeURL()))
	cu, _ := url.Parse(callback)
	verifier := cu.Query().Get("oauth_verifier")

	status, page := get(t, callback)
	if status != http.StatusBadGateway || strings.Contains(page, "is authorized") || strings.Contains(page, "close this tab") {
		t.Fatalf("page for a failed exchange: %d %q", status, page)
	}
	if !strings.Contains(page, "503") || !strings.Contains(page, "&lt;img src=x") || strings.Contains(page, "<img") {
		t.Errorf("the page does not show the failure, escaped: %q", page)
	}
	if strings.Contains(page, verifier) {
		t.Error("the page repeats the verifier")
	}
	if n := waitNotice(t, f); n.Kind != NoticeExchangeFailed || !strings.Contains(n.String(), "503") {
		t.Fatalf("notice %v", n)
	}
	assertNoResult(t, f)

	// The admin reloads the page: now the exchange goes through.
	status, page = get(t, callback)
	if status != http.StatusOK || !strings.Contains(page, "lpdesk is authorized") {
		t.Fatalf("page after the retried exchange: %d %q", status, page)
	}
	r := waitResult(t, f)
	if r.Err != nil || r.Verifier != verifier {
		t.Fatalf("result %+v", r)
	}
	// The access token is already held: Exchange returns at once.
	if err := f.Exchange(context.Background(), r.Verifier); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Finish(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// (d) Forged callbacks do not hide the end of the flow: cancelling, or the
// provider forgetting the request token, still ends it with a clear error
// and closes the listener.
func TestForgedCallbacksThenFlowEnds(t *testing.T) {
	forge := func(t *testing.T, f *Flow) {
		t.Helper()
		rt := url.QueryEscape(tokenOf(t, f.AuthorizeURL()))
		get(t, f.CallbackURL()+"?oauth_token="+rt+"&oauth_verifier=junk")
		get(t, f.CallbackURL()+"?denied="+rt)
		if n := waitNotice(t, f); n.Kind != NoticeVerifierRefused {
			t.Fatalf("first notice %v", n)
		}
		if n := waitNotice(t, f); n.Kind != NoticeDenial {
			t.Fatalf("second notice %v", n)
		}
	}
	t.Run("cancel", func(t *testing.T) {
		sb := startSandbox(t, nil)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		f, err := Begin(ctx, opts(newStore(t), sb.URL))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		forge(t, f)
		cancel()
		r := waitResult(t, f)
		if !errors.Is(r.Err, context.Canceled) || !strings.Contains(r.Err.Error(), "authorization cancelled") || r.Verifier != "" {
			t.Fatalf("result after cancel: %+v", r)
		}
		assertListenerClosed(t, f.CallbackURL())
	})
	t.Run("request token expired", func(t *testing.T) {
		sb := startSandbox(t, nil)
		f, err := Begin(context.Background(), opts(newStore(t), sb.URL))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		forge(t, f)
		callback := approveRedirect(t, sb.URL, tokenOf(t, f.AuthorizeURL()))
		sb.offset.Store(int64(11 * time.Minute))
		if status, page := get(t, callback); status != http.StatusGone || strings.Contains(page, "is authorized") {
			t.Fatalf("page after expiry: %d %q", status, page)
		}
		r := waitResult(t, f)
		if !errors.Is(r.Err, ErrRequestTokenExpired) || r.Verifier != "" {
			t.Fatalf("result after expiry: %+v", r)
		}
		assertListenerClosed(t, f.CallbackURL())
	})
}

// The flow is closed while the callback's exchange runs (the user
// cancelled): the page must not say "authorized", since nobody will finish
// the installation.
func TestCallbackFlowClosedDuringExchange(t *testing.T) {
	fl := &Flow{reqToken: "rt", results: make(chan CallbackResult, 1), notices: make(chan Notice, noticeBuffer),
		closed: make(chan struct{})}
	fl.trade = func(context.Context, string) (string, string, error) {
		fl.Close()
		return "at", "as", nil
	}
	w := httptest.NewRecorder()
	fl.serveCallback(w, httptest.NewRequest(http.MethodGet, "/callback?oauth_token=rt&oauth_verifier=v", nil))
	if w.Code != http.StatusGone || strings.Contains(w.Body.String(), "is authorized") {
		t.Fatalf("page: %d %q", w.Code, w.Body.String())
	}
	select {
	case r := <-fl.Callback():
		t.Fatalf("delivered %+v", r)
	default:
	}
}
