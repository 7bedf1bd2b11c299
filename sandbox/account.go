package sandbox

// lpdesk's own account resources: the account base resource (the entry
// point a client discovers, linking every collection and service) and the
// account's configuration, skills and users. The documentation pages in
// scope do not describe them; they follow the platform's conventions.

func (s *Server) accountAPI() *api {
	skills, users := s.skillsAPI(), s.usersAPI()
	return &api{name: "Account", service: serviceAccount, auth: authSignedOrAppKey, body: bodyRoot, routes: []route{
		get("", "", s.accountBase),
		get("/skills", "", skills.list).query("limit", "offset"),
		post("/skills", "", skills.create),
		get("/skills/{skillId}", "", skills.get),
		put("/skills/{skillId}", "", skills.update),
		del("/skills/{skillId}", "", skills.remove),
		get("/users", "", users.list).query("limit", "offset"),
		post("/users", "", users.create),
		get("/users/{userId}", "", users.get),
		put("/users/{userId}", "", users.update),
		del("/users/{userId}", "", users.remove),
	}}
}

func (s *Server) accountBase(q *apiReq, _ []string) (*response, *apiError) {
	b, chat, agent := q.base, s.baseFor(q, ServiceServerChat), s.baseFor(q, ServiceChatAgent)
	n := el("account",
		linkEl("self", b),
		linkEl("chat-availability", chat+"/chat/availability"),
		linkEl("chat-estimatedWaitTime", chat+"/chat/estimatedWaitTime"),
		linkEl("chat-available-slots", chat+"/chat/availableSlots"),
		linkEl("chat-request", chat+"/chat/request"),
		linkEl("prechat-survey", chat+"/chat/preSurvey"),
		linkEl("chat-offline-survey", chat+"/chat/offlineSurvey"),
		linkEl("agent-session", agent+"/agentSession"),
		linkEl("skills", b+"/skills"),
		linkEl("users", b+"/users"),
	).attr("id", s.cfg.AccountID)
	return ok(n), nil
}
