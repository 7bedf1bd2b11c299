package conformance

import (
	"encoding/json"
	"fmt"
	"mime"
	"slices"
	"strings"
	"testing"
)

// Where the sandbox answers otherwise than a page, by a choice the README
// lists (the pages contradict each other or themselves there).
var statusChoice = map[string]int{
	// "200 Successful" in the table; 201 + Location like every create
	// (and like the same page's visitor authentication).
	"serverchat/Start Chat (Chat Request)": 201,
	// A GET documented as "201 Created".
	"chatagent/Retrieve Agent's Typing Status":   200,
	"chatagent/Retrieve Visitor's Typing Status": 200,
}

// shapeChoice replaces an example the sandbox deliberately does not follow.
var shapeChoice = map[string]string{
	// The page's example is the all-services list although the URL names
	// one service; the per-service answer is the older page's single
	// object, which public clients read (the list is served at
	// .../service/baseURI.json).
	"domain/Domain API": `{"service": "agentVep", "account": "12345678", "baseURI": "127.0.0.1:1"}`,
}

// analogOf gives the pages without an example the example of the same
// resource on the other side (the README's choice for them).
var analogOf = map[string]string{
	"chatagent/Retrieve Chat Events":            "serverchat/Retrieve Chat Events",
	"chatagent/Retrieve Chat Information":       "serverchat/Retrieve Chat Information",
	"chatagent/Retrieve Visitor's Name":         "serverchat/Retrieve Visitor's Name",
	"chatagent/Retrieve Agent's Typing Status":  "serverchat/Retrieve the Agent's Typing Status",
	"chatagent/Retrieve Agent Survey Structure": "serverchat/Retrieve Exit Survey Structure",
}

// bodyOf gives a request body to the one documented PUT with no example.
var bodyOf = map[string][2]string{
	"chatagent/Submit Survey Data": {`{"survey": {"id": 361350, "question": [{"id": 4991400, "answer": "resolved"}]}}`,
		`<survey><id>361350</id><question><id>4991400</id><answer>resolved</answer></question></survey>`},
}

// optional members: present only for some chats or visits.
var optional = map[string][]string{
	// Only an authenticated visitor's chat has a participantId.
	"serverchat/Retrieve Chat Information":                                   {"participantId"},
	"chatagent/Retrieve Chat Information":                                    {"participantId"},
	"serverchat/Retrieve Chat Resources, Events and Information":             {"participantId"},
	"chatagent/Retrieve Chat Resources, Events and Information":              {"participantId"},
	"chatagent/Retrieve Data for Multiple Chats":                             {"participantId"},
	"visitinfo/Visit Information":                                            visitOptional,
	"chatagent/Send Lines and Structured Content (private line ONLY_TO_REP)": nil,
}

// visitOptional are the Visit Information sections that appear only once
// engagement attributes of their kind were reported for the visit (the
// case reports the documented lead and service activity first).
var visitOptional = []string{"personalInfo", "customerInfo", "cart", "cartStatus", "viewedProduct", "visitorError",
	"marketingCampaignInfo", "purchase", "purchases", "impressionAccepted"}

func key(m docMethod) string { return m.API + "/" + m.title() }

// TestDocumentedMethods sends every documented method's example request,
// as its page prints it, to a real `lpdesk sandbox` process and checks the
// documented status, Location and response shape, in JSON and (where the
// API offers it) XML. Server Chat calls carry the documentation's
// "Authorization: LivePerson appKey=…"; Chat Agent and monitoring calls
// are signed by python3-oauthlib.
func TestDocumentedMethods(t *testing.T) {
	p := startPlatform(t, serviceFlags()...)
	w := newWorld(t, p)
	methods := loadMethods(t)
	byKey := map[string]docMethod{}
	for _, m := range methods {
		byKey[key(m)] = m
	}
	passed, total := 0, 0
	for _, m := range methods {
		for _, f := range formatsOf(m) {
			total++
			name := fmt.Sprintf("%s/%s/%s", m.API, m.title(), f)
			ok := t.Run(name, func(t *testing.T) {
				t.Logf("doc page: https://github.com/LivePersonInc/developer-center/blob/master/%s", m.Doc)
				w.in(t).check(t, m, f, byKey)
			})
			if ok {
				passed++
			}
		}
	}
	t.Logf("documented requests answered as documented: %d of %d (method × format)", passed, total)
}

