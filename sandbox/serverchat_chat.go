package sandbox

import (
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The visitor's chat beyond what both sides share (chatside.go): start
// (plain or authenticated), the visitor's name, the transcript.

// visitorChats is the visitor's side of the chats (chatside.go).
func (s *Server) visitorChats() chatSide { return chatSide{s, visitorSide} }

func (s *Server) visitorView(q *apiReq, id string) chatView {
	return chatView{side: visitorSide, url: s.baseFor(q, ServiceServerChat) + "/chat/" + id, now: s.now()}
}

// startChatRequest reads Start Chat's "request" member: the union of every
// documented field (the page's table and example, its older version, the
// Postman collection); others are ignored.
func startChatRequest(q *apiReq) (chatRequest, *apiError) {
	var req chatRequest
	r, e := q.member("request", `{"request": {"skill": "Sales"}}`)
	if e != nil {
		return req, e
	}
	t := fieldReader{root: "request", n: r}
	req.Skill = t.text("skill", 100)
	req.VisitorID = t.text("visitorId", 100)
	req.VisitorName = t.text("visitorName", 100)
	req.Question = t.text("question", 4000)
	req.Participant = t.text("participantId", 100)
	req.Conversation = t.text("conversationId", 200)
	d := &req.Details
	d.UserAgent = t.text("userAgent", 1000)
	d.VisitorIP = t.text("visitorIp", 100)
	d.Referrer = t.text("chatReferrer", 2000)
	if d.Referrer == "" {
		d.Referrer = t.text("chatRefferer", 2000) // Post Offline Survey's spelling
	}
	readVisit(&t, d)
	d.CampaignID = t.text("campaignId", 100)
	d.Language = t.text("language", 20)
	d.InteractionTimeout = t.number("interactionTimeout", 0, 86400)
	t.number("maxWaitTime", 0, 86400)
	if id := t.number("skillId", 0, 1<<31-1); id != 0 && req.Skill == "" {
		req.Skill = "#" + strconv.Itoa(id)
	}
	if lines := r.child("preChatLines"); lines != nil {
		for _, l := range lines.Children {
			if l.Name == "line" && strings.TrimSpace(l.Text) != "" {
				req.PreChatLines = append(req.PreChatLines, l.Text)
			}
		}
	}
	if sv := r.child("survey"); sv != nil {
		d.PreChatSurvey, _ = parseSurveyAnswers(sv)
	}
	if t.err != nil {
		return req, t.err
	}
	if d.UserAgent == "" {
		d.UserAgent = q.r.UserAgent()
	}
	if d.VisitorIP == "" {
		d.VisitorIP, _, _ = net.SplitHostPort(q.r.RemoteAddr)
	}
	return req, nil
}

// readVisit reads the monitored visit a chat request names (Start Chat's
// and conversation.json's alike).
func readVisit(t *fieldReader, d *chatDetails) {
	d.SharkVisitorID = t.text("LETagVisitorId", 200)
	d.SharkSessionID = t.text("LETagSessionId", 200)
	d.SharkContextID = t.text("LETagContextId", 200)
	d.EngagementID = t.text("engagementId", 100)
}

func (s *Server) scStartChat(q *apiReq, _ []string) (*response, *apiError) {
	req, e := startChatRequest(q)
	if e != nil {
		return nil, e
	}
	id, e := updated(s, func(st *state) (string, *apiError) {
		if n, ok := strings.CutPrefix(req.Skill, "#"); ok {
			id, _ := strconv.Atoi(n)
			sk, found := st.Skills.get(id)
			if !found {
				return "", errorf(400, wire.CodeValidation, "skillId %d names no skill", id)
			}
			req.Skill = sk.Name
		}
		return keyOf(st.startChat(s.now().UTC(), req))
	})
	if e != nil {
		return nil, e
	}
	// 201 + Location as the platform creates resources; the page's
	// table says 200 (see the README's choices).
	return &response{status: http.StatusCreated, location: s.visitorView(q, id).url}, nil
}

// scAuthenticateVisitor is Start Chat's visitor authentication request
// (conversation.json): it reserves a chat key for an authenticated
// visitor, returned in the Location; Start Chat with that key as
// conversationId starts the chat.
func (s *Server) scAuthenticateVisitor(q *apiReq, _ []string) (*response, *apiError) {
	t := fieldReader{root: "conversation", n: q.doc}
	conv := &conversation{ParticipantID: newUUID(), SSOKey: t.text("ssoKey", 1000), AuthChatConnID: t.text("authChatConnId", 100),
		Created: s.now().UTC()}
	readVisit(&t, &conv.Details)
	if t.err != nil {
		return nil, t.err
	}
	if conv.SSOKey == "" {
		return nil, errorf(400, wire.CodeValidation, "ssoKey is required").why("it identifies the authenticated visitor")
	}
	e := s.update(func(st *state) *apiError {
		conv.ID = st.newChatKey()
		st.Conversations[conv.ID] = conv
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &response{status: http.StatusCreated, location: s.visitorView(q, conv.ID).url}, nil
}

func (s *Server) scSetVisitorName(q *apiReq, args []string) (*response, *apiError) {
	name, e := q.memberText("visitorName", 100, `{"visitorName": "Natalie"}`)
	if e != nil {
		return nil, e
	}
	if name == "" {
		return nil, errorf(400, wire.CodeValidation, "visitorName is empty")
	}
	return s.visitorChats().change(args, http.StatusCreated, func(_ *state, _ *user, c *chat) *apiError { // the page documents 201
		c.VisitorNm = name
		return nil
	})
}

// scTranscript records a transcript request in the outbox: {"email": …}
// as documented, {"request": {"email": …}} as lpdesk sent it before, and an
// optional subject for the linked transcriptWithSubjectRequest.
func (s *Server) scTranscript(q *apiReq, args []string) (*response, *apiError) {
	src := q.doc
	if r := q.doc.child("request"); r != nil {
		src = r
	}
	t := fieldReader{root: "transcript request", n: src}
	email, subject := t.text("email", 200), t.text("subject", 200)
	if t.err != nil {
		return nil, t.err
	}
	if email == "" {
		return nil, errorf(400, wire.CodeValidation, "email is required").why(`send {"email": "visitor@example.com"}`)
	}
	if !validEmail(email) {
		return nil, errorf(400, wire.CodeValidation, "email %q is not an e-mail address", email)
	}
	return s.visitorChats().change(args, http.StatusOK, func(st *state, _ *user, c *chat) *apiError {
		c.Transcript = email
		st.post(&outboxItem{Kind: outTranscript, Time: s.now().UTC(), ChatID: c.ID, Email: email, Subject: subject, Lines: transcriptLines(c)})
		return nil
	})
}
