package sandbox

import "time"

// The sandbox sends no mail: what the platform would send (a chat
// transcript, an offline survey's message) is kept in an outbox the console
// shows.

type outboxKind string

const (
	outTranscript    outboxKind = "transcript"
	outOfflineSurvey outboxKind = "offline survey"
)

type outboxItem struct {
	Kind    outboxKind        `json:"kind"`
	Time    time.Time         `json:"time"`
	ChatID  string            `json:"chatId,omitempty"`
	Email   string            `json:"email,omitempty"`
	Subject string            `json:"subject,omitempty"`
	Lines   []string          `json:"lines,omitempty"` // the transcript as the visitor saw it
	Answers []answer          `json:"answers,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// maxOutbox bounds the outbox; the oldest items go first.
const maxOutbox = 1000

func (st *state) post(item *outboxItem) {
	st.Outbox = append(st.Outbox, item)
	if over := len(st.Outbox) - maxOutbox; over > 0 {
		st.Outbox = append([]*outboxItem(nil), st.Outbox[over:]...)
	}
}

// transcriptLines is the chat as the visitor saw it, one line per event.
func transcriptLines(c *chat) []string {
	var out []string
	for _, ev := range c.Events {
		if ev.Type != eventLine || ev.AgentOnly {
			continue
		}
		out = append(out, ev.Time.UTC().Format("15:04:05")+" "+byFor(c, ev, visitorSide)+": "+ev.Text)
	}
	return out
}

// conversation is an authenticated visitor's chat reserved by
// conversation.json; Start Chat with its key as conversationId starts it.
type conversation struct {
	ID             string      `json:"id"` // the chat key
	ParticipantID  string      `json:"participantId"`
	SSOKey         string      `json:"ssoKey,omitempty"`
	AuthChatConnID string      `json:"authChatConnId,omitempty"`
	Created        time.Time   `json:"created"`
	Details        chatDetails `json:"details,omitzero"`
}
