package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// try sends c signed with the demo token, for goroutines (no t.Fatal).
func (e *env) try(c call) (int, http.Header, []byte, error) {
	if c.signer == nil {
		cr := e.creds
		c.signer = &cr
	}
	resp, err := e.cl.Do(e.newReq(c))
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

func (e *env) sessionFor(t *testing.T, login string) string {
	t.Helper()
	resp, body := e.api(call{method: "POST", path: e.acct() + "/agentSession?v=1", contentType: "application/json",
		body: `{"loginData": {"userName": "` + login + `"}}`})
	wantStatus(t, resp, body, http.StatusCreated)
	sess := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)
	resp, body = e.api(call{method: "POST", path: sess + "/availability?v=1", body: `{"availability":{"chat":"Online"}}`,
		contentType: "application/json", header: map[string]string{"X-HTTP-Method-Override": "PUT"}})
	wantStatus(t, resp, body, 200)
	return sess
}

// Several visitors and agents at once: every chat is accepted by exactly
// one agent, and every line reaches the other side once, in order.
func TestConcurrentConversations(t *testing.T) {
	e := newEnv(t, nil)
	const visitors, visitorLines, agentLines = 12, 3, 2
	sessions := []string{e.sessionFor(t, "alice.martin"), e.sessionFor(t, "bruno.silva"), e.sessionFor(t, "chloe.dubois")}

	// Errors are collected, never waited on: a broken server must fail the
	// test, not block its goroutines.
	var errMu sync.Mutex
	var errList []error
	fail := func(err error) {
		errMu.Lock()
		defer errMu.Unlock()
		errList = append(errList, err)
	}
	var wg sync.WaitGroup
	chats := make([]string, visitors)
	for i := range visitors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, h, b, err := e.try(call{method: "POST", path: e.acct() + "/chat/request?v=1", contentType: "application/json",
				body: fmt.Sprintf(`{"request": {"visitorName": "visitor %d"}}`, i)})
			if err != nil || st != 201 {
				fail(fmt.Errorf("start chat %d: %d %v %s", i, st, err, b))
				return
			}
			chats[i] = strings.TrimPrefix(h.Get("Location"), e.ts.URL)
			for n := range visitorLines {
				st, _, b, err := e.try(call{method: "POST", path: chats[i] + "/events?v=1", contentType: "application/json",
					body: fmt.Sprintf(`{"event": {"@type": "line", "text": "v%d line %d"}}`, i, n)})
				if err != nil || st != 201 {
					fail(fmt.Errorf("visitor %d line %d: %d %v %s", i, n, st, err, b))
				}
			}
		}()
	}
	wg.Wait()
	accepted := make(chan string, visitors*4*3) // at most every try of every agent
	for _, sess := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range visitors * 4 { // bounded: each agent tries at most this often
				st, h, b, err := e.try(call{method: "POST", path: sess + "/incomingRequests?v=1", contentType: "application/json", body: `{}`})
				if err != nil {
					fail(err)
					return
				}
				if st == 404 {
					return // nothing rings this agent any more
				}
				if st != 201 {
					fail(fmt.Errorf("accept: %d %s", st, b))
					return
				}
				chatPath := strings.TrimPrefix(h.Get("Location"), e.ts.URL)
				accepted <- chatPath[strings.LastIndex(chatPath, "/")+1:]
				for n := range agentLines {
					if st, _, b, err := e.try(call{method: "POST", path: chatPath + "/events?v=1", contentType: "application/json",
						body: fmt.Sprintf(`{"event": {"@type": "line", "text": "a line %d"}}`, n)}); err != nil || st != 201 {
						fail(fmt.Errorf("agent line: %d %v %s", st, err, b))
					}
				}
			}
		}()
	}
	wg.Wait()
	close(accepted)
	for _, err := range errList {
		t.Error(err)
	}
	seen := map[string]int{}
	for k := range accepted {
		seen[k]++
	}
	if len(seen) != visitors {
		t.Fatalf("%d chats accepted, want %d", len(seen), visitors)
	}
	for i, c := range chats {
		key := c[strings.LastIndex(c, "/")+1:]
		if seen[key] != 1 {
			t.Errorf("chat %d accepted %d times", i, seen[key])
		}
		resp, body := e.api(call{path: c + "/events?v=1&from=0"})
		wantStatus(t, resp, body, 200)
		var got struct {
			Events struct {
				Event []struct {
					ID     string `json:"@id"`
					Source string `json:"source"`
					Text   string `json:"text"`
				} `json:"event"`
			} `json:"events"`
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		fromVisitor, fromAgent := 0, 0
		for n, ev := range got.Events.Event {
			if ev.ID != fmt.Sprint(n) {
				t.Fatalf("chat %d: event %d has id %s (ids must count up from 0): %s", i, n, ev.ID, body)
			}
			switch ev.Source {
			case "visitor":
				if ev.Text != fmt.Sprintf("v%d line %d", i, fromVisitor) {
					t.Errorf("chat %d: visitor line %d is %q", i, fromVisitor, ev.Text)
				}
				fromVisitor++
			case "agent":
				fromAgent++
			}
		}
		if fromVisitor != visitorLines || fromAgent != agentLines {
			t.Errorf("chat %d: %d visitor and %d agent lines, want %d and %d", i, fromVisitor, fromAgent, visitorLines, agentLines)
		}
	}
}

