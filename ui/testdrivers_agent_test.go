//go:build lpdesk_testdrivers

package ui

import (
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/internal/testutil"
	"github.com/lpdesk/lpdesk/sandbox"
)

// The smoke test's agent mode, headless: the autopilot onboards, shows a
// skill, then takes the waiting visitor's chat, sends a line and waits for
// the visitor's answer, which the test posts as the smoke script does.
func TestIntegrationAgentAutopilot(t *testing.T) {
	sb, server := startSandbox(t)
	sb.SetAllowUnsigned(true)
	if _, err := sb.StartVisitorChat(sandbox.VisitorChat{Skill: "Sales", VisitorName: "Maya", Question: "Is my order shipped?"}); err != nil {
		t.Fatal(err)
	}
	var out testutil.SyncBuffer
	demo := &DemoInfo{ConsoleURL: server + "/console", AdminUser: "admin", AdminPassword: "demo",
		ServerURL: server, AccountID: "12345678", Profile: "sandbox-demo"}
	h := newHarness(t, NewBackend(BackendConfig{Store: memStore(t), Agent: quickAgent}),
		Options{Demo: demo, driver: agentAutopilotDriver(&out)})
	drain(t, h, "the agent's line", func() bool {
		return strings.Contains(out.String(), AgentSentMarker) || strings.Contains(out.String(), AutopilotMarker)
	})
	line := out.String()
	if !strings.HasPrefix(line, AgentSentMarker+" ") {
		t.Fatalf("autopilot: %q", line)
	}
	key := strings.Fields(line)[1]
	v := &visitor{t: t, url: server + "/api/account/12345678/chat/" + key}
	if ev := v.get("/events"); !strings.Contains(ev, agentLine) {
		t.Fatalf("the visitor did not get the agent's line: %s", ev)
	}
	v.say("Thanks, got it")
	drain(t, h, "the autopilot marker", func() bool { return strings.Contains(out.String(), AutopilotMarker) })
	if !strings.Contains(out.String(), AutopilotMarker+" ok: showing skills/") || !strings.Contains(out.String(), `received "Thanks, got it", ended`) {
		t.Fatalf("autopilot: %q", out.String())
	}
	if h.d.view != viewAgent {
		t.Fatalf("the autopilot ended on view %v", h.d.view)
	}
}