// serviceFlags places the Chat Agent and monitoring services on listeners
// of their own, as discovery through the Domain API expects.
func serviceFlags() []string {
	return []string{"--service", "agentVep=127.0.0.1:0", "--service", "smt=127.0.0.1:0"}
}

// formatsOf is json, plus xml where the API offers XML and the URL does
// not fix the format by its extension.
func formatsOf(m docMethod) []string {
	out := []string{"json"}
	if slices.Contains(m.Formats, "xml") && !strings.Contains(m.URL, ".json") {
		out = append(out, "xml")
	}
	return out
}

// serviceOf names the Domain API service of an API.
func serviceOf(api string) string {
	switch api {
	case "serverchat":
		return "conversationVep"
	case "chatagent":
		return "agentVep"
	case "engagementattributes", "visitinfo":
		return "smt"
	}
	return ""
}

// target builds the URL of m for this case's fixtures.
func (w *world) target(t *testing.T, m docMethod) (string, []chat) {
	base := w.p.baseOf(serviceOf(m.API))
	var fixtures []chat
	sub := map[string]string{"{accountId}": account, "{accountid}": account, "{account}": account,
		"{agentSessionId}": w.agentA[strings.LastIndex(w.agentA, "/")+1:], "{serviceName}": "agentVep",
		"{visitorId}": docVisitor, "{visitor}": docVisitor}
	switch {
	case strings.HasPrefix(m.URL, "{chat-session-uri}"):
		c := w.startChat(t, true)
		return c.visitor + "?v=1&NC=true", []chat{c}
	case strings.HasPrefix(m.URL, "{agent-session}"):
		a, b := w.startChat(t, true), w.startChat(t, true)
		return w.agentA + "/chat?chatSessionKeys=" + a.key + "," + b.key + "&fromEventIds=0,2&v=1&NC=true", []chat{a, b}
	case strings.Contains(m.URL, "{participantId}"):
		c, pid := w.authenticatedChat(t)
		sub["{participantId}"] = pid
		fixtures = append(fixtures, c)
	case strings.Contains(m.URL, "{chatId}"):
		c := w.startChat(t, m.Name != "Accept a Chat")
		sub["{chatId}"] = c.key
		fixtures = append(fixtures, c)
	case m.Name == "Accept a Chat":
		fixtures = append(fixtures, w.startChat(t, false))
	case m.API == "engagementattributes" || m.API == "visitinfo":
		fixtures = append(fixtures, w.startChat(t, true)) // the visitor and session asked about
	case m.API == "chatagent" && m.Name != "Start Agent Session":
		fixtures = append(fixtures, w.startChat(t, true)) // a chat the agent holds
	}
	path := m.URL[strings.Index(m.URL, "/api/account/"):]
	if m.Example != "" && !strings.Contains(path, "?") {
		q := m.Example[strings.Index(m.Example, "?"):]
		q = q[:strings.Index(q, "sid=")+4] + docSession
		path += q
	}
	path = placeholder.ReplaceAllStringFunc(path, func(ph string) string {
		if v, ok := sub[ph]; ok {
			return v
		}
		t.Fatalf("no value for %s in %s", ph, m.URL)
		return ""
	})
	return base + path, fixtures
}

// requestFor is m's documented request in format f.
func requestFor(m docMethod, f string) (body, ctype string) {
	if b, ok := bodyOf[key(m)]; ok {
		if f == "xml" {
			return b[1], "application/xml"
		}
		return b[0], "application/json"
	}
	if m.Request == nil || m.Request.JSON == nil {
		return "", ""
	}
	if f == "xml" {
		if m.Request.XMLDerived == nil {
			return "", "" // {} has no XML form: no body
		}
		return *m.Request.XMLDerived, "application/xml"
	}
	return cleanJSON(*m.Request.JSON), "application/json"
}

