package demo

import (
	"fmt"
	"io"
	"net/url"

	"github.com/lpdesk/lpdesk/sandbox"
)

// The demo's conversation: a visitor already waiting for an agent, and a
// colleague online to transfer to, so the agent workspace has something to
// do in the first minute.
var (
	demoVisitor = sandbox.VisitorChat{Skill: "Sales", VisitorName: "Maya",
		Question: "Hi! I ordered a blender last week and it still hasn't shipped. Can you check order 4411?"}
	demoColleague = "bruno.silva"
)

// seedConversation starts the waiting chat and the colleague's session,
// and says where the visitor's side of the chat is.
func seedConversation(w io.Writer, sb *sandbox.Server, server, account string) error {
	key, err := sb.StartVisitorChat(demoVisitor)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if _, err := sb.StartOnlineAgent(demoColleague); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(w, "demo: %s is waiting for an agent (skill %s). In the window, open the Agent workspace, go Online and accept the chat.\n",
		demoVisitor.VisitorName, demoVisitor.Skill)
	fmt.Fprintf(w, "demo: type as %s in the console's visitor page: %s/console/visitor/%s (sign in as the console admin)\n",
		demoVisitor.VisitorName, server, url.PathEscape(key))
	fmt.Fprintf(w, "demo: the same chat on the Server Chat API: %s/chat/%s\n", account, key)
	return nil
}
