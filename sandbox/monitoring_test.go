package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Engagement attributes reported for a chat visitor's session appear in
// its Visit Information; the documented refusals carry their codes.
func TestEngagementAttributesAndVisitInformation(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.api(call{method: "POST", path: e.acct() + "/chat/request?v=1", contentType: "application/json",
		body: `{"request": {"skill": "Sales", "LETagVisitorId": "vis1", "LETagSessionId": "sess1", "engagementId": 27469613}}`})
	wantStatus(t, resp, body, 201)
	events := e.acct() + "/monitoring/visitors/vis1/visits/current/events"
	put := map[string]string{"x-http-method-override": "put"} // as the page writes it
	resp, body = e.api(call{method: "POST", path: events + "?v=1&sid=sess1", contentType: "application/json", header: put,
		body: `[{"type": "lead", "lead": {"topic": "upgrade", "value": 200, "leadId": "xyz123"}}, {"type": "service", "service": {"topic": "t", "status": 0, "category": "c", "serviceId": "s12"}}]`})
	wantStatus(t, resp, body, 200)
	if strings.TrimSpace(string(body)) != "{}" {
		t.Fatalf("the documented answer is an empty JSON: %s", body)
	}
	resp, body = e.api(call{path: e.acct() + "/monitoring/visitors/vis1/visits/current/state?v=1&sid=sess1&filter=agent"})
	wantStatus(t, resp, body, 200)
	var vi struct {
		ID          string
		AppSessions []struct {
			Leads           []map[string]any
			ServiceActivity []map[string]any
			Events          []map[string]any
			Engagements     []map[string]any
		}
	}
	if err := json.Unmarshal(body, &vi); err != nil || vi.ID != "sess1" || len(vi.AppSessions) != 1 {
		t.Fatalf("visit %v: %s", err, body)
	}
	s := vi.AppSessions[0]
	if len(s.Leads) != 1 || s.Leads[0]["leadId"] != "xyz123" || len(s.ServiceActivity) != 1 || len(s.Events) != 2 || len(s.Engagements) != 1 {
		t.Fatalf("the visit does not show the reported attributes and the chat: %s", body)
	}
	if _, ok := s.Events[1]["serviceActivity"]; !ok {
		t.Errorf("a service attribute reads back as serviceActivity: %v", s.Events[1])
	}
	for _, tc := range []struct {
		path         string
		status, code int
	}{
		{"/monitoring/visitors/nobody/visits/current/state?v=1&sid=sess1", 404, viInvalidVisitor},
		{"/monitoring/visitors/vis1/visits/current/state?v=1&sid=other", 404, viInvalidSession},
		{"/monitoring/visitors/vis1/visits/current/state?v=1", 400, viBadRequest},
		{"/monitoring/visitors/vis1/visits/current/state?v=1&sid=sess1&filter=all", 400, viBadRequest},
	} {
		resp, body := e.api(call{path: e.acct() + tc.path})
		wantError(t, resp, body, tc.status, tc.code, wire.JSON)
	}
	for _, bad := range []string{`{"type": "lead"}`, `[{"lead": {}}]`, `[{"type": "lead"}]`} {
		resp, body := e.api(call{method: "POST", path: events + "?v=1&sid=sess1", contentType: "application/json", header: put, body: bad})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("EA body %s: %d %s", bad, resp.StatusCode, body)
		}
	}
}