// The Chat Agent API takes signed requests only; the Server Chat API also
// takes the documentation's appKey header when the account allows it.
func TestAgentAPIRefusesAppKey(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AllowUnsigned = true })
	appKey := map[string]string{"Authorization": "LivePerson appKey=" + DocsAppKey}
	resp, body := e.do(call{method: "POST", path: e.acct() + "/chat/request?v=1&NC=true", contentType: "application/json",
		body: `{"request": {"skill": "Sales", "interactionTimeout": 40, "engagementId": 27469613, "unknownField": "ignored"}}`, header: appKey})
	wantStatus(t, resp, body, http.StatusCreated)
	resp, body = e.do(call{method: "POST", path: e.acct() + "/agentSession?v=1&NC=true", contentType: "application/json",
		body: `{"loginData": ""}`, header: appKey})
	we := wantError(t, resp, body, 401, wire.CodeMissingAuth, wire.JSON)
	if !strings.Contains(we.Message, "Chat Agent") {
		t.Errorf("the refusal does not name the API: %s", body)
	}
	// appkey, as one page writes it, works in the query too.
	resp, body = e.do(call{path: e.acct() + "/chat/availability?v=1&NC=true&appkey=" + DocsAppKey})
	wantStatus(t, resp, body, 200)
}

// Refusals the pages imply: nothing to accept, a transfer to a skill or an
// agent nobody can take it for, a typing state that does not exist, lines
// to a chat that is not the agent's.
func TestConversationRefusals(t *testing.T) {
	e := newEnv(t, nil)
	a := e.online()
	resp, body := e.api(call{method: "POST", path: a + "/incomingRequests?v=1", contentType: "application/json", body: `{}`})
	wantError(t, resp, body, 404, wire.CodeNotFound, wire.JSON)
	resp, body = e.api(call{method: "POST", path: e.acct() + "/chat/request?v=1", contentType: "application/json", body: `{"request":{"skill":"Sales"}}`})
	wantStatus(t, resp, body, 201)
	visitorChat := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)
	resp, body = e.api(call{method: "POST", path: a + "/incomingRequests?v=1"})
	wantStatus(t, resp, body, 201)
	chat := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)
	put := map[string]string{"X-HTTP-Method-Override": "PUT"}
	for _, tc := range []struct{ path, body string }{
		{"/transfer", `{"transfer": {"skill": {"id": 2}}}`},       // nobody else online for Sales
		{"/transfer", `{"transfer": {"agent": {"id": 3}}}`},       // agent 3 is offline
		{"/transfer", `{"transfer": {"text": "to nobody"}}`},      // neither named
		{"/transfer", `{"transfer": {"skill": {"id": "sales"}}}`}, // not an id
		{"/events", `{"event": {"@type": "line", "text": ""}}`},   // empty line
		{"/events", `{"event": {"@type": "state", "state": "chatting"}}`},
		{"/events", `{"event": {"@type": "line", "text": "x", "textType": "rtf"}}`},
	} {
		resp, body := e.api(call{method: "POST", path: chat + tc.path + "?v=1", contentType: "application/json", body: tc.body})
		wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	}
	resp, body = e.api(call{method: "POST", path: chat + "/info/agentTyping?v=1", contentType: "application/json", body: `{"agentTyping": "maybe"}`, header: put})
	wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	resp, body = e.api(call{method: "POST", path: visitorChat + "/events?v=1", contentType: "application/json", body: `{"line": "hi"}`})
	wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	resp, body = e.api(call{method: "POST", path: visitorChat + "/events?v=1", contentType: "application/json", body: `{"event": {"@type": "line", "text": "hi"`})
	wantError(t, resp, body, 400, wire.CodeMalformedBody, wire.JSON)
	// Another agent's session does not reach the chat.
	other := e.sessionFor(t, "bruno.silva")
	key := chat[strings.LastIndex(chat, "/")+1:]
	resp, body = e.api(call{path: other + "/chat/" + key + "?v=1"})
	wantError(t, resp, body, 404, wire.CodeNotFound, wire.JSON)
}

// Logging out the agent's last session returns its chats to the queue.
func TestLogoutRequeuesChats(t *testing.T) {
	e := newEnv(t, nil)
	a := e.online()
	resp, body := e.api(call{method: "POST", path: e.acct() + "/chat/request?v=1", contentType: "application/json", body: `{"request":{}}`})
	wantStatus(t, resp, body, 201)
	resp, body = e.api(call{method: "POST", path: a + "/incomingRequests?v=1"})
	wantStatus(t, resp, body, 201)
	resp, body = e.api(call{method: "POST", path: a + "?v=1", header: map[string]string{"X-HTTP-Method-Override": "DELETE"}})
	wantStatus(t, resp, body, 200)
	b := e.online()
	resp, body = e.api(call{path: b + "/incomingRequests?v=1"})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), `"ringingCount":"1"`) {
		t.Fatalf("the chat did not return to the queue: %s", body)
	}
}
