package sandbox

import (
	"testing"
	"time"
)

// TestEndedChatsAreBounded: a sandbox that keeps starting and ending chats
// keeps at most about maxEndedChats of the ended ones (the latest to end),
// so its memory levels off; chats still going are never forgotten.
func TestEndedChatsAreBounded(t *testing.T) {
	st := newState()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	waiting, e := st.startChat(now, chatRequest{VisitorName: "still waiting"})
	if e != nil {
		t.Fatal(e)
	}
	var last *chat
	for i := range 3 * maxEndedChats {
		c, e := st.startChat(now.Add(time.Duration(i)*time.Second), chatRequest{VisitorName: "v"})
		if e != nil {
			t.Fatal(e)
		}
		if _, e := c.end(now.Add(time.Duration(i)*time.Second + time.Millisecond)); e != nil {
			t.Fatal(e)
		}
		last = c
	}
	if n := len(st.Chats); n > maxEndedChats+maxEndedChats/10+1 {
		t.Errorf("%d chats kept after %d ended, want at most about %d", n, 3*maxEndedChats, maxEndedChats)
	}
	if st.Chats[waiting.ID] == nil {
		t.Error("a waiting chat was forgotten")
	}
	if st.Chats[last.ID] == nil {
		t.Error("the chat that ended last was forgotten")
	}
}
