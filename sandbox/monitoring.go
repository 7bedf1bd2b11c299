package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The monitoring APIs (the smt service): Engagement Attributes report
// what a visitor did (a lead, a service activity, a purchase…) into the
// visit; Visit Information reads the visit back. A visit here is a chat
// visitor's monitored session: the LETagVisitorId and LETagSessionId a
// Start Chat request carried. Both APIs are JSON only, outside the XML
// mapping, and signed.

const (
	eaDocs = "pages/Documents/WebsiteMonitoring/EngagementAttributesAPI/"
	viDocs = "pages/Documents/WebsiteMonitoring/VisitInformationAPI/"
	// visitLifetime: "after at most 6 hours the session expires".
	visitLifetime = 6 * time.Hour
)

// Visit Information's documented internal codes.
const (
	viBadRequest      = 33
	viInvalidVisitor  = 37
	viInvalidSession  = 39
	viSessionNotFound = 12
)

func (s *Server) monitoringAPI() *api {
	const visit = "/monitoring/visitors/{visitorId}/visits/current"
	return &api{name: "Engagement Attributes and Visit Information", service: ServiceMonitoring, auth: authSigned, body: bodyRaw, routes: []route{
		put(visit+"/events", eaDocs+"engagement-attributes.md", s.eaReport).query("sid"),
		get(visit+"/state", viDocs+"visit-information.md", s.viState).query("sid", "filter"),
	}}
}

// engagementAttribute is one reported attribute: its type and the object
// of that name, kept as sent.
type engagementAttribute struct {
	Type string          `json:"type"`
	Time time.Time       `json:"time"`
	Data json.RawMessage `json:"data"`
}

type visit struct {
	VisitorID  string                `json:"visitorId"`
	SessionID  string                `json:"sessionId"`
	Attributes []engagementAttribute `json:"attributes,omitempty"`
}

func visitKey(visitor, sid string) string { return visitor + "\x00" + sid }

// visitOf finds the visit (visitor, sid) among the chats' visitors; the
// chats of that visit come back too, oldest first.
func (st *state) visitOf(visitor, sid string, now time.Time) (*visit, []*chat, *apiError) {
	var ofVisitor, ofSession []*chat
	for _, c := range sortedValues(st.Chats) {
		if c.Details.SharkVisitorID == visitor {
			ofVisitor = append(ofVisitor, c)
			if c.Details.SharkSessionID == sid {
				ofSession = append(ofSession, c)
			}
		}
	}
	switch {
	case len(ofVisitor) == 0:
		return nil, nil, errorf(404, viInvalidVisitor, "Invalid Visitor ID %q", visitor).
			why("a visitor is known once a chat request carried it as LETagVisitorId")
	case len(ofSession) == 0:
		return nil, nil, errorf(404, viInvalidSession, "Invalid Session ID %q", sid).
			why("the session is the LETagSessionId of the visitor's chat request")
	}
	latest := ofSession[0].Started
	for _, c := range ofSession {
		if c.Started.After(latest) {
			latest = c.Started
		}
	}
	if now.Sub(latest) > visitLifetime {
		return nil, nil, errorf(404, viSessionNotFound, "Requested session not found. Check if you are trying to access a session that started more than 6 hours ago")
	}
	v := st.Visits[visitKey(visitor, sid)]
	if v == nil {
		v = &visit{VisitorID: visitor, SessionID: sid}
	}
	return v, ofSession, nil
}

func sidParam(q *apiReq) (string, *apiError) {
	sid, ok := q.param("sid")
	if !ok || sid == "" {
		return "", errorf(400, viBadRequest, "sid is required").why("the visitor's session id (LETagSessionId)")
	}
	return sid, nil
}

