package agent

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// The whole conversation as the documentation describes it, the visitor on
// the Server Chat API and the agent here.
func TestIncomingAcceptConverseEnd(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s := w.start("")
	w.online(s)
	if inc, err := s.Incoming(ctx); err != nil || inc.Count != 0 || len(inc.Requests) != 0 {
		t.Fatalf("nothing rings yet: %+v %v", inc, err)
	}
	v := w.visitor("Sales", "Ann", "Where is my order?")
	inc, err := s.Incoming(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Count != 1 || inc.New != 1 || len(inc.Requests) != 1 {
		t.Fatalf("incoming %+v", inc)
	}
	r := inc.Requests[0]
	if r.ID != v.key() || r.Skill != "Sales" || r.VisitorName != "Ann" || r.FirstLine != "Where is my order?" || !r.Detailed || r.Since.IsZero() {
		t.Fatalf("request %+v", r)
	}
	if again, _ := s.Incoming(ctx); again.New != 0 || again.Requests[0].Since != r.Since {
		t.Fatalf("a second poll counts the same request as new: %+v", again)
	}

	c, err := s.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tr := c.Snapshot()
	if c.Key() != v.key() || tr.Info.VisitorName != "Ann" || tr.Info.Skill != "Sales" || tr.Info.State != "chatting" || tr.Info.AgentName != "Alice" {
		t.Fatalf("accepted chat %s: %+v", c.Key(), tr.Info)
	}
	if !hasLine(tr, "Where is my order?") || !hasLine(tr, "You are now chatting with Alice.") {
		t.Fatalf("transcript %q", lines(tr))
	}
	if inc, _ := s.Incoming(ctx); inc.Count != 0 {
		t.Fatalf("the accepted chat still rings: %+v", inc)
	}

	// Agent → visitor.
	if err := c.Send(ctx, "Hello Ann, let me look."); err != nil {
		t.Fatal(err)
	}
	if ev := v.get("/events"); !strings.Contains(ev, "Hello Ann, let me look.") {
		t.Fatalf("the visitor does not see the agent's line: %s", ev)
	}
	if err := c.Send(ctx, "  \n "); err != ErrEmptyLine {
		t.Fatalf("an empty line: %v", err)
	}
	// Visitor → agent, with typing first.
	v.typing(true)
	refresh(t, c)
	if !c.Snapshot().Info.VisitorTyping {
		t.Fatal("the visitor's typing does not show")
	}
	v.say("Order 4411, thanks")
	refresh(t, c)
	tr = c.Snapshot()
	if tr.Info.VisitorTyping || !hasLine(tr, "Order 4411, thanks") {
		t.Fatalf("after the visitor's line: typing %v, lines %q", tr.Info.VisitorTyping, lines(tr))
	}
	last := tr.Events[len(tr.Events)-1]
	if last.Source != FromVisitor || last.By != "Ann" || last.Time.IsZero() {
		t.Fatalf("the visitor's line reads as %+v", last)
	}
	// The agent's typing reaches the visitor, and a line clears it.
	if err := c.SetTyping(ctx, true); err != nil {
		t.Fatal(err)
	}
	if got := v.get("/info/agentTyping"); !strings.Contains(got, `"typing"`) {
		t.Fatalf("the visitor reads the agent's typing as %s", got)
	}
	if err := c.Send(ctx, "Found it."); err != nil {
		t.Fatal(err)
	}
	if got := v.get("/info/agentTyping"); !strings.Contains(got, "not-typing") {
		t.Fatalf("after a line the agent still types: %s", got)
	}
	// The end.
	if err := c.End(ctx); err != nil {
		t.Fatal(err)
	}
	refresh(t, c)
	if tr := c.Snapshot(); tr.Ending != Ended || tr.Info.State != "ended" {
		t.Fatalf("after End: %v %q", tr.Ending, tr.Info.State)
	}
	if info := v.get("/info"); !strings.Contains(info, `"state":"ended"`) {
		t.Fatalf("the visitor's chat did not end: %s", info)
	}
}

// Each read asks only for what was added (the next link's from=), and no
// event is kept twice however reads and lines interleave.
func TestFollowReadsIncrementally(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := w.start("")
	w.online(s)
	v := w.visitor("Sales", "Ann", "first")
	c, err := s.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.urls.take()
	var mu sync.Mutex
	reports := 0
	done := make(chan error, 1)
	go func() {
		done <- c.Follow(ctx, func(error) { mu.Lock(); reports++; mu.Unlock() })
	}()
	const n = 12
	for i := range n {
		v.say(fmt.Sprintf("line %d", i))
		if i%3 == 0 {
			if err := c.Send(ctx, fmt.Sprintf("answer %d", i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	v.post("/events", `{"event":{"@type":"state","state":"ended"}}`)
	if err := <-done; err != nil {
		t.Fatalf("Follow ended with %v", err)
	}
	tr := c.Snapshot()
	if tr.Ending != Ended {
		t.Fatalf("Follow returned before the end: %v", tr.Ending)
	}
	seen := map[int]bool{}
	prev := -1
	for _, ev := range tr.Events {
		if seen[ev.ID] || ev.ID <= prev {
			t.Fatalf("event %d twice or out of order in %+v", ev.ID, tr.Events)
		}
		seen[ev.ID], prev = true, ev.ID
	}
	for i := range n {
		if !hasLine(tr, fmt.Sprintf("line %d", i)) {
			t.Fatalf("line %d missing from %q", i, lines(tr))
		}
	}
	mu.Lock()
	if reports == 0 {
		t.Fatal("Follow reported nothing")
	}
	mu.Unlock()
	for _, u := range w.urls.take() {
		if strings.HasPrefix(u, "GET ") && strings.Contains(u, c.Key()) && !strings.Contains(u, "from=") {
			t.Fatalf("a read of the chat did not start from the next link: %s", u)
		}
	}
}

func TestTransferToSkillAndAgent(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s := w.start("")
	w.online(s)
	bruno := w.start("bruno.silva")
	w.online(bruno)
	w.visitor("Sales", "Ann", "skill please")
	w.visitor("Sales", "Bob", "agent please")

	// Bruno hears both too; Alice takes them.
	c1, err := s.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := s.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	skills, err := c1.TransferSkills(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sales := ""
	for _, sk := range skills {
		if sk.Name == "Sales" {
			sales = sk.ID
			if sk.OnlineAgents != 1 {
				t.Fatalf("Sales has %d agents online, want Bruno alone", sk.OnlineAgents)
			}
		}
	}
	if sales == "" {
		t.Fatalf("Sales (Bruno's skill) is not offered: %+v", skills)
	}
	agents, err := c1.TransferAgents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(agents) != 1 || agents[0].Login != "bruno.silva" {
		t.Fatalf("agents to transfer to: %+v (want Bruno only: online, not me)", agents)
	}

	if err := c1.Transfer(ctx, Target{SkillID: sales, Note: "wants a refund"}); err != nil {
		t.Fatal(err)
	}
	if err := c2.Transfer(ctx, Target{AgentID: agents[0].ID}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Chat{c1, c2} {
		if changed, err := c.Refresh(ctx); changed || err != nil || c.Snapshot().Ending != Transferred {
			t.Fatalf("a transferred chat reads on: %v %v %v", changed, err, c.Snapshot().Ending)
		}
	}
	inc, err := bruno.Incoming(ctx)
	if err != nil || inc.Count != 2 {
		t.Fatalf("Bruno's incoming after the transfers: %+v %v", inc, err)
	}
	for _, r := range inc.Requests {
		if !r.Transferred {
			t.Fatalf("request %+v is not marked transferred", r)
		}
	}
	got, err := bruno.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !hasLine(got.Snapshot(), "wants a refund") {
		t.Fatalf("the note did not reach Bruno: %q", lines(got.Snapshot()))
	}
	if err := c1.Transfer(ctx, Target{}); err == nil {
		t.Fatal("a transfer to nowhere was sent")
	}
}
