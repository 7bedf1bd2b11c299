package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// One conversation model serves both sides: a chat started through the
// Server Chat API (the visitor) is the same record an agent session rings
// with, accepts and answers through the Chat Agent API. Its id, the
// chatSessionKey, is the chat id on both sides. Every method here runs on
// the locked state (Server.update or Server.view).

// chatState is where a chat is in its life.
type chatState string

const (
	chatWaiting  chatState = "waiting" // in the queue, ringing eligible agents
	chatChatting chatState = "chatting"
	chatEnded    chatState = "ended" // kept, readable, no more lines (up to maxEndedChats)
)

// availability is an agent session's chat (or voice) state.
type availability string

const (
	agentOnline   availability = "Online"   // takes new chats
	agentOccupied availability = "Occupied" // takes transferred chats only
	agentAway     availability = "Away"     // takes none
	agentOffline  availability = "Offline"  // a new session's state
)

var availabilities = []availability{agentOnline, agentOccupied, agentAway, agentOffline}

// eventType and eventSource are the documented event vocabulary.
type (
	eventType   string
	eventSource string
)

const (
	eventLine  eventType = "line"
	eventState eventType = "state"

	fromSystem  eventSource = "system"
	fromAgent   eventSource = "agent"
	fromVisitor eventSource = "visitor"
)

// Line subtypes: ONLY_TO_REP lines are for agents only.
const (
	subRegular   = "REGULAR"
	subOnlyToRep = "ONLY_TO_REP"
)

// System message ids (ChatAgentAPI/system-messages.md).
const (
	sysAcceptsChat       = 3
	sysRouting           = 4
	sysRequeued          = 23
	sysTransferredAgent  = 13
	sysTransferredSkill  = 15
	defaultChatTimeout   = 40
	firstRTSessionID     = 4294967296
	firstVisitorIDNumber = 1214701440000000
)

type chatEvent struct {
	ID       int         `json:"id"`
	Type     eventType   `json:"type"`
	Time     time.Time   `json:"time"`
	Text     string      `json:"text,omitempty"`
	State    chatState   `json:"state,omitempty"`
	By       string      `json:"by,omitempty"` // "" on a visitor line: the visitor's name when read
	Source   eventSource `json:"source,omitempty"`
	TextType string      `json:"textType,omitempty"`
	SystemID int         `json:"systemMessageId,omitempty"`
	SubType  string      `json:"subType,omitempty"`
	// AgentOnly hides the event from the visitor: ONLY_TO_REP lines,
	// pre-chat lines, a transfer's note to the receiving agent.
	AgentOnly bool `json:"agentOnly,omitempty"`
}

// chatDetails are the documented Start Chat fields kept for the chat's
// info and the agent.
type chatDetails struct {
	UserAgent          string   `json:"userAgent,omitempty"`
	VisitorIP          string   `json:"visitorIp,omitempty"`
	Referrer           string   `json:"referrer,omitempty"`
	SharkVisitorID     string   `json:"sharkVisitorId,omitempty"` // LETagVisitorId
	SharkSessionID     string   `json:"sharkSessionId,omitempty"` // LETagSessionId
	SharkContextID     string   `json:"sharkContextId,omitempty"` // LETagContextId
	EngagementID       string   `json:"engagementId,omitempty"`
	CampaignID         string   `json:"campaignId,omitempty"`
	Language           string   `json:"language,omitempty"`
	InteractionTimeout int      `json:"interactionTimeout,omitempty"`
	PreChatSurvey      []answer `json:"preChatSurvey,omitempty"`
}

