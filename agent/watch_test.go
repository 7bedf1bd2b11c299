package agent

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPaceBacksOff(t *testing.T) {
	p := Pace{Every: 2 * time.Second, MaxBackoff: 30 * time.Second}
	want := []time.Duration{2, 4, 8, 16, 30, 30}
	for failures, w := range want {
		if got := p.Wait(failures); got != w*time.Second {
			t.Fatalf("after %d failures wait %v, want %v", failures, got, w*time.Second)
		}
	}
	d := Pace{}.orDefault(2*time.Second, 30*time.Second)
	if d.Every != 2*time.Second || d.MaxBackoff != 30*time.Second {
		t.Fatalf("defaults %+v", d)
	}
}

// Watch reports each poll, a new request once, and stops with the session.
func TestWatchReportsNewRequestsAndStopsWhenLost(t *testing.T) {
	w := newWorld(t)
	s := w.start("")
	w.online(s)
	type report struct {
		inc Incoming
		err error
	}
	reports := make(chan report, 64)
	done := make(chan error, 1)
	go func() {
		done <- s.Watch(context.Background(), func(inc Incoming, err error) {
			select {
			case reports <- report{inc, err}:
			default:
			}
		})
	}()
	next := func() report {
		t.Helper()
		select {
		case r := <-reports:
			return r
		case <-time.After(10 * time.Second):
			t.Fatal("Watch reported nothing")
		}
		return report{}
	}
	if r := next(); r.err != nil || r.inc.Count != 0 {
		t.Fatalf("first poll %+v", r)
	}
	w.visitor("Sales", "Ann", "hi")
	s.Poke()
	news := 0
	for {
		r := next()
		news += r.inc.New
		if r.inc.Count == 1 {
			break
		}
	}
	if r := next(); r.inc.Count != 1 || news+r.inc.New != 1 {
		t.Fatalf("the request was new %d times", news+r.inc.New)
	}
	if err := s.End(context.Background()); err != nil {
		t.Fatal(err)
	}
	var lost error
	for lost == nil {
		if r := next(); r.err != nil {
			lost = r.err
		}
	}
	wantKind(t, lost, ErrSessionLost)
	if err := <-done; !errors.Is(err, ErrSessionLost) {
		t.Fatalf("Watch returned %v", err)
	}
}

func TestWatchEndsWithItsContext(t *testing.T) {
	w := newWorld(t)
	s := w.start("")
	ctx, cancel := context.WithCancel(context.Background())
	polled := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.Watch(ctx, func(Incoming, error) {
			select {
			case polled <- struct{}{}:
			default:
			}
		})
	}()
	<-polled
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Watch returned %v", err)
	}
}

// A platform that answers with the count only (as documented): requests
// are numbered by arrival, the oldest leave first, times are first seen.
func TestRememberCountOnly(t *testing.T) {
	s := &Session{}
	t0 := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	a := s.remember(2, nil, t0)
	if a.Count != 2 || a.New != 2 || len(a.Requests) != 2 || a.Requests[0].ID == a.Requests[1].ID {
		t.Fatalf("first %+v", a)
	}
	b := s.remember(3, nil, t0.Add(time.Minute))
	if b.New != 1 || b.Requests[0] != a.Requests[0] || b.Requests[1] != a.Requests[1] || !b.Requests[2].Since.Equal(t0.Add(time.Minute)) {
		t.Fatalf("growing %+v", b)
	}
	c := s.remember(1, nil, t0.Add(2*time.Minute))
	if c.New != 0 || len(c.Requests) != 1 || c.Requests[0] != b.Requests[2] {
		t.Fatalf("shrinking keeps the newest: %+v", c)
	}
	if d := s.remember(0, nil, t0); len(d.Requests) != 0 || d.New != 0 {
		t.Fatalf("none %+v", d)
	}
	for _, r := range a.Requests {
		if r.Detailed {
			t.Fatal("a counted request claims details")
		}
	}
}
