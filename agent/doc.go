// Package agent is an agent's side of chat on the platform, over the Chat
// Agent API (AgentExperience/ChatAgentAPI): start and end an agent session,
// set its availability, watch for incoming chat requests, accept one, and
// hold each accepted chat — read its events and information incrementally,
// send lines, report typing, transfer it to a skill or an agent, end it.
//
// Every call goes through an *apiclient.Client, so it is signed the way the
// profile signs; a path under agentSession goes to the agentVep service's
// base (apiclient.ServiceFor), and every later call follows the links the
// platform answered with. Requests and answers are JSON whatever the
// profile's format, read leniently as the pages print them ("@" or not on
// attributes, a list of one as a bare object, numbers as strings).
//
// Polling follows the documentation: incoming requests at most every two
// seconds, each chat by its "next" link (only the events added since), and
// both back off while the platform fails. Errors are typed (Error, with
// the ErrSessionLost, ErrChatGone, ErrNetwork and ErrPlatform kinds) so a
// caller can tell "start a new session" from "try again". Everything takes
// a context and is safe for concurrent use.
//
// The package knows nothing of windows: the desktop app drives it through
// its Backend.
package agent