type chat struct {
	ID            string      `json:"id"` // the chatSessionKey
	Skill         string      `json:"skill,omitempty"`
	SkillID       int         `json:"skillId,omitempty"`
	VisitorID     string      `json:"visitorId,omitempty"`
	VisitorNm     string      `json:"visitorName,omitempty"`
	State         chatState   `json:"state"`
	Agent         string      `json:"agent,omitempty"` // the holding agent's nickname
	AgentID       int         `json:"agentId,omitempty"`
	Started       time.Time   `json:"started"`
	LastUpdate    time.Time   `json:"lastUpdate"`
	WaitingSince  time.Time   `json:"waitingSince,omitzero"`
	Events        []chatEvent `json:"events"`
	Transcript    string      `json:"transcriptEmail,omitempty"`
	VisitorTyping string      `json:"visitorTyping,omitempty"`
	AgentTyping   string      `json:"agentTyping,omitempty"`
	// A waiting chat rings TargetAgent only when set (a transfer to an
	// agent), never ExcludeAgent (who transferred it away), and agents who
	// are Occupied too when Transferred.
	TargetAgent   int         `json:"targetAgent,omitempty"`
	ExcludeAgent  int         `json:"excludeAgent,omitempty"`
	Transferred   bool        `json:"transferred,omitempty"`
	RTSessionID   int64       `json:"rtSessionId,omitempty"`
	ParticipantID string      `json:"participantId,omitempty"`
	Details       chatDetails `json:"details,omitzero"`
	ExitSurvey    []answer    `json:"exitSurvey,omitempty"`
	AgentSurvey   []answer    `json:"agentSurvey,omitempty"`
}

// agentSession is one login of an agent (a user) through the Chat Agent
// API. Several sessions of one user share that user's chats.
type agentSession struct {
	ID        string       `json:"id"`
	UserID    int          `json:"userId,omitempty"`
	LoginName string       `json:"loginName"`
	Chat      availability `json:"chat"`
	Voice     availability `json:"voice"`
	Created   time.Time    `json:"created"`
}

// newChatKey makes a chatSessionKey shaped like the platform's
// (H…-…K…), unique by its counter.
func (st *state) newChatKey() string {
	n := st.NextChat
	st.NextChat++
	return fmt.Sprintf("H%019d-%sK%d", mrand.Uint64()/2, randomHex(16), 8388800+n)
}

// visitID is the chat key without its middle part: the platform's visit id.
func visitID(key string) string {
	dash, k := -1, -1
	for i, r := range key {
		switch {
		case r == '-' && dash < 0:
			dash = i
		case r == 'K':
			k = i
		}
	}
	if dash < 0 || k < dash {
		return key
	}
	return key[:dash] + key[k:]
}

func (c *chat) nextEventID() int {
	if len(c.Events) == 0 {
		return 0
	}
	return c.Events[len(c.Events)-1].ID + 1
}

// add appends ev with the next id and returns it.
func (c *chat) add(ev chatEvent) chatEvent {
	ev.ID = c.nextEventID()
	if ev.Type == eventLine && ev.SubType == "" {
		ev.SubType = subRegular
	}
	c.Events = append(c.Events, ev)
	c.LastUpdate = ev.Time
	return ev
}

func (c *chat) system(now time.Time, id int, text string) {
	c.add(chatEvent{Type: eventLine, Time: now, TextType: "plain", Text: text, By: "info", Source: fromSystem, SystemID: id})
}

func (c *chat) setState(now time.Time, s chatState) chatEvent {
	c.State = s
	if s == chatWaiting {
		c.WaitingSince = now
	}
	return c.add(chatEvent{Type: eventState, Time: now, State: s})
}

// chatRequest is what a visitor asks for when starting a chat.
type chatRequest struct {
	Skill        string
	VisitorID    string
	VisitorName  string
	Question     string
	PreChatLines []string
	Participant  string // participantId of an authenticated visitor
	Conversation string // the chat key conversation.json reserved
	Details      chatDetails
}

// maxEndedChats bounds the ended chats kept readable. Without a bound a
// sandbox left running (a load test, a demo on a kiosk) would keep every
// chat it ever had, and its memory would only grow; past the bound the
// chats that ended first are forgotten (404 from then on), as a platform
// archives old chats.
const maxEndedChats = 1000

