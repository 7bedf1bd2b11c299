package conformance

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
)

// side is one party of the conversation: how it authenticates and where
// its next poll starts.
type side struct {
	w    *world
	auth auth
	next string // the events' next link
}

// poll follows the next link and returns the new events; the next link
// moves on. Links carry no v=1 (the documentation's clients add it).
func (s *side) poll(t *testing.T) []map[string]any {
	t.Helper()
	rep := s.w.p.must(200, request{method: "GET", url: s.next + "&v=1&NC=true", auth: s.auth})
	evs := jsonOf(t, rep)["events"].(map[string]any)
	s.next = linkOf(t, evs, "next")
	var out []map[string]any
	for _, e := range asList(evs["event"]) {
		out = append(out, e.(map[string]any))
	}
	return out
}

// linkOf returns the href of rel among n's links.
func linkOf(t *testing.T, n map[string]any, rel string) string {
	t.Helper()
	for _, l := range asList(n["link"]) {
		if m := l.(map[string]any); m["@rel"] == rel {
			return m["@href"].(string)
		}
	}
	t.Fatalf("no link rel %q in %v", rel, n)
	return ""
}

// texts lists "source:by:text" of the line events, for comparing.
func texts(evs []map[string]any) []string {
	var out []string
	for _, e := range evs {
		if e["@type"] == "line" {
			out = append(out, fmt.Sprintf("%s:%s:%s", e["source"], e["by"], e["text"]))
		} else {
			out = append(out, "state:"+fmt.Sprint(e["state"]))
		}
	}
	return out
}

func wantTexts(t *testing.T, who string, got []map[string]any, want ...string) {
	t.Helper()
	g := texts(got)
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s saw:\n  %s\nwant:\n  %s", who, strings.Join(g, "\n  "), strings.Join(want, "\n  "))
	}
}

func (w *world) get(t *testing.T, url string, a auth) map[string]any {
	t.Helper()
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return jsonOf(t, w.p.must(200, request{method: "GET", url: url + sep + "v=1&NC=true", auth: a}))
}

func (w *world) put(t *testing.T, url, body string, a auth) {
	t.Helper()
	ct := "application/json"
	if strings.HasPrefix(body, "<") {
		ct = "application/xml"
	}
	w.p.must(200, request{method: "POST", override: "PUT", url: url + "?v=1&NC=true", body: body, ctype: ct, auth: a})
}

