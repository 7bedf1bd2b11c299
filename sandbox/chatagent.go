package sandbox

// The Chat Agent API: the agent's side (AgentExperience/ChatAgentAPI), one
// route per documented method. Requests are signed (OAuth 1.0a).

const caDocs = "pages/Documents/AgentExperience/ChatAgentAPI/Methods/"

func (s *Server) chatAgentAPI() *api {
	const (
		sess = "/agentSession/{agentSessionId}"
		chat = sess + "/chat/{chatId}"
	)
	ac := s.agentChats()
	return &api{name: "Chat Agent", service: ServiceChatAgent, auth: authSigned, body: bodyMembers, routes: []route{
		post("/agentSession", caDocs+"start-agent-session.md", s.caStartSession),
		get(sess, "", s.caSession).query("cs"), // not documented; the Postman collection reads it
		del(sess, "", s.caEndSession),          // log out: the agent's chats return to the queue
		get(sess+"/availability", caDocs+"retrieve-current-availability.md", s.caAvailability),
		put(sess+"/availability", caDocs+"set-agent-availability.md", s.caSetAvailability),
		get(sess+"/availableAgents", caDocs+"retrieve-available-agents.md", s.caAvailableAgents).query("skill", "chatState", "chatReasonId", "voiceState", "timeStamp"),
		get(sess+"/chat/availableSlots", caDocs+"retrieve-available-slots.md", s.caAvailableSlots).query("skill", "maxWaitTime", "agent"),
		get(sess+"/info", caDocs+"retrieve-agent-information.md", s.caAgentInfo),
		get(sess+"/incomingRequests", caDocs+"determine-incoming-chat-request.md", s.caIncomingRequests),
		post(sess+"/incomingRequests", caDocs+"accept-a-chat.md", s.caAccept),
		get(sess+"/chatSessions", caDocs+"retrieve-chat-sessions.md", s.caChatSessions),
		get(sess+"/chat", caDocs+"retrieve-data-for-multiple-chats.md", s.caChats).query("chatSessionKeys", "fromEventIds"),
		get(sess+"/participantExtendedInfo/{participantId}", caDocs+"retrieve-participant-info.md", s.caParticipant),
		get(sess+"/visits/visit/{visitId}", "", s.caVisit), // linked by the chat as visit-id
		get(chat, caDocs+"retrieve-chat-resources-events-and-information.md", ac.readingFrom(chatView.chat)).query("from"),
		get(chat+"/events", caDocs+"retrieve-chat-events.md", ac.readingFrom(chatView.events)).query("from"),
		post(chat+"/events", caDocs+"send-lines-and-structured-content.md|"+caDocs+"end-chat.md", ac.addEvent),
		get(chat+"/events/{eventId}", "", ac.event), // the location of an added event
		get(chat+"/info", caDocs+"retrieve-chat-information.md", ac.reading(chatView.info)),
		get(chat+"/info/visitorName", caDocs+"retrieve-visitor-s-name.md", ac.reading(chatView.visitorName)),
		get(chat+"/info/agentTyping", caDocs+"retrieve-agent-s-typing-status.md", ac.reading(chatView.agentTyping)),
		put(chat+"/info/agentTyping", caDocs+"set-agent-s-typing-status.md", ac.setTyping),
		get(chat+"/info/visitorTyping", caDocs+"retrieve-visitor-s-typing-status.md", ac.reading(chatView.visitorTyping)),
		get(chat+"/transfer", caDocs+"retrieve-available-skills.md", s.caTransferSkills),
		post(chat+"/transfer", caDocs+"transfer-a-chat.md", s.caTransfer),
		get(chat+"/survey", caDocs+"retrieve-agent-survey-structure.md", ac.reading(chatView.survey)),
		put(chat+"/survey", caDocs+"submit-survey-data.md", ac.submitSurvey),
		get(chat+"/collaborationChannels", "", ac.empty("collaborationChannels")), // linked, not documented: the sandbox has none
		get(chat+"/transferAccount", "", ac.empty("transferAccount")),             // linked, not documented: no other accounts to transfer to
	}}
}
