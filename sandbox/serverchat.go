package sandbox

// The Server Chat API: the visitor's side of a chat
// (ClientSideConfiguration/ServerChatAPI), one route per documented method.

const scDocs = "pages/Documents/ClientSideConfiguration/ServerChatAPI/Methods/"

func (s *Server) serverChatAPI() *api {
	vc := s.visitorChats()
	preSurvey := []string{"surveyName", "surveyApiId", "visitorIp", "userAgent", "visitorId", "skill"}
	return &api{name: "Server Chat", service: ServiceServerChat, auth: authSignedOrAppKey, body: bodyMembers, routes: []route{
		get("/chat/availability", scDocs+"retrieve-availability.md", s.scAvailability).query("skill", "serviceQueue", "maxWaitTime", "agent"),
		get("/chat/availableSlots", scDocs+"retrieve-available-slots.md", s.scAvailableSlots).query("skill", "maxWaitTime", "agent"),
		get("/chat/estimatedWaitTime", scDocs+"retrieve-estimated-wait-time.md", s.scEstimatedWaitTime).query("skill", "serviceQueue"),
		get("/chat//preSurvey", scDocs+"retrieve-pre-chat-survey.md", s.scPreChatSurvey).query(preSurvey...),
		get("/chat/preSurvey", scDocs+"retrieve-pre-chat-survey.md", s.scPreChatSurvey).query(preSurvey...), // the Postman collection's spelling
		get("/chat/offlineSurvey", scDocs+"retrieve-offline-survey.md", s.scOfflineSurvey).query("skill", "visitorProfile", "visitorId", "surveyName"),
		put("/chat/offlineSurvey", scDocs+"post-offline-survey.md", s.scPostOfflineSurvey),
		post("/chat/request", scDocs+"start-chat.md", s.scStartChat),
		post("/conversation", scDocs+"start-chat.md", s.scAuthenticateVisitor),
		get("/chat/{chatId}", scDocs+"retrieve-chat-resources-events-and-information.md", vc.readingFrom(chatView.chat)).query("from"),
		get("/chat/{chatId}/events", scDocs+"retrieve-chat-events.md", vc.readingFrom(chatView.events)).query("from"),
		post("/chat/{chatId}/events", scDocs+"add-lines-end-chat.md", vc.addEvent),
		get("/chat/{chatId}/events/{eventId}", scDocs+"add-lines-end-chat.md", vc.event), // the Location of an added event
		get("/chat/{chatId}/info", scDocs+"retrieve-chat-information.md", vc.reading(chatView.info)),
		get("/chat/{chatId}/info/visitorName", scDocs+"retrieve-visitor-s-name.md", vc.reading(chatView.visitorName)),
		put("/chat/{chatId}/info/visitorName", scDocs+"set-the-visitor-s-name.md", s.scSetVisitorName),
		get("/chat/{chatId}/info/visitorTyping", scDocs+"retrieve-the-visitor-s-typing-status.md", vc.reading(chatView.visitorTyping)),
		put("/chat/{chatId}/info/visitorTyping", scDocs+"set-the-visitor-s-typing-status.md", vc.setTyping),
		get("/chat/{chatId}/info/agentTyping", scDocs+"retrieve-the-agent-s-typing-status.md", vc.reading(chatView.agentTyping)),
		get("/chat/{chatId}/exitSurvey", scDocs+"retrieve-exit-survey-structure.md", vc.reading(chatView.survey)).query("surveyName"),
		put("/chat/{chatId}/exitSurvey", scDocs+"submit-survey-data.md", vc.submitSurvey),
		put("/chat/{chatId}/transcriptRequest", scDocs+"send-a-transcript.md", s.scTranscript),
		post("/chat/{chatId}/transcriptRequest", scDocs+"send-a-transcript.md", s.scTranscript), // lpdesk's earlier form
		put("/chat/{chatId}/transcriptWithSubjectRequest", "", s.scTranscript),                  // linked by the chat, not documented
	}}
}
