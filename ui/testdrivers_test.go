//go:build lpdesk_testdrivers

package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/internal/testutil"
)

// These tests run the test drivers of builds tagged lpdesk_testdrivers
// (go test -tags lpdesk_testdrivers ./ui/) against the real core and an
// in-process sandbox.

func demoHarness(t *testing.T, drive func(server string) driver) *harness {
	t.Helper()
	_, server := startSandbox(t)
	demo := &DemoInfo{ConsoleURL: server + "/console", AdminUser: "admin", AdminPassword: "demo",
		ServerURL: server, AccountID: "12345678", Profile: "sandbox-demo"}
	return newHarness(t, NewBackend(BackendConfig{Store: memStore(t)}), Options{Demo: demo, driver: drive(server)})
}

// drain runs the window's queued work until done holds.
func drain(t *testing.T, h *harness, what string, done func() bool) {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for !done() {
		select {
		case f := <-h.queue:
			f()
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
	h.settle()
}

func TestIntegrationAutopilot(t *testing.T) {
	var out testutil.SyncBuffer
	h := demoHarness(t, func(string) driver { return autopilotDriver(&out, "", 0) })
	drain(t, h, "the autopilot marker", func() bool { return strings.Contains(out.String(), AutopilotMarker) })
	if !strings.Contains(out.String(), AutopilotMarker+" ok: showing skills/") {
		t.Fatalf("autopilot: %q", out.String())
	}
	if h.d.view != viewBrowser || !strings.HasPrefix(h.d.br.currentAddr, "skills/") {
		t.Fatalf("view %v current %q", h.d.view, h.d.br.currentAddr)
	}
}

func TestIntegrationAutopilotOpensAPath(t *testing.T) {
	var out testutil.SyncBuffer
	h := demoHarness(t, func(string) driver { return autopilotDriver(&out, "users?limit=3,users", 2) })
	finished := func() bool {
		// The headless window paints only when captured: the autopilot
		// waits for its probes to be painted.
		h.w.Canvas().Capture()
		return strings.Contains(out.String(), AutopilotMarker+" done") || strings.Contains(out.String(), AutopilotMarker+" failed")
	}
	drain(t, h, "the autopilot's done", finished)
	var opened []string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		f := strings.Fields(l)
		if len(f) > 3 && f[1] == "opened" {
			opened = append(opened, f[2])
			if len(f) != 19 || f[13] != "maxstall" || f[17] != "maxstallat" {
				t.Errorf("line %q", l)
			}
		}
	}
	if got := strings.Join(opened, " "); got != "users?limit=3 users users?limit=3 users" {
		t.Fatalf("opened %q in\n%s", got, out.String())
	}
	for _, m := range []string{" mem idle rss ", " mem after rss "} {
		if !strings.Contains(out.String(), AutopilotMarker+m) {
			t.Errorf("no %q in\n%s", m, out.String())
		}
	}
	if h.d.br.currentAddr != "" {
		t.Fatalf("current %q", h.d.br.currentAddr)
	}
}

func TestIntegrationTour(t *testing.T) {
	var out testutil.SyncBuffer
	goAhead := strings.NewReader(strings.Repeat("next\n", 30))
	h := demoHarness(t, func(string) driver { return tourDriver(goAhead, &out) })
	over := func() bool {
		s := out.String()
		return strings.Contains(s, TourMarker+" end") || strings.Contains(s, TourMarker+" failed")
	}
	drain(t, h, "the end of the tour", over)
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		names = append(names, strings.TrimPrefix(l, TourMarker+" "))
	}
	want := "wizard-account wizard-code wizard-authorize wizard-no-browser wizard-done browser-account browser-skills-table " +
		"browser-skills-table-sorted-1024x640 browser-skill-form browser-skill-form-1024x640 editor-form editor-form-invalid-1024x640 " +
		"browser-search browser-tree editor-invalid settings settings-revoke agent-incoming agent-incoming-1024 agent-chat-1024 agent-chat " +
		"provider-picker provider-custom provider-rsa provider-four-values browser-signature browser-401 end"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("tour screens:\n got %s\nwant %s", got, want)
	}
	if len(h.d.ws.panes) != 2 {
		t.Errorf("the agent workspace has %d chats", len(h.d.ws.panes))
	}
	if h.d.view != viewBrowser || h.d.br.current.Status != 401 || !h.d.br.sig.item.Open || len(h.d.dialogs) != 0 {
		t.Errorf("the tour ended on view %v (status %d) with %d dialogs", h.d.view, h.d.br.current.Status, len(h.d.dialogs))
	}
}

func TestDriverFromEnvironment(t *testing.T) {
	t.Setenv("LPDESK_TEST_TOUR", "")
	t.Setenv("LPDESK_TEST_AUTOPILOT", "")
	if driverFromEnv == nil {
		t.Fatal("a build tagged lpdesk_testdrivers has no driver")
	}
	if driverFromEnv() != nil {
		t.Error("a driver without LPDESK_TEST_TOUR or LPDESK_TEST_AUTOPILOT")
	}
	t.Setenv("LPDESK_TEST_AUTOPILOT", "1")
	if driverFromEnv() == nil {
		t.Error("LPDESK_TEST_AUTOPILOT=1 starts no driver")
	}
}