func authOf(api string) auth {
	switch api {
	case "serverchat":
		return appKeyHeader
	case "domain":
		return noAuth
	}
	return signed
}

func (w *world) check(t *testing.T, m docMethod, f string, byKey map[string]docMethod) {
	url, _ := w.target(t, m)
	body, ctype := requestFor(m, f)
	r := request{method: m.WireMethod, url: url, body: body, ctype: ctype, auth: authOf(m.API), accept: "application/" + f}
	if m.Override != nil {
		r.override = *m.Override
	}
	rep := w.p.do(r)
	w.cleanupAfter(t, m, rep)

	want := m.Status
	if s, ok := statusChoice[key(m)]; ok {
		want = s
	}
	if rep.status != want {
		t.Fatalf("%s %s: status %d, the page documents %d; body: %s", r.method, url, rep.status, want, rep.body)
	}
	for _, h := range m.RespHeader {
		if strings.HasPrefix(h, "Location") && rep.header.Get("Location") == "" {
			t.Errorf("no Location header (the page: %s)", h)
		}
	}
	if len(strings.TrimSpace(string(rep.body))) == 0 {
		if exampleOf(m, byKey, f) != "" {
			t.Fatalf("empty body; the page shows a response")
		}
		return
	}
	mt, _, _ := mime.ParseMediaType(rep.header.Get("Content-Type"))
	got, err := parseAs(mt, rep.body)
	if err != nil {
		t.Fatalf("answer is not %s: %v\n%s", mt, err, rep.body)
	}
	if m.API == "engagementattributes" {
		if strings.TrimSpace(string(rep.body)) != "{}" {
			t.Errorf("the page documents an empty JSON answer, got %s", rep.body)
		}
		return
	}
	if mt != "application/"+f && !(f == "xml" && isJSONOnly(m)) {
		t.Errorf("Content-Type %s, asked for %s", mt, f)
	}
	ex := exampleOf(m, byKey, f)
	if ex == "" {
		return
	}
	var doc any
	if f == "xml" && mt == "application/xml" {
		doc, err = xmlTree([]byte(ex))
	} else {
		doc, err = lenientJSON(ex)
	}
	if err != nil {
		t.Fatalf("the page's example does not parse: %v", err)
	}
	opt := map[string]bool{}
	for _, o := range optional[key(m)] {
		opt[o] = true
	}
	if diff := shapeDiff("", doc, got, opt); len(diff) > 0 {
		t.Errorf("the answer lacks the documented shape:\n  %s\nanswer: %.3000s", strings.Join(diff, "\n  "), rep.body)
	}
}

func isJSONOnly(m docMethod) bool { return !slices.Contains(m.Formats, "xml") }

// exampleOf is the response example a case is compared with.
func exampleOf(m docMethod, byKey map[string]docMethod, f string) string {
	if s, ok := shapeChoice[key(m)]; ok {
		if f == "xml" {
			return ""
		}
		return s
	}
	src := m
	if a, ok := analogOf[key(m)]; ok {
		src = byKey[a]
	}
	if src.Response == nil {
		return ""
	}
	if f == "xml" {
		if src.Response.XMLDerived != nil {
			return *src.Response.XMLDerived
		}
		return ""
	}
	if src.Response.JSON != nil {
		return *src.Response.JSON
	}
	return ""
}

func parseAs(mediaType string, body []byte) (any, error) {
	if mediaType == "application/xml" {
		return xmlTree(body)
	}
	var v any
	err := json.Unmarshal(body, &v)
	return v, err
}

// cleanupAfter undoes what a case created besides its fixtures.
func (w *world) cleanupAfter(t *testing.T, m docMethod, rep reply) {
	loc := rep.header.Get("Location")
	switch {
	case m.Name == "Start Chat" && m.Variant != nil && *m.Variant == "Chat Request" && loc != "":
		t.Cleanup(func() { w.end(chat{key: loc[strings.LastIndex(loc, "/")+1:], visitor: loc}) })
	case m.Name == "Start Agent Session" && loc != "":
		t.Cleanup(func() { w.p.do(request{method: "POST", override: "DELETE", url: loc + "?v=1", auth: signed}) })
	}
}
