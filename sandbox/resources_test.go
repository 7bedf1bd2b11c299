package sandbox

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
)

func decodeJSON(t testing.TB, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("json: %v: %s", err, body)
	}
	return m
}

func obj(t testing.TB, v any, key string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not an object: %v", v)
	}
	o, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("%q is not an object in %v", key, m)
	}
	return o
}

func TestAccountBaseLinks(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.api(call{path: e.acct() + "?v=1"})
	wantStatus(t, resp, body, 200)
	acct := obj(t, decodeJSON(t, body), "account")
	if acct["@id"] != "12345678" {
		t.Fatalf("id %v", acct["@id"])
	}
	links, ok := acct["link"].([]any)
	if !ok || len(links) < 8 {
		t.Fatalf("links %v", acct["link"])
	}
	rels := map[string]string{}
	for _, l := range links {
		m := l.(map[string]any)
		rels[m["@rel"].(string)] = m["@href"].(string)
	}
	for _, rel := range []string{"self", "chat-availability", "chat-estimatedWaitTime", "chat-available-slots", "chat-request", "agent-session", "skills", "users"} {
		if !strings.HasPrefix(rels[rel], e.ts.URL+e.acct()) {
			t.Errorf("rel %s: %q", rel, rels[rel])
		}
	}
	// XML: the same links as attributes. Behind a TLS proxy
	// (X-Forwarded-Proto) links are https — and so is the URL a client
	// signs, hence an unsigned call here.
	e.srv.SetAllowUnsigned(true)
	resp, body = e.do(call{path: e.acct() + ".xml?v=1&appKey=" + assets.DemoConsumerKey, header: map[string]string{"X-Forwarded-Proto": "https"}})
	wantStatus(t, resp, body, 200)
	var x struct {
		ID    string `xml:"id,attr"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
	}
	if err := xml.Unmarshal(body, &x); err != nil || x.ID != "12345678" || len(x.Links) != len(links) {
		t.Fatalf("xml %v %+v: %s", err, x, body)
	}
	if !strings.HasPrefix(x.Links[0].Href, "https://") {
		t.Fatalf("X-Forwarded-Proto ignored: %s", x.Links[0].Href)
	}
}

// online starts an agent session as the account's first user (every
// staffed skill, unlimited chats) and sets it Online; it returns the
// session's path.
func (e *env) online() string {
	e.t.Helper()
	resp, body := e.api(call{method: "POST", path: e.acct() + "/agentSession?v=1&NC=true", body: `{"loginData": ""}`, contentType: "application/json"})
	wantStatus(e.t, resp, body, http.StatusCreated)
	sess := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)
	resp, body = e.api(call{method: "POST", path: sess + "/availability?v=1", body: `{"availability":{"chat":"Online"}}`,
		contentType: "application/json", header: map[string]string{"X-HTTP-Method-Override": "PUT"}})
	wantStatus(e.t, resp, body, 200)
	return sess
}

// Availability counts agents who are Online (documented); before this
// change it counted users assigned to the skill, online or not.
func TestChatAvailabilityResources(t *testing.T) {
	e := newEnv(t, nil)
	get := func(q string) string {
		t.Helper()
		resp, body := e.api(call{path: e.acct() + q})
		wantStatus(t, resp, body, 200)
		return strings.TrimSpace(string(body))
	}
	if got := get("/chat/availability?v=1&skill=Support"); got != `{"availability":false}` {
		t.Errorf("no agent online: %s", got)
	}
	if got := get("/chat/estimatedWaitTime?v=1&skill=Support"); got != `{"estimatedWaitTime":-1}` {
		t.Errorf("estimatedWaitTime with no agent online: %s", got)
	}
	e.online()
	if got := get("/chat/availability?v=1&NC=true&skill=Support"); got != `{"availability":true}` {
		t.Errorf("Support: %s", got)
	}
	if got := get("/chat/availability?v=1&skill=Night%20Shift"); got != `{"availability":false}` {
		t.Errorf("Night Shift: %s", got)
	}
	if got := get("/chat/availability?v=1&skill=Support&maxWaitTime=0"); got != `{"availability":true}` {
		t.Errorf("maxWaitTime=0 with a free agent: %s", got)
	}
	if got := get("/chat/availability.xml?v=1&skill=Support&serviceQueue=q&maxWaitTime=86400"); !strings.HasSuffix(got, "<availability>true</availability>") {
		t.Errorf("xml: %s", got)
	}
	for _, bad := range []string{"&maxWaitTime=86401", "&maxWaitTime=-1", "&maxWaitTime=ten", "&serviceQueue=q", "&agent=a&skill=Support"} {
		resp, body := e.api(call{path: e.acct() + "/chat/availability?v=1" + bad})
		wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	}
	if got := get("/chat/estimatedWaitTime?v=1&skill=Night%20Shift"); got != `{"estimatedWaitTime":-1}` {
		t.Errorf("estimatedWaitTime: %s", got)
	}
	if got := get("/chat/estimatedWaitTime.xml?v=1&skill=Support"); !strings.HasSuffix(got, "<estimatedWaitTime>0</estimatedWaitTime>") {
		t.Errorf("estimatedWaitTime xml: %s", got)
	}
	// The first user takes unlimited chats: -1, a number as documented.
	if got := get("/chat/availableSlots?v=1&skill=Support"); got != `{"availableSlots":-1}` {
		t.Errorf("availableSlots: %s", got)
	}
}

// The visitor's side meets an agent: lines flow both ways. Before this
// change a canned agent answered every visitor line, events counted from 1,
// and the transcript request answered 201 with a body.
func TestChatLifecycle(t *testing.T) {
	e := newEnv(t, nil)
	sess := e.online()
	resp, body := e.api(call{method: "POST", path: e.acct() + "/chat/request?v=1", body: `{"request":{"skill":"Support","visitorId":"v-1"}}`, contentType: "application/json"})
	wantStatus(t, resp, body, http.StatusCreated)
	chatURL := resp.Header.Get("Location")
	if !strings.HasPrefix(chatURL, e.ts.URL+e.acct()+"/chat/H") {
		t.Fatalf("Location %q", chatURL)
	}
	chatPath := strings.TrimPrefix(chatURL, e.ts.URL)
	// XML request body too.
	resp, body = e.api(call{method: "POST", path: e.acct() + "/chat/request?v=1", body: `<request><skill>Sales</skill></request>`, contentType: "application/xml"})
	wantStatus(t, resp, body, http.StatusCreated)
	resp, body = e.api(call{method: "POST", path: e.acct() + "/chat/request?v=1", body: `{"request":{"skill":"NoSuchSkill"}}`, contentType: "application/json"})
	wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)

	resp, body = e.api(call{path: chatPath + "?v=1"})
	wantStatus(t, resp, body, 200)
	for _, rel := range []string{`"self"`, `"events"`, `"info"`, `"next"`, `"transcript-request"`, `"exit-survey"`} {
		if !strings.Contains(string(body), `"@rel":`+rel) {
			t.Errorf("chat lacks %s: %s", rel, body)
		}
	}
	// From event 1 on there is exactly one event: an object, not an array.
	resp, body = e.api(call{path: chatPath + "/events?v=1&from=1"})
	wantStatus(t, resp, body, 200)
	evs := obj(t, decodeJSON(t, body), "events")
	ev, isObj := evs["event"].(map[string]any)
	if !isObj || ev["@id"] != "1" || ev["@type"] != "line" || ev["systemMessageId"] != "4" {
		t.Fatalf("single event: %s", body)
	}
	next := ""
	for _, l := range evs["link"].([]any) {
		if m := l.(map[string]any); m["@rel"] == "next" {
			next = m["@href"].(string)
		}
	}
	if !strings.HasSuffix(next, "/events?from=2") {
		t.Fatalf("next link %q", next)
	}
	// The visitor's line (JSON mapping: "@type").
	resp, body = e.api(call{method: "POST", path: chatPath + "/events?v=1", body: `{"event":{"@type":"line","text":"hi & <bye>"}}`, contentType: "application/json"})
	wantStatus(t, resp, body, http.StatusCreated)
	if !strings.HasSuffix(resp.Header.Get("Location"), "/events/2") {
		t.Errorf("Location of the event: %q", resp.Header.Get("Location"))
	}
	// The agent accepts and answers.
	resp, body = e.api(call{method: "POST", path: sess + "/incomingRequests?v=1", body: `{}`, contentType: "application/json"})
	wantStatus(t, resp, body, http.StatusCreated)
	agentChat := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)
	if !strings.HasSuffix(agentChat, strings.TrimPrefix(chatPath, e.acct()+"/chat")) {
		t.Fatalf("accepted %q, want the chat %q (the oldest waiting)", agentChat, chatPath)
	}
	resp, body = e.api(call{method: "POST", path: agentChat + "/events?v=1", body: `{"event":{"@type":"line","text":"Hello, how can I help?"}}`, contentType: "application/json"})
	wantStatus(t, resp, body, http.StatusCreated)
	// Poll the next link: the visitor's line, the agent joining, the answer as HTML.
	u, _ := url.Parse(next)
	resp, body = e.api(call{path: u.Path + ".xml?" + u.RawQuery + "&v=1"})
	wantStatus(t, resp, body, 200)
	for _, want := range []string{"<text>hi &amp; &lt;bye&gt;</text>", "<state>chatting</state>", "source>agent<", "Hello, how can I help?&lt;/div&gt;"} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("events after posting lack %q: %s", want, body)
		}
	}
	// End the chat in XML; further lines conflict.
	resp, body = e.api(call{method: "POST", path: chatPath + "/events?v=1", body: `<event type="state"><state>ended</state></event>`, contentType: "application/xml"})
	wantStatus(t, resp, body, http.StatusCreated)
	resp, body = e.api(call{method: "POST", path: chatPath + "/events?v=1", body: `{"event":{"@type":"line","text":"late"}}`, contentType: "application/json"})
	wantError(t, resp, body, 409, wire.CodeConflict, wire.JSON)
	resp, body = e.api(call{path: chatPath + "/info?v=1"})
	wantStatus(t, resp, body, 200)
	if info := obj(t, decodeJSON(t, body), "info"); info["state"] != "ended" || info["skillName"] != "Support" {
		t.Fatalf("info %s", body)
	}
	resp, body = e.api(call{method: "POST", path: chatPath + "/transcriptRequest?v=1", body: `{"email":"visitor@example.com"}`,
		contentType: "application/json", header: map[string]string{"X-HTTP-Method-Override": "PUT"}})
	wantStatus(t, resp, body, http.StatusOK)
	resp, body = e.api(call{path: e.acct() + "/chat/H000?v=1"})
	wantError(t, resp, body, 404, wire.CodeNotFound, wire.JSON)
	resp, body = e.api(call{method: "POST", path: chatPath + "/events?v=1", body: `{"event":{"text":"no type"}}`, contentType: "application/json"})
	wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
}

// Before this change incomingRequests had no accept link and counted every
// waiting chat for any Online session.
func TestAgentSession(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.api(call{method: "POST", path: e.acct() + "/agentSession?v=1"})
	wantStatus(t, resp, body, http.StatusCreated)
	loc := obj(t, obj(t, decodeJSON(t, body), "agentSessionLocation"), "link")
	if loc["@rel"] != "location" || loc["@href"] != resp.Header.Get("Location") {
		t.Fatalf("agentSessionLocation %s / %q", body, resp.Header.Get("Location"))
	}
	sess := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)
	resp, body = e.api(call{path: sess + "/availability?v=1"})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), `"chat":"Offline"`) {
		t.Fatalf("availability %s", body)
	}
	put := map[string]string{"X-HTTP-Method-Override": "PUT"}
	resp, body = e.api(call{method: "POST", path: sess + "/availability?v=1", body: `{"availability":{"chat":"Online"}}`, contentType: "application/json", header: put})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), `"chat":"Online"`) {
		t.Fatalf("after PUT %s", body)
	}
	resp, body = e.api(call{method: "POST", path: sess + "/availability?v=1", body: `{"availability":{"chat":"online"}}`, contentType: "application/json", header: put})
	wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	// A waiting chat rings; the count arrives as a string, with the link
	// to accept it.
	resp, body = e.api(call{method: "POST", path: e.acct() + "/chat/request?v=1", body: `{"request":{"skill":"Support"}}`, contentType: "application/json"})
	wantStatus(t, resp, body, http.StatusCreated)
	resp, body = e.api(call{path: sess + "/incomingRequests?v=1"})
	wantStatus(t, resp, body, 200)
	inc := obj(t, decodeJSON(t, body), "incomingRequests")
	link := obj(t, inc, "link")
	if inc["ringingCount"] != "1" || link["@rel"] != "accept" || link["@href"] != e.ts.URL+sess+"/incomingRequests" {
		t.Fatalf("incomingRequests %s", body)
	}
	// Beyond the page: who waits, for what, since when (one request: an
	// object, by the one-item rule).
	req := obj(t, inc, "request")
	if req["skillName"] != "Support" || req["visitorName"] != "visitor" || req["chatSessionKey"] == "" || req["waitingSince"] == "" {
		t.Fatalf("the ringing request is not described: %s", body)
	}
	resp, body = e.api(call{path: sess + "/chatSessions?v=1"})
	wantStatus(t, resp, body, 200)
	resp, body = e.api(call{method: "POST", path: sess + "?v=1", header: map[string]string{"X-HTTP-Method-Override": "DELETE"}})
	wantStatus(t, resp, body, 200)
	resp, body = e.api(call{path: sess + "?v=1"})
	wantError(t, resp, body, 404, wire.CodeNotFound, wire.JSON)
}

func TestSkillsCRUD(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.api(call{method: "POST", path: e.acct() + "/skills?v=1", body: `{"skill":{"name":"Warranty Claims","description":"Broken things","maxWaitTime":"90"}}`, contentType: "application/json"})
	wantStatus(t, resp, body, http.StatusCreated)
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, e.ts.URL+e.acct()+"/skills/") || resp.Header.Get("ETag") != `"1"` {
		t.Fatalf("Location %q ETag %q", loc, resp.Header.Get("ETag"))
	}
	path := strings.TrimPrefix(loc, e.ts.URL)
	resp, body = e.api(call{path: path + "?v=1"})
	wantStatus(t, resp, body, 200)
	if resp.Header.Get("ETag") != `"1"` || !strings.Contains(string(body), `"name":"Warranty Claims"`) {
		t.Fatalf("read: %q %s", resp.Header.Get("ETag"), body)
	}
	put := func(ifMatch, body string) (*http.Response, []byte) {
		h := map[string]string{"X-HTTP-Method-Override": "PUT"}
		if ifMatch != "" {
			h["If-Match"] = ifMatch
		}
		return e.api(call{method: "POST", path: path + "?v=1", body: body, contentType: "application/json", header: h})
	}
	resp, body = put(`"1"`, `{"skill":{"name":"Warranty Claims","maxWaitTime":30}}`)
	wantStatus(t, resp, body, 200)
	if resp.Header.Get("ETag") != `"2"` {
		t.Fatalf("ETag after update %q", resp.Header.Get("ETag"))
	}
	resp, body = put(`"1"`, `{"skill":{"name":"Stale"}}`)
	wantError(t, resp, body, 412, wire.CodePreconditionFailed, wire.JSON)
	resp, body = put("", `{"skill":{"name":"Warranty Claims v3"}}`) // no If-Match: allowed
	wantStatus(t, resp, body, 200)
	resp, body = put(`"3"`, `{"skill":{"name":"Support"}}`)
	wantError(t, resp, body, 409, wire.CodeConflict, wire.JSON)
	resp, body = put(`"3"`, `{"skill":{"description":"no name"}}`)
	wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	resp, body = put(`"3"`, `{"skill":{"name":"x","maxWaitTime":-5}}`)
	wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	// XML update.
	resp, body = e.api(call{method: "POST", path: path + ".xml?v=1", body: `<skill><name>Warranty &amp; Repairs</name></skill>`,
		contentType: "application/xml", header: map[string]string{"X-HTTP-Method-Override": "PUT", "If-Match": `"3"`}})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), "<name>Warranty &amp; Repairs</name>") {
		t.Fatalf("xml update %s", body)
	}
	del := func(ifMatch string) (*http.Response, []byte) {
		h := map[string]string{"X-HTTP-Method-Override": "DELETE"}
		if ifMatch != "" {
			h["If-Match"] = ifMatch
		}
		return e.api(call{method: "POST", path: path + "?v=1", header: h})
	}
	resp, body = del(`"1"`)
	wantError(t, resp, body, 412, wire.CodePreconditionFailed, wire.JSON)
	resp, body = del(`"4"`)
	wantStatus(t, resp, body, 200)
	resp, body = e.api(call{path: path + "?v=1"})
	wantError(t, resp, body, 404, wire.CodeNotFound, wire.JSON)
	// A seeded skill with agents cannot be deleted.
	resp, body = e.api(call{method: "POST", path: e.acct() + "/skills/1?v=1", header: map[string]string{"X-HTTP-Method-Override": "DELETE"}})
	wantError(t, resp, body, 409, wire.CodeConflict, wire.JSON)
	// Validation of a create.
	resp, body = e.api(call{method: "POST", path: e.acct() + "/skills?v=1", body: `{"user":{"name":"x"}}`, contentType: "application/json"})
	wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	resp, body = e.api(call{method: "POST", path: e.acct() + "/skills?v=1"})
	wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
}

func TestUsersCRUDAndPaging(t *testing.T) {
	e := newEnv(t, nil)
	resp, body := e.api(call{path: e.acct() + "/users?v=1&limit=10&offset=5"})
	wantStatus(t, resp, body, 200)
	users := obj(t, decodeJSON(t, body), "users")
	if users["@count"] != "250" || len(users["user"].([]any)) != 10 {
		t.Fatalf("page: count %v, %d users", users["@count"], len(users["user"].([]any)))
	}
	if !strings.Contains(string(body), `"@rel":"next","@href":"`+e.ts.URL+e.acct()+`/users?offset=15&limit=10"`) {
		t.Fatalf("no next link: %s", body[:400])
	}
	resp, body = e.api(call{path: e.acct() + "/users?v=1&limit=0"})
	wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	resp, body = e.api(call{path: e.acct() + "/skills?v=1"})
	wantStatus(t, resp, body, 200)
	if sk := obj(t, decodeJSON(t, body), "skills"); sk["@count"] != "150" || len(sk["skill"].([]any)) != 150 {
		t.Fatalf("skills count %v", sk["@count"])
	}

	// One skill id arrives as an object member, not an array.
	resp, body = e.api(call{method: "POST", path: e.acct() + "/users?v=1", contentType: "application/json",
		body: `{"user":{"loginName":"new.agent","fullName":"Névé Agent","email":"new.agent@example.com","skillIds":{"skillId":"2"}}}`})
	wantStatus(t, resp, body, http.StatusCreated)
	u := obj(t, decodeJSON(t, body), "user")
	if ids := u["skillIds"].(map[string]any); ids["skillId"] != "2" || u["permission"] != "Agent" || u["fullName"] != "Névé Agent" {
		t.Fatalf("created user %s", body)
	}
	path := strings.TrimPrefix(resp.Header.Get("Location"), e.ts.URL)
	// Update in XML with two skill ids; If-Match honoured.
	resp, body = e.api(call{method: "POST", path: path + ".xml?v=1", contentType: "application/xml",
		header: map[string]string{"X-HTTP-Method-Override": "PUT", "If-Match": `"1"`},
		body:   `<user><loginName>new.agent</loginName><skillIds><skillId>2</skillId><skillId>3</skillId></skillIds></user>`})
	wantStatus(t, resp, body, 200)
	if !strings.Contains(string(body), "<skillIds><skillId>2</skillId><skillId>3</skillId></skillIds>") {
		t.Fatalf("xml update %s", body)
	}
	for _, bad := range []string{
		`{"user":{"loginName":"has space"}}`,
		`{"user":{"loginName":"x","email":"not-an-email"}}`,
		`{"user":{"loginName":"x","permission":"agent"}}`,
		`{"user":{"loginName":"x","skillIds":{"skillId":"999999"}}}`,
	} {
		resp, body = e.api(call{method: "POST", path: e.acct() + "/users?v=1", body: bad, contentType: "application/json"})
		wantError(t, resp, body, 400, wire.CodeValidation, wire.JSON)
	}
	resp, body = e.api(call{method: "POST", path: e.acct() + "/users?v=1", body: `{"user":{"loginName":"new.agent"}}`, contentType: "application/json"})
	wantError(t, resp, body, 409, wire.CodeConflict, wire.JSON)
	resp, body = e.api(call{method: "POST", path: path + "?v=1", header: map[string]string{"X-HTTP-Method-Override": "DELETE", "If-Match": `"2"`}})
	wantStatus(t, resp, body, 200)
	resp, body = e.api(call{path: e.acct() + "/users/abc?v=1"})
	wantError(t, resp, body, 404, wire.CodeNotFound, wire.JSON)
}

func TestScaleSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("large seed")
	}
	e := newEnv(t, func(c *Config) { c.SeedRecords = 100_000 })
	// Rendering 20 MB under -race on a busy 2-core machine is slow; this
	// test is about size and paging, not speed (bench/ measures that).
	e.cl.Timeout = 5 * time.Minute
	resp, body := e.api(call{path: e.acct() + "/users?v=1"})
	wantStatus(t, resp, body, 200)
	if n := len(body); n < 15<<20 || n > 30<<20 {
		t.Fatalf("users collection is %d bytes, want about 20 MB", n)
	}
	resp, body = e.api(call{path: e.acct() + "/users?v=1&offset=62490&limit=20"})
	wantStatus(t, resp, body, 200)
	users := obj(t, decodeJSON(t, body), "users")
	if users["@count"] != "62500" || len(users["user"].([]any)) != 10 {
		t.Fatalf("last page: %v users of %v", len(users["user"].([]any)), users["@count"])
	}
}