// forgetEndedChats applies maxEndedChats. It counts on every new chat but
// forgets in batches of a tenth of the bound, so its sort is paid once per
// hundred chats ended, not per chat.
func (st *state) forgetEndedChats() {
	var ended []*chat
	for _, c := range st.Chats {
		if c.State == chatEnded {
			ended = append(ended, c)
		}
	}
	if len(ended) <= maxEndedChats+maxEndedChats/10 {
		return
	}
	slices.SortFunc(ended, func(a, b *chat) int { return a.LastUpdate.Compare(b.LastUpdate) })
	for _, c := range ended[:len(ended)-maxEndedChats] {
		delete(st.Chats, c.ID)
	}
}

// startChat queues a new chat.
func (st *state) startChat(now time.Time, req chatRequest) (*chat, *apiError) {
	st.forgetEndedChats()
	c := &chat{Started: now, VisitorID: req.VisitorID, VisitorNm: req.VisitorName, Details: req.Details,
		VisitorTyping: "not-typing", AgentTyping: "not-typing"}
	if req.Skill != "" {
		sk := st.skillByName(req.Skill)
		if sk == nil {
			return nil, errorf(400, wire.CodeValidation, "unknown skill %q", req.Skill).why("skill names are case-sensitive; GET skills lists them")
		}
		c.Skill, c.SkillID = sk.Name, sk.ID
	}
	if req.Conversation != "" {
		conv := st.Conversations[req.Conversation]
		if conv == nil || (req.Participant != "" && conv.ParticipantID != req.Participant) {
			return nil, errorf(400, wire.CodeValidation, "conversationId %q with participantId %q names no authenticated conversation", req.Conversation, req.Participant).
				why("POST conversation.json first and pass the chat key of its Location as conversationId")
		}
		if st.Chats[req.Conversation] != nil {
			return nil, errorf(http.StatusConflict, wire.CodeConflict, "the conversation %q has already started", req.Conversation)
		}
		c.ID, c.ParticipantID = req.Conversation, conv.ParticipantID
	} else {
		c.ID = st.newChatKey()
	}
	st.NextRTSession++
	c.RTSessionID = firstRTSessionID + int64(st.NextRTSession)
	if c.VisitorID == "" {
		c.VisitorID = fmt.Sprint(firstVisitorIDNumber + st.NextRTSession)
	}
	c.setState(now, chatWaiting)
	c.system(now, sysRouting, "Thank you for choosing to chat with us.  An agent will be with you shortly.")
	for _, l := range req.PreChatLines {
		c.add(chatEvent{Type: eventLine, Time: now, TextType: "plain", Text: l, Source: fromVisitor, AgentOnly: true})
	}
	if req.Question != "" {
		c.add(chatEvent{Type: eventLine, Time: now, TextType: "plain", Text: req.Question, Source: fromVisitor})
	}
	st.Chats[c.ID] = c
	return c, nil
}

// keyOf is the key of a chat just started or accepted, unless that failed.
func keyOf(c *chat, e *apiError) (string, *apiError) {
	if e != nil {
		return "", e
	}
	return c.ID, nil
}

func (st *state) chat(id string) (*chat, *apiError) {
	c := st.Chats[id]
	if c == nil {
		return nil, errorf(404, wire.CodeNotFound, "no chat %q", id)
	}
	return c, nil
}

func errEnded() *apiError {
	return errorf(http.StatusConflict, wire.CodeConflict, "the chat has ended").
		why("an ended chat stays readable but takes no more lines")
}

// visitorLine adds a line typed by the visitor. The Server Chat API sends no
// HTML: a visitor's markup reaches the agent as text.
func (c *chat) visitorLine(now time.Time, text string) (chatEvent, *apiError) {
	if c.State == chatEnded {
		return chatEvent{}, errEnded()
	}
	c.VisitorTyping = "not-typing"
	return c.add(chatEvent{Type: eventLine, Time: now, TextType: "plain", Text: text, Source: fromVisitor}), nil
}

