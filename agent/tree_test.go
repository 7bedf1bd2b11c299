package agent

import (
	"testing"
	"time"
)

// The pages print the same members several ways; all read the same.
func TestLenientReading(t *testing.T) {
	doc, err := decode([]byte(`{"chat": {
		"link": {"rel": "next", "href": "http://x/chat/1?from=3"},
		"events": {"event": {"id": 2, "type": "line", "time": "2016-04-25T08:41:03.071-04:00",
			"text": "<div dir=\"ltr\">Hi &amp; welcome<br/>there</div>", "textType": "html", "by": "Natalie",
			"source": "agent", "systemMessageId": "4", "subType": "ONLY_TO_REP"}},
		"info": {"state": "chatting", "visitorTyping": "typing", "skillId": "7", "chatSessionKey": "K1"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	ch := doc.get("chat")
	if ch.link("next") != "http://x/chat/1?from=3" {
		t.Fatalf("a link without @ and as a bare object: %q", ch.link("next"))
	}
	evs := ch.path("events", "event").list()
	if len(evs) != 1 {
		t.Fatalf("one event as an object: %d", len(evs))
	}
	ev := parseEvent(evs[0])
	want := Event{ID: 2, Line: true, Text: "Hi & welcome\nthere", By: "Natalie", Source: FromAgent, AgentsOnly: true, SystemMessage: 4,
		Time: time.Date(2016, 4, 25, 12, 41, 3, 71e6, time.UTC)}
	if !ev.Time.Equal(want.Time) {
		t.Fatalf("time %v", ev.Time)
	}
	ev.Time = want.Time
	if ev != want {
		t.Fatalf("event %+v\nwant %+v", ev, want)
	}
	in := parseInfo(ch.get("info"))
	if in.SkillID != 7 || !in.VisitorTyping || in.VisitorName != "visitor" || in.Key != "K1" || len(in.Fields) != 4 {
		t.Fatalf("info %+v", in)
	}
	if (node{}).get("x").list() != nil || (node{}).str() != "" || (node{}).num() != 0 {
		t.Fatal("a missing member is not empty")
	}
}
