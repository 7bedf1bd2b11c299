package apiclient

import "strings"

// Service is a platform service as the Domain API names it (case-sensitive).
// Each service may live on its own host; a Client sends every relative path
// to the base URL of the service that serves it (ServiceFor).
type Service string

// The services lpdesk uses.
const (
	// ServiceAccount is the account base resource (Config.BaseURL): skills,
	// users and every path no other service claims. The Domain API name is
	// the one LivePerson gives the account configuration API.
	ServiceAccount Service = "accountConfigReadWrite"
	// ServiceServerChat is the Server Chat API, the visitor's side of a chat.
	ServiceServerChat Service = "conversationVep"
	// ServiceChatAgent is the Chat Agent API, the agent's side.
	ServiceChatAgent Service = "agentVep"
	// ServiceMonitoring serves Engagement Attributes and Visit Information.
	ServiceMonitoring Service = "smt"
)

// discoveredServices are the services Discover asks the Domain API about,
// the account first.
var discoveredServices = []Service{ServiceAccount, ServiceServerChat, ServiceChatAgent, ServiceMonitoring}

// serviceRoutes is the one table that sends a path relative to the account
// to its service: the path's first segment, without a .json/.xml
// extension, decides, case-sensitively as the platform's paths are. A
// segment not listed belongs to ServiceAccount.
var serviceRoutes = map[string]Service{
	"agentSession": ServiceChatAgent,  // Chat Agent API: agentSession and everything under it
	"chat":         ServiceServerChat, // Server Chat API: chat/availability, chat/request, chat/{id}/…
	"conversation": ServiceServerChat, // Start Chat's visitor authentication (conversation.json)
	"monitoring":   ServiceMonitoring, // monitoring/visitors/{id}/visits/current/events|state
}

// ServiceFor names the service that serves path, a path relative to the
// account base as Request.Path takes it (a query or fragment is ignored).
// An absolute URL is not routed: it goes where it points.
func ServiceFor(path string) Service {
	path, _, _ = strings.Cut(path, "?")
	path, _, _ = strings.Cut(path, "#")
	seg, _, _ := strings.Cut(strings.TrimLeft(path, "/"), "/")
	for _, ext := range []string{".json", ".xml"} {
		seg = strings.TrimSuffix(seg, ext)
	}
	if s, ok := serviceRoutes[seg]; ok {
		return s
	}
	return ServiceAccount
}
