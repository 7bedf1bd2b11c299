package bench

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestMixedLoadSucceeds runs the mixed load briefly and checks that every
// route the figure names was exercised and none failed: a latency over
// refusals would be worthless. (BENCH_MIXED_SECONDS lengthens it, for
// profiling with -cpuprofile.)
func TestMixedLoadSucceeds(t *testing.T) {
	l := startLocal(t)
	m := Mixed{Agents: 3, Visitors: 3, Admins: 2, Duration: 2 * time.Second, Lines: 2}
	if s, err := strconv.Atoi(os.Getenv("BENCH_MIXED_SECONDS")); err == nil {
		m.Duration = time.Duration(s) * time.Second
	}
	var err error
	if l.Tokens, err = InstallTokens(l.Sandbox, m.Agents+m.Admins); err != nil {
		t.Fatal(err)
	}
	rec := NewRouteRecorder()
	mc, err := m.NewMixedClients(l.Target, rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background(), mc); err != nil {
		t.Fatal(err)
	}
	rec.Stop()
	seen := map[string]bool{}
	for _, s := range rec.Stats() {
		seen[s.Route] = true
		if s.Errors > 0 {
			t.Errorf("%s: %d of %d failed (first: %s)", s.Route, s.Errors, s.Requests, s.FirstError)
		}
		if len(s.Samples) != s.Requests {
			t.Errorf("%s: %d samples for %d requests", s.Route, len(s.Samples), s.Requests)
		}
	}
	for _, r := range []string{RouteStartSession, RouteAvailability, RouteIncoming, RouteAccept, RouteChatEvents,
		RouteStartChat, RouteVisitorEvent, RouteSkills} {
		if !seen[r] {
			t.Errorf("route %q was never requested", r)
		}
	}
	if seen[RouteOther] {
		t.Errorf("requests the route table does not name were sent")
	}
}

func TestRouteOf(t *testing.T) {
	const a = "/api/account/12345678"
	for _, c := range []struct{ method, override, path, want string }{
		{"POST", "", a + "/agentSession", RouteStartSession},
		{"POST", "PUT", a + "/agentSession/abc/availability", RouteAvailability},
		{"GET", "", a + "/agentSession/abc/incomingRequests", RouteIncoming},
		{"POST", "", a + "/agentSession/abc/incomingRequests", RouteAccept},
		{"GET", "", a + "/agentSession/abc/chat/H1-K2", RouteChatEvents},
		{"GET", "", a + "/agentSession/abc/info", RouteAgentOther},
		{"POST", "", a + "/chat/request", RouteStartChat},
		{"POST", "", a + "/chat/H1-K2/events", RouteVisitorEvent},
		{"GET", "", a + "/skills/7", RouteSkills},
		{"GET", "", a + "/users/200", RouteOther},
	} {
		if got := RouteOf(c.method, c.override, c.path); got != c.want {
			t.Errorf("RouteOf(%s %s %s) = %q, want %q", c.method, c.override, c.path, got, c.want)
		}
	}
}
