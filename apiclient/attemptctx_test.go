package apiclient

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestAttemptTimeouts: an attempt's context expires with DeadlineExceeded
// after the Client's timeout, a released one ends Canceled and leaves the
// list, and attempts started later still expire once the first is gone
// (the shared timer re-arms for the new head).
func TestAttemptTimeouts(t *testing.T) {
	ts := &timeouts{d: 20 * time.Millisecond}
	type key struct{}
	parent := context.WithValue(context.Background(), key{}, "v")
	a := ts.start(parent, authSpec{auth: AuthAppKey})
	// b starts later, so that it is (most likely) not yet due when the
	// timer fires for a: the timer must re-arm for it.
	time.Sleep(10 * time.Millisecond)
	b := ts.start(parent, authSpec{})
	if a.Err() != nil || b.Err() != nil {
		t.Fatalf("fresh attempts done: %v %v", a.Err(), b.Err())
	}
	if sp, ok := a.Value(specKey{}).(*authSpec); !ok || sp.auth != AuthAppKey || a.Value(key{}) != "v" {
		t.Fatalf("values: %v %v", a.Value(specKey{}), a.Value(key{}))
	}
	if d, ok := a.Deadline(); !ok || d.IsZero() {
		t.Fatalf("deadline %v %v", d, ok)
	}
	a.release()
	if !errors.Is(a.Err(), context.Canceled) {
		t.Fatalf("released: %v", a.Err())
	}
	// net/http derives its own context from the attempt's.
	child, cancel := context.WithCancelCause(b)
	defer cancel(nil)
	select {
	case <-child.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the attempt never expired")
	}
	if !errors.Is(b.Err(), context.DeadlineExceeded) || !errors.Is(child.Err(), context.DeadlineExceeded) ||
		!errors.Is(context.Cause(child), context.DeadlineExceeded) {
		t.Fatalf("expired: %v, child %v (cause %v)", b.Err(), child.Err(), context.Cause(child))
	}
	b.release()
	if !errors.Is(b.Err(), context.DeadlineExceeded) {
		t.Fatalf("release after expiry changed the error to %v", b.Err())
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.head != nil || ts.tail != nil {
		t.Fatal("attempts left in the list")
	}
}

// TestAttemptParentCancel: the caller's cancellation reaches the attempt
// and what derives from it; a child that stops first is not called.
func TestAttemptParentCancel(t *testing.T) {
	ts := &timeouts{d: time.Hour}
	parent, cancel := context.WithCancel(context.Background())
	a := ts.start(parent, authSpec{})
	defer a.release()
	child, cancelChild := context.WithCancel(a)
	other, cancelOther := context.WithCancel(a)
	cancelOther() // stops its registration
	called := make(chan struct{})
	stop := context.AfterFunc(a, func() { close(called) })
	cancel()
	for _, done := range []<-chan struct{}{a.Done(), child.Done(), called} {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the parent's cancel did not reach the attempt, a context derived from it, or an AfterFunc")
		}
	}
	if !errors.Is(a.Err(), context.Canceled) || !errors.Is(child.Err(), context.Canceled) || stop() {
		t.Fatalf("after the parent's cancel: %v, child %v", a.Err(), child.Err())
	}
	cancelChild()
	_ = other
	// An attempt of an already cancelled parent starts done.
	b := ts.start(parent, authSpec{})
	defer b.release()
	if !errors.Is(b.Err(), context.Canceled) {
		t.Fatalf("attempt of a cancelled parent: %v", b.Err())
	}
	<-b.Done()
}