// eaReport adds engagement attributes to the visit: a JSON array of
// {"type": T, T: {…}}.
func (s *Server) eaReport(q *apiReq, args []string) (*response, *apiError) {
	sid, e := sidParam(q)
	if e != nil {
		return nil, e
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(q.body, &items); err != nil {
		return nil, errorf(400, wire.CodeMalformedBody, "the body must be a JSON array of engagement attributes").why(err.Error())
	}
	now := s.now().UTC()
	var attrs []engagementAttribute
	for i, it := range items {
		var typ string
		if err := json.Unmarshal(it["type"], &typ); err != nil || typ == "" {
			return nil, errorf(400, wire.CodeValidation, "attribute %d has no \"type\"", i)
		}
		data, ok := it[typ]
		if !ok || len(bytes.TrimSpace(data)) == 0 || data[0] != '{' {
			return nil, errorf(400, wire.CodeValidation, "attribute %d of type %q has no %q object", i, typ, typ)
		}
		attrs = append(attrs, engagementAttribute{Type: typ, Time: now, Data: data})
	}
	e = s.update(func(st *state) *apiError {
		v, _, e := st.visitOf(args[0], sid, now)
		if e != nil {
			return e
		}
		v.Attributes = append(v.Attributes, attrs...)
		st.Visits[visitKey(v.VisitorID, v.SessionID)] = v
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &response{status: http.StatusOK, raw: []byte("{}\n")}, nil // "http status 200 ok and empty json"
}

func (s *Server) viState(q *apiReq, args []string) (*response, *apiError) {
	sid, e := sidParam(q)
	if e != nil {
		return nil, e
	}
	if f, ok := q.param("filter"); ok && f != "agent" {
		return nil, errorf(400, viBadRequest, "filter must be agent, not %q", f)
	}
	var out []byte
	e = s.view(func(st *state) *apiError {
		v, chats, e := st.visitOf(args[0], sid, s.now())
		if e != nil {
			return e
		}
		out, _ = json.Marshal(visitState(v, chats))
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &response{status: http.StatusOK, raw: append(out, '\n')}, nil
}

type jobj = map[string]any

// visitState is the visit in the documented example's shape: the
// engagements are the visit's chats, the page is where the chat started,
// and every reported attribute appears under "events" and in its section
// (leads, serviceActivity, purchases, …).
func visitState(v *visit, chats []*chat) jobj {
	first := chats[0]
	start := first.Started.UnixMilli()
	pageID := "1"
	session := jobj{
		"id": v.SessionID, "startTime": start,
		"ipv4": first.Details.VisitorIP, "userAgent": first.Details.UserAgent,
		"deviceOS": deviceOS(first.Details.UserAgent), "deviceFamily": "DESKTOP",
		"mobileDeviceInfo": jobj{"mobile": false, "detected": true},
		"geo":              jobj{"country": "", "countryCode": "", "state": "", "city": "", "isp": "", "org": ""},
		"searchEngine":     jobj{"searchEngine": "", "keywords": ""},
		"siteControlGroup": "NA", "externalReferrer": "",
		"revActiveVPs": jobj{}, "revAllVPs": jobj{}, "revActiveVBs": jobj{}, "revAllVBs": jobj{}, "revAllOSLs": jobj{},
		"pages": []jobj{{"id": pageID, "url": first.Details.Referrer, "pageTitle": "", "referrer": nil, "startTime": start,
			"timeOnPage": 0, "pageLoaded": true, "revActiveOSLs": jobj{},
			"pageBasic": jobj{"url": first.Details.Referrer, "startTime": start, "referrer": nil, "title": "", "sections": nil}}},
	}
	var engagements []jobj
	for i, c := range chats {
		engagements = append(engagements, jobj{"id": fmt.Sprint(i + 1), "engagement": engagementOf(c, pageID)})
	}
	session["engagements"] = engagements
	var events []jobj
	leads, services := []jobj{}, []jobj{}
	var purchases, viewed, errs []jobj
	for _, a := range v.Attributes {
		var data jobj
		_ = json.Unmarshal(a.Data, &data)
		ts := a.Time.UnixMilli()
		name := a.Type
		if name == "service" {
			name = "serviceActivity" // as Visit Information names it
		}
		events = append(events, jobj{name: jobj{"serverTimeStamp": ts, "contexts": jobj{"page": jobj{"id": pageID}}, name: data}})
		switch a.Type {
		case "lead":
			leads = append(leads, merge(data, jobj{"ticketId": nil, "leadSeqId": fmt.Sprint(len(leads) + 1), "repeatedLeadId": false}))
		case "service":
			services = append(services, merge(data, jobj{"serviceSeqId": fmt.Sprint(len(services) + 1), "repeatedServiceActivity": false}))
		case "purchase":
			purchases = append(purchases, merge(data, jobj{"purchaseSeqId": fmt.Sprint(len(purchases) + 1), "repeatedOrderId": false}))
		case "viewedProduct":
			viewed = append(viewed, data)
		case "visitorError":
			errs = append(errs, data)
		case "cartStatus":
			session["cart"] = jobj{"cartStatus": data, "lastTotalChange": data["total"]}
		case "customerInfo", "personalInfo", "marketingCampaignInfo":
			session[a.Type] = jobj{a.Type: data}
		}
	}
	session["events"] = events
	session["leads"] = leads
	session["serviceActivity"] = services
	for name, list := range map[string][]jobj{"purchases": purchases, "viewedProduct": viewed, "visitorError": errs} {
		if list != nil {
			session[name] = list
		}
	}
	return jobj{"id": v.SessionID, "appSessions": []jobj{session}}
}

// engagementOf is a chat's engagement as the monitoring side sees it.
func engagementOf(c *chat, pageID string) jobj {
	return jobj{"state": 1, "zoneId": 0, "pageId": pageID, "firstFollowMeEngagementContextId": nil, "campaignControl": "TEST",
		"campaignEntity": jobj{"revision": 1, "id": numberOr(c.Details.CampaignID), "goalId": 0, "campaignEventSequence": nil, "activeVPs": jobj{}},
		"engagementEntity": jobj{"revision": 1, "id": numberOr(c.Details.EngagementID), "channel": 1, "type": 6, "isOffsiteEngagement": false,
			"activeVBs": jobj{}, "activeOSLs": jobj{}, "engagementSkill": jobj{"skillName": c.Skill, "skillId": c.SkillID},
			"surveySkills": []any{}, "availabilityPolicy": 0, "renderingType": 0, "conversationType": 0},
		"goalEntity": jobj{"revision": 1, "id": 0, "type": 5, "indicatorType": 5},
	}
}

func numberOr(s string) any {
	var n json.Number
	if json.Unmarshal([]byte(s), &n) == nil {
		return n
	}
	if s == "" {
		return 0
	}
	return s
}

func merge(a, b jobj) jobj {
	out := jobj{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if _, set := out[k]; !set {
			out[k] = v
		}
	}
	return out
}

func deviceOS(ua string) string {
	switch {
	case strings.Contains(ua, "Mac OS X"):
		return "MAC_OSX"
	case strings.Contains(ua, "Windows"):
		return "WINDOWS"
	case strings.Contains(ua, "Linux"):
		return "LINUX"
	}
	return "OTHER"
}
