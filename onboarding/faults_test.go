package onboarding

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/store"
)

// flakyKeyring is a store.Keyring in memory that can be switched to answer
// every call the way an OS keyring that went away does.
type flakyKeyring struct {
	mu   sync.Mutex
	m    map[string]string
	down error
}

func newFlakyKeyring() *flakyKeyring { return &flakyKeyring{m: map[string]string{}} }

func (k *flakyKeyring) fail(err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.down = err
}

func (k *flakyKeyring) Get(p string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return "", k.down
	}
	v, ok := k.m[p]
	if !ok {
		return "", store.ErrNotFound
	}
	return v, nil
}

func (k *flakyKeyring) Set(p, s string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return k.down
	}
	k.m[p] = s
	return nil
}

func (k *flakyKeyring) Delete(p string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return k.down
	}
	if _, ok := k.m[p]; !ok {
		return store.ErrNotFound
	}
	delete(k.m, p)
	return nil
}

func (k *flakyKeyring) Describe() string       { return "test keyring" }
func (k *flakyKeyring) Locate(p string) string { return "test keyring, item " + p }

// The keyring becomes unavailable in the middle of a session (the daemon
// died, the collection was locked): opening the profile, revoking it and
// signing out all fail with the keyring's typed error and its hint, and
// nothing is deleted — neither the profile nor, once the keyring is back,
// its secret.
func TestKeyringUnavailableMidSession(t *testing.T) {
	sb := startSandbox(t, nil)
	kr := newFlakyKeyring()
	st, err := store.Open(t.TempDir(), kr)
	if err != nil {
		t.Fatal(err)
	}
	token, secret, err := sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := InstallCode(ctx, opts(st, sb.URL), token+";"+secret); err != nil {
		t.Fatal(err)
	}
	c, _, err := OpenClient(ctx, st, "work")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, "", nil); err != nil {
		t.Fatal(err)
	}

	down := &store.UnavailableError{Reason: "the keyring collection is locked",
		Hint: "unlock the login keyring (e.g. in Seahorse) and try again"}
	kr.fail(down)
	_, p, err := OpenClient(ctx, st, "work")
	var ue *store.UnavailableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "unlock the login keyring") || p.Name != "work" {
		t.Fatalf("OpenClient with the keyring gone = %v (profile %q)", err, p.Name)
	}
	if strings.Contains(err.Error(), secret) {
		t.Fatal("the secret appears in the error")
	}
	if _, err := Revoke(ctx, st, "work"); !errors.As(err, &ue) {
		t.Fatalf("Revoke with the keyring gone = %v", err)
	}
	if _, err := SignOut(st, "work"); !errors.As(err, &ue) {
		t.Fatalf("SignOut with the keyring gone = %v", err)
	}
	timeout := &store.TimeoutError{Op: "get", After: time.Second}
	kr.fail(timeout)
	var te *store.TimeoutError
	if _, _, err := OpenClient(ctx, st, "work"); !errors.As(err, &te) || !strings.Contains(err.Error(), "unlock") {
		t.Fatalf("OpenClient with the keyring hanging = %v", err)
	}

	// Back again: everything is still there and works; the server still
	// knows the token (Revoke did not reach it without the secret).
	kr.fail(nil)
	if _, err := st.Get("work"); err != nil {
		t.Fatalf("profile lost: %v", err)
	}
	if v, err := kr.Get("work"); err != nil || v != secret {
		t.Fatalf("secret lost: %v", err)
	}
	c, _, err = OpenClient(ctx, st, "work")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, "", nil); err != nil {
		t.Fatalf("after the keyring came back: %v", err)
	}
}

// The request token expires while the admin approves: the verifier comes in
// on the loopback callback after the provider's 10 minutes. The callback's
// exchange is refused as expired, so the browser page says so (not
// "authorized"), the flow is over with ErrRequestTokenExpired, its listener
// closed, and nothing is saved.
func TestRequestTokenExpiresBeforeVerifierArrives(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	ctx := context.Background()
	f, err := Begin(ctx, opts(st, sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The admin approves; the browser has not followed the redirect yet.
	callback := approveRedirect(t, sb.URL, tokenOf(t, f.AuthorizeURL()))
	if !strings.HasPrefix(callback, f.CallbackURL()+"?") {
		t.Fatalf("approve redirected to %q", callback)
	}
	// Ten minutes later the browser follows it.
	sb.offset.Store(int64(11 * time.Minute))
	status, page := get(t, callback)
	if status != http.StatusGone || strings.Contains(page, "is authorized") || !strings.Contains(page, "Start the login again") {
		t.Fatalf("callback page after expiry: %d %q", status, page)
	}
	r := <-f.Callback()
	if !errors.Is(r.Err, ErrRequestTokenExpired) || !strings.Contains(r.Err.Error(), "start again") || r.Verifier != "" {
		t.Fatalf("callback result %+v", r)
	}
	assertListenerClosed(t, f.CallbackURL())
	if err := f.Exchange(ctx, "anything"); !errors.Is(err, ErrRequestTokenExpired) {
		t.Errorf("Exchange on the dead flow = %v", err)
	}
	if _, err := f.Finish(ctx); err == nil {
		t.Error("Finish after expiry succeeded")
	}
	if ps, _, _ := st.List(); len(ps) != 0 {
		t.Errorf("profiles saved: %v", ps)
	}
}

// The browser always gets the whole "you can close this tab" page, even
// when the flow is closed the moment the result is delivered.
func TestCallbackPageSurvivesImmediateClose(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	for i := 0; i < 30; i++ {
		f, err := Begin(context.Background(), opts(st, sb.URL))
		if err != nil {
			t.Fatal(err)
		}
		callback := approveRedirect(t, sb.URL, tokenOf(t, f.AuthorizeURL()))
		page := make(chan string, 1)
		go func() {
			resp, err := http.Get(callback)
			if err != nil {
				page <- err.Error()
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			page <- string(b)
		}()
		if r := <-f.Callback(); r.Err != nil || r.Verifier == "" {
			t.Fatalf("callback result %+v", r)
		}
		f.Close()
		if p := <-page; !strings.Contains(p, "You can close this tab") {
			t.Fatalf("round %d: the browser got %q", i, p)
		}
	}
}