// agentLine adds a line by the holding agent.
func (c *chat) agentLine(now time.Time, u *user, text, textType, subType string) (chatEvent, *apiError) {
	if c.State == chatEnded {
		return chatEvent{}, errEnded()
	}
	c.AgentTyping = "not-typing"
	return c.add(chatEvent{Type: eventLine, Time: now, TextType: textType, Text: text, By: nickname(u),
		Source: fromAgent, SubType: subType, AgentOnly: subType == subOnlyToRep}), nil
}

// end ends the chat from either side; it stays readable.
func (c *chat) end(now time.Time) (chatEvent, *apiError) {
	if c.State == chatEnded {
		return chatEvent{}, errEnded()
	}
	c.VisitorTyping, c.AgentTyping = "not-typing", "not-typing"
	return c.setState(now, chatEnded), nil
}

func nickname(u *user) string {
	if u == nil {
		return "Agent"
	}
	if u.Nickname != "" {
		return u.Nickname
	}
	return u.LoginName
}

// sessionUser is the user an agent session logged in as.
func (st *state) sessionUser(a *agentSession) *user {
	if a.UserID != 0 {
		if u, ok := st.Users.get(a.UserID); ok {
			return u
		}
	}
	return st.userByLogin(a.LoginName)
}

// agentState is the most available chat state over a user's sessions.
func (st *state) agentState(userID int) availability {
	best := agentOffline
	rank := func(a availability) int { return len(availabilities) - slices.Index(availabilities, a) }
	for _, a := range st.Sessions {
		if u := st.sessionUser(a); u != nil && u.ID == userID && rank(a.Chat) > rank(best) {
			best = a.Chat
		}
	}
	return best
}

// activeChats counts the chats a user holds.
func (st *state) activeChats(userID int) int {
	n := 0
	for _, c := range st.Chats {
		if c.AgentID == userID && c.State == chatChatting {
			n++
		}
	}
	return n
}

// hasCapacity says whether u can take one more chat.
func (st *state) hasCapacity(u *user) bool {
	return u.MaxChats < 0 || st.activeChats(u.ID) < u.MaxChats
}

// rings says whether a waiting chat rings the agent u in state avail.
func (st *state) rings(c *chat, u *user, avail availability) bool {
	if c.State != chatWaiting || u == nil {
		return false
	}
	switch {
	case avail == agentOnline:
	case avail == agentOccupied && c.Transferred:
	default:
		return false
	}
	switch {
	case c.TargetAgent != 0 && c.TargetAgent != u.ID:
		return false
	case c.TargetAgent == 0 && c.ExcludeAgent == u.ID:
		return false
	case c.TargetAgent == 0 && c.SkillID != 0 && !slices.Contains(u.SkillIDs, c.SkillID):
		return false
	}
	return st.hasCapacity(u)
}

