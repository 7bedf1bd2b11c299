package sandbox

// The account base resource: the entry point a client discovers, linking
// every collection and service of the account.

func (s *Server) accountBase(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	b := q.base
	n := el("account",
		linkEl("self", b),
		linkEl("chat-availability", b+"/chat/availability"),
		linkEl("chat-estimatedWaitTime", b+"/chat/estimatedWaitTime"),
		linkEl("chat-available-slots", b+"/chat/availableSlots"),
		linkEl("chat-request", b+"/chat/request"),
		linkEl("agent-session", b+"/agentSession"),
		linkEl("skills", b+"/skills"),
		linkEl("users", b+"/users"),
	).attr("id", s.cfg.AccountID)
	return ok(n), nil
}
