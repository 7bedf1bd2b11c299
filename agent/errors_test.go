package agent

import (
	"context"
	"errors"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
)

// A session ended elsewhere is lost for the session's and the chats' calls
// alike; a chat taken away while the session lives is gone, not lost.
func TestSessionLostVersusChatGone(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s := w.start("")
	w.online(s)
	w.visitor("Sales", "Ann", "hi")
	c, err := s.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A second session of the same agent (another device) transfers the
	// chat away: this session's reads of it now find nothing.
	other := w.start("")
	bruno := w.start("bruno.silva")
	w.online(bruno)
	moved := newChat(other, other.URL()+"/chat/"+c.Key())
	if err := moved.Transfer(ctx, Target{AgentID: bruno.Me().ID}); err != nil {
		t.Fatal(err)
	}
	changed, err := c.Refresh(ctx)
	wantKind(t, err, ErrChatGone)
	if !changed || c.Snapshot().Ending != Gone {
		t.Fatalf("a chat taken away reads as %v (changed %v)", c.Snapshot().Ending, changed)
	}
	if errors.Is(err, ErrSessionLost) {
		t.Fatal("a chat taken away was reported as the session lost")
	}

	w.visitor("Sales", "Bob", "hello")
	c2, err := s.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.End(ctx); err != nil {
		t.Fatal(err)
	}
	err = c2.Send(ctx, "anyone?")
	wantKind(t, err, ErrSessionLost)
	_, err = s.SetAvailability(ctx, Away)
	wantKind(t, err, ErrSessionLost)
	_, err = s.Accept(ctx)
	wantKind(t, err, ErrSessionLost)
}

func TestRevokedTokenLosesTheSession(t *testing.T) {
	w := newWorld(t)
	s := w.start("")
	if !w.sb.RevokeToken(w.token) {
		t.Fatal("revoke failed")
	}
	_, err := s.Incoming(context.Background())
	wantKind(t, err, ErrSessionLost)
	if !errors.Is(err, apiclient.ErrAccessRevoked) {
		t.Fatalf("the cause is lost: %v", err)
	}
}

func TestNetworkErrorAndNoRequest(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s := w.start("")
	w.online(s)
	_, err := s.Accept(ctx)
	wantKind(t, err, ErrNoRequest)
	if errors.Is(err, ErrSessionLost) {
		t.Fatal("nothing to accept was reported as the session lost")
	}
	w.agents.Close()
	_, err = s.Incoming(ctx)
	wantKind(t, err, ErrNetwork)
	var e *Error
	if !errors.As(err, &e) || e.Op == "" {
		t.Fatalf("not an *Error naming the operation: %v", err)
	}
}

func TestCancelledContextIsNotAnError(t *testing.T) {
	w := newWorld(t)
	s := w.start("")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Incoming(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	var e *Error
	if errors.As(err, &e) {
		t.Fatalf("a cancellation was classified as %v", e.Kind)
	}
}