// ringing lists, oldest first, the waiting chats that ring a session.
func (st *state) ringing(a *agentSession) []*chat {
	u := st.sessionUser(a)
	var out []*chat
	for _, c := range st.Chats {
		if st.rings(c, u, a.Chat) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(x, y *chat) int {
		if d := x.WaitingSince.Compare(y.WaitingSince); d != 0 {
			return d
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out
}

// accept gives the session's agent the oldest chat ringing it. Every
// eligible agent hears a waiting chat ring; the first to accept it gets it.
func (st *state) accept(now time.Time, a *agentSession) (*chat, *apiError) {
	ring := st.ringing(a)
	if len(ring) == 0 {
		why := "GET incomingRequests first: ringingCount is 0"
		if a.Chat != agentOnline && a.Chat != agentOccupied {
			why = fmt.Sprintf("the session is %s; set its availability to Online to receive chats", a.Chat)
		}
		return nil, errorf(404, wire.CodeNotFound, "no chat request is waiting for this agent").why(why)
	}
	c, u := ring[0], st.sessionUser(a)
	c.AgentID, c.Agent = u.ID, nickname(u)
	c.TargetAgent, c.ExcludeAgent, c.Transferred = 0, 0, false
	c.AgentTyping = "not-typing"
	c.setState(now, chatChatting)
	c.system(now, sysAcceptsChat, fmt.Sprintf("You are now chatting with %s.", c.Agent))
	return c, nil
}

// transfer returns the chat to the queue for a skill (skillID) or one agent
// (agentID, which wins when both are given), with an optional note that
// only agents see.
func (st *state) transfer(now time.Time, c *chat, from *user, skillID, agentID int, note string) *apiError {
	if c.State == chatEnded {
		return errEnded()
	}
	switch {
	case agentID != 0:
		to, ok := st.Users.get(agentID)
		if !ok {
			return errorf(400, wire.CodeValidation, "agent %d names no user", agentID)
		}
		if to.ID == from.ID {
			return errorf(400, wire.CodeValidation, "the chat is already yours")
		}
		if s := st.agentState(to.ID); s != agentOnline && s != agentOccupied {
			return errorf(400, wire.CodeValidation, "agent %d (%s) is %s and cannot receive the chat", agentID, nickname(to), s).
				why("transfer to an agent who is Online or Occupied; GET availableAgents lists their states")
		}
		c.TargetAgent, c.ExcludeAgent = to.ID, 0
		c.system(now, sysTransferredAgent, fmt.Sprintf("Transferring you to %s.", nickname(to)))
	case skillID != 0:
		sk, ok := st.Skills.get(skillID)
		if !ok {
			return errorf(400, wire.CodeValidation, "skill %d names no skill", skillID)
		}
		if st.onlineAgents(sk.ID, from.ID) == 0 {
			return errorf(400, wire.CodeValidation, "skill %d (%s) has no other agent online", skillID, sk.Name).
				why("GET the chat's transfer link for the skills a chat can go to now")
		}
		c.Skill, c.SkillID = sk.Name, sk.ID
		c.TargetAgent, c.ExcludeAgent = 0, from.ID
		c.system(now, sysTransferredSkill, fmt.Sprintf("Transferring you to %s.", sk.Name))
	default:
		return errorf(400, wire.CodeValidation, "a transfer names a skill or an agent").
			why(`send {"transfer": {"skill": {"id": N}}} or {"transfer": {"agent": {"id": N}}}`)
	}
	if note != "" {
		c.add(chatEvent{Type: eventLine, Time: now, TextType: "plain", Text: note, By: nickname(from),
			Source: fromAgent, SubType: subOnlyToRep, AgentOnly: true})
	}
	c.AgentID, c.Agent, c.Transferred = 0, "", true
	c.AgentTyping = "not-typing"
	c.setState(now, chatWaiting)
	return nil
}

// onlineAgents counts the agents other than except who could take a chat
// for a skill now or by transfer (Online or Occupied).
func (st *state) onlineAgents(skillID, except int) int {
	n := 0
	for _, u := range st.Users.items {
		if u.ID == except || !slices.Contains(u.SkillIDs, skillID) {
			continue
		}
		if s := st.agentState(u.ID); s == agentOnline || s == agentOccupied {
			n++
		}
	}
	return n
}

// logout ends an agent session; when it was the agent's last, the chats
// the agent held go back to the queue.
func (st *state) logout(now time.Time, a *agentSession) {
	u := st.sessionUser(a)
	delete(st.Sessions, a.ID)
	if u == nil {
		return
	}
	for _, o := range st.Sessions {
		if ou := st.sessionUser(o); ou != nil && ou.ID == u.ID {
			return
		}
	}
	for _, c := range st.Chats {
		if c.AgentID == u.ID && c.State == chatChatting {
			c.AgentID, c.Agent = 0, ""
			c.system(now, sysRequeued, "Your chat has been returned to the queue.")
			c.setState(now, chatWaiting)
		}
	}
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