// TestConversationScenario plays a whole conversation between a visitor
// (Server Chat API) and agents (Chat Agent API) on a real `lpdesk sandbox`
// with the agent API on a listener of its own: availability, pre-chat
// survey, start, ringing, accept, lines both ways through next links,
// typing, the visitor's name, a private line, transfer to an agent and to
// a skill, the end, both surveys and the transcript request.
func TestConversationScenario(t *testing.T) {
	p := startPlatform(t, serviceFlags()...)
	w := &world{p: p}
	vb := w.visitorBase()

	// No agent online yet.
	if v := w.get(t, vb+"/chat/availability", appKeyHeader); v["availability"] != false {
		t.Fatalf("availability with nobody online: %v", v)
	}
	if v := w.get(t, vb+"/chat/estimatedWaitTime", appKeyHeader); v["estimatedWaitTime"] != float64(-1) {
		t.Fatalf("estimatedWaitTime with nobody online: %v", v)
	}
	// Agent A logs in (the sample app's loginData) and goes Online.
	rep := p.must(201, request{method: "POST", url: w.agentBase() + "/agentSession?v=1&NC=true", body: `{"loginData": {"userName": "alice.martin", "password": "x"}}`, auth: signed})
	a := rep.header.Get("Location")
	if !strings.HasPrefix(a, p.baseOf("agentVep")) || p.baseOf("agentVep") == p.base {
		t.Fatalf("agent session %s is not on the agentVep listener %s", a, p.baseOf("agentVep"))
	}
	if v := w.get(t, a+"/availability", signed); v["availability"].(map[string]any)["chat"] != "Offline" {
		t.Fatalf("a new session's availability: %v", v)
	}
	w.put(t, a+"/availability", `{"availability": {"chat": "Online"}}`, signed)
	if v := w.get(t, vb+"/chat/availability?skill=Sales", appKeyHeader); v["availability"] != true {
		t.Fatalf("availability with Alice online: %v", v)
	}

	// The visitor reads the pre-chat survey and starts a chat answering it.
	survey := w.get(t, vb+"/chat//preSurvey", appKeyHeader)["survey"].(map[string]any)
	if survey["id"] != "40216" {
		t.Fatalf("pre-chat survey %v", survey)
	}
	rep = p.must(201, request{method: "POST", url: vb + "/chat/request?v=1&NC=true", auth: appKeyHeader,
		body: `{"request": {"skill": "Sales", "survey": {"id": 40216, "question": [{"id": 12786273, "answer": "DOGS"}]}}}`})
	chatURL := rep.header.Get("Location")
	key := chatURL[strings.LastIndex(chatURL, "/")+1:]
	visitor := &side{w: w, auth: appKeyHeader}
	c := w.get(t, chatURL, appKeyHeader)["chat"].(map[string]any)
	visitor.next = linkOf(t, c["events"].(map[string]any), "next")
	if !strings.HasSuffix(visitor.next, "/events?from=2") {
		t.Fatalf("the new chat's next link: %s", visitor.next)
	}

	// It rings Alice; she accepts through the link (the sample app's body).
	in := w.get(t, a+"/incomingRequests", signed)["incomingRequests"].(map[string]any)
	if in["ringingCount"] != "1" {
		t.Fatalf("incomingRequests %v", in)
	}
	rep = p.must(201, request{method: "POST", url: linkOf(t, in, "accept") + "?v=1&NC=true", body: `{"chat": "start"}`, auth: signed})
	aChat := rep.header.Get("Location")
	if !strings.HasSuffix(aChat, "/chat/"+key) {
		t.Fatalf("accepted %s, want the chat %s (one id on both sides)", aChat, key)
	}
	agent := &side{w: w, auth: signed, next: aChat + "/events?from=0"}
	wantTexts(t, "Alice", agent.poll(t), "state:waiting", "system:info:Thank you for choosing to chat with us.  An agent will be with you shortly.",
		"state:chatting", "system:info:You are now chatting with Alice.")
	wantTexts(t, "the visitor", visitor.poll(t), "state:chatting", "system:info:You are now chatting with Alice.")

	// Typing, a line each way, the visitor's name.
	w.put(t, chatURL+"/info/visitorTyping", `{"visitorTyping": "typing"}`, appKeyHeader)
	if v := w.get(t, aChat+"/info/visitorTyping", signed); v["visitorTyping"] != "typing" {
		t.Fatalf("Alice sees visitorTyping %v", v)
	}
	p.must(201, request{method: "POST", url: chatURL + "/events?v=1&NC=true", body: `{"event": {"@type": "line", "text": "I need <b>help</b>"}}`, auth: appKeyHeader})
	wantTexts(t, "Alice", agent.poll(t), "visitor:visitor:I need <b>help</b>")
	if v := w.get(t, aChat+"/info/visitorTyping", signed); v["visitorTyping"] != "not-typing" {
		t.Fatalf("typing did not stop with the line: %v", v)
	}
	p.must(201, request{method: "POST", override: "PUT", url: chatURL + "/info/visitorName?v=1&NC=true", body: `{"visitorName": "Natalie"}`, auth: appKeyHeader})
	if v := w.get(t, aChat+"/info/visitorName", signed); v["visitorName"] != "Natalie" {
		t.Fatalf("Alice sees the visitor's name %v", v)
	}
	w.put(t, aChat+"/info/agentTyping", `{"agentTyping": "typing"}`, signed)
	if v := w.get(t, chatURL+"/info/agentTyping", appKeyHeader); v["agentTyping"] != "typing" {
		t.Fatalf("the visitor sees agentTyping %v", v)
	}
	p.must(201, request{method: "POST", url: aChat + "/events?v=1&NC=true", body: `{"event": {"@type": "line", "text": "Hi Natalie & welcome"}}`, auth: signed})
	p.must(201, request{method: "POST", url: aChat + "/events?v=1&NC=true", body: `{"event": {"@type": "line", "text": "note to self", "subType": "ONLY_TO_REP"}}`, auth: signed})
	wantTexts(t, "the visitor", visitor.poll(t), "visitor:Natalie:I need <b>help</b>",
		`agent:Alice:<div dir="ltr" style="direction: ltr; text-align: left;">Hi Natalie &amp; welcome</div>`)
	wantTexts(t, "Alice", agent.poll(t), "agent:Alice:Hi Natalie & welcome", "agent:Alice:note to self")
	if got := visitor.poll(t); len(got) != 0 {
		t.Fatalf("a second poll of the same next link returned %v", texts(got))
	}

	// Bruno (user 2) comes online; Alice transfers the chat to him.
	rep = p.must(201, request{method: "POST", url: w.agentBase() + "/agentSession?v=1", body: `{"loginData": {"userName": "bruno.silva"}}`, auth: signed})
	b := rep.header.Get("Location")
	w.put(t, b+"/availability", `{"availability": {"chat": "Online"}}`, signed)
	skills := w.get(t, aChat+"/transfer", signed)["transfer"].(map[string]any)
	if len(asList(skills["skill"])) == 0 {
		t.Fatalf("no skill to transfer to: %v", skills)
	}
	p.must(200, request{method: "POST", url: aChat + "/transfer?v=1&NC=true", body: `{"transfer": {"agent": {"id": 2}}, "text": "She needs billing"}`, auth: signed})
	p.must(404, request{method: "GET", url: aChat + "?v=1", auth: signed})
	in = w.get(t, b+"/incomingRequests", signed)["incomingRequests"].(map[string]any)
	if in["ringingCount"] != "1" {
		t.Fatalf("Bruno's incomingRequests %v", in)
	}
	rep = p.must(201, request{method: "POST", url: b + "/incomingRequests?v=1", body: `{}`, auth: signed})
	bChat := rep.header.Get("Location")
	bruno := &side{w: w, auth: signed, next: bChat + "/events?from=7"}
	wantTexts(t, "Bruno", bruno.poll(t), "system:info:Transferring you to Bruno.", "agent:Alice:She needs billing",
		"state:waiting", "state:chatting", "system:info:You are now chatting with Bruno.")
	wantTexts(t, "the visitor", visitor.poll(t), "system:info:Transferring you to Bruno.",
		"state:waiting", "state:chatting", "system:info:You are now chatting with Bruno.")

	// Bruno sends it back to the Sales skill: it rings Alice again.
	p.must(200, request{method: "POST", url: bChat + "/transfer?v=1", body: `{"transfer": {"skill": {"id": 2}, "text": "back to sales"}}`, auth: signed})
	rep = p.must(201, request{method: "POST", url: a + "/incomingRequests?v=1", body: `{}`, auth: signed})
	if rep.header.Get("Location") != aChat {
		t.Fatalf("Alice accepted %s, want %s", rep.header.Get("Location"), aChat)
	}

	// Alice ends the chat; the visitor sees it end and can add nothing.
	rep = p.must(201, request{method: "POST", url: aChat + "/events?v=1", body: `{"event": {"@type": "state", "state": "ended"}}`, auth: signed})
	if _, ok := jsonOf(t, rep)["chatLocation"]; !ok {
		t.Fatalf("End Chat answers chatLocation: %s", rep.body)
	}
	got := texts(visitor.poll(t))
	if got[len(got)-1] != "state:ended" {
		t.Fatalf("the visitor's last events: %v", got)
	}
	p.must(409, request{method: "POST", url: chatURL + "/events?v=1", body: `{"event": {"@type": "line", "text": "late"}}`, auth: appKeyHeader})
	if info := w.get(t, chatURL+"/info", appKeyHeader)["info"].(map[string]any); info["state"] != "ended" || info["agentName"] != "Alice" {
		t.Fatalf("info after the end: %v", info)
	}

	// Surveys are stored and read back; the transcript request is queued.
	w.put(t, chatURL+"/exitSurvey", `{"survey": {"id": 361348, "question": [{"id": 4991315, "answer": "yes"}, {"id": 4991311, "answer": "natalie@example.com"}]}}`, appKeyHeader)
	exit := w.get(t, chatURL+"/exitSurvey", appKeyHeader)
	if !strings.Contains(fmt.Sprint(exit), "lastKnownValue:natalie@example.com") || !strings.Contains(fmt.Sprint(exit), "checked:true displayValue:Yes value:yes") {
		t.Fatalf("the exit survey does not show the answers: %v", exit)
	}
	w.put(t, aChat+"/survey", `<survey><id>361350</id><question><id>4991400</id><answer>resolved</answer></question></survey>`, signed)
	if s := w.get(t, aChat+"/survey", signed); !strings.Contains(fmt.Sprint(s), "checked:true displayValue:Resolved value:resolved") {
		t.Fatalf("the agent survey does not show the answer: %v", s)
	}
	w.put(t, chatURL+"/transcriptRequest", `{"email": "natalie@example.com"}`, appKeyHeader)
	w.checkOutbox(t, "natalie@example.com", "Hi Natalie & welcome")
}

// checkOutbox finds a transcript to email holding line in the console's
// outbox (no mail is sent).
func (w *world) checkOutbox(t *testing.T, email, line string) {
	t.Helper()
	admin := consoleclient.Admin{Server: w.p.base, User: "admin", Password: "demo"}
	out, err := admin.Outbox(context.Background())
	if err != nil {
		t.Fatalf("console outbox: %v", err)
	}
	if !strings.Contains(out, "transcript") || !strings.Contains(out, "to="+email) || !strings.Contains(out, line) {
		t.Fatalf("the outbox lacks the transcript to %s with %q:\n%s", email, line, out)
	}
}
