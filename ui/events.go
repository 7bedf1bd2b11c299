package ui

// event is a milestone of the window. Hooks registered with onEvent follow
// the window by them: the tests, and the test drivers of builds tagged
// lpdesk_testdrivers. Two events carry a detail (see eventHook).
type event int

const (
	evWizard          event = iota + 1 // the wizard opened on its account page
	evAuthorize                        // the authorize page is showing, the browser was opened
	evCode                             // the verification-code page is showing
	evInstalled                        // a profile was saved; the done page is showing
	evWizardError                      // a wizard page shows an error; detail: the message
	evLoaded                           // the browser shows a response; detail: its address
	evBody                             // a body's first screen of rows is on screen
	evTree                             // a body's tree is on screen
	evRequestFailed                    // a request failed and its error is on screen
	evRevokedOnServer                  // the server no longer accepts the token
	evDeleted                          // a resource was deleted
	evEditor                           // the editor is showing
	evInvalidBody                      // the editor refused to send a malformed body
	evSaved                            // the editor saved an update
	evCreated                          // the editor created a resource
	evConflict                         // a save met a 412; the three choices are showing
	evLoadedTheirs                     // the editor replaced the text with the server's version
	evSettings                         // settings are showing
	evSettingsSaved                    // the request options were saved
	evSignedOut                        // the profile was forgotten on this computer
	evAccessRevoked                    // the user revoked access from Settings
	evCallbackNote                     // the callback got something that did not end the wait; detail: the note
	evTable                            // a collection is on screen as a table
	evForm                             // a member is on screen as a form
	evPage                             // the table added a further page
	evAgentSession                     // an agent session started
	evIncoming                         // the incoming requests on screen changed; detail: how many
	evChatOpened                       // an accepted chat's tab opened; detail: the chat key
	evChatChanged                      // a chat pane shows something new; detail: the chat key
	evLineSent                         // the agent's line was delivered; detail: the chat key
	evChatOver                         // a chat ended, was transferred or taken away; detail: the chat key
	evAgentFailed                      // an agent workspace action failed; detail: the message
	evSessionLost                      // the platform no longer has the agent session
	evSessionEnded                     // the agent ended the session
	evBodyDone                         // all of a body's rows are in the text (evBody comes with its first screen)
	lastEvent         = evBodyDone
)

// eventNames are the events' names in messages; they are the bare strings
// the events were before they had a type.
var eventNames = [...]string{
	evWizard:          "wizard",
	evAuthorize:       "authorize",
	evCode:            "code",
	evInstalled:       "installed",
	evWizardError:     "wizard-error",
	evLoaded:          "loaded",
	evBody:            "body",
	evTree:            "tree",
	evRequestFailed:   "error",
	evRevokedOnServer: "revoked",
	evDeleted:         "deleted",
	evEditor:          "editor",
	evInvalidBody:     "invalid",
	evSaved:           "saved",
	evCreated:         "created",
	evConflict:        "conflict",
	evLoadedTheirs:    "loaded-theirs",
	evCallbackNote:    "callback-note",
	evSettings:        "settings",
	evSettingsSaved:   "settings-saved",
	evSignedOut:       "signed-out",
	evAccessRevoked:   "revoked-access",
	evTable:           "table",
	evForm:            "form",
	evPage:            "page",
	evAgentSession:    "agent-session",
	evIncoming:        "incoming",
	evChatOpened:      "chat-opened",
	evChatChanged:     "chat",
	evLineSent:        "line-sent",
	evChatOver:        "chat-over",
	evAgentFailed:     "agent-error",
	evSessionLost:     "session-lost",
	evSessionEnded:    "session-ended",
	evBodyDone:        "body-done",
}

func (e event) String() string {
	if e > 0 && int(e) < len(eventNames) {
		return eventNames[e]
	}
	return "event(?)"
}

// eventHook is told about each event with its detail: the address for
// evLoaded, the message for evWizardError, "" otherwise. Hooks run on the
// UI goroutine.
type eventHook func(e event, detail string)

// onEvent registers a hook.
func (d *desk) onEvent(h eventHook) {
	d.hookMu.Lock()
	d.hooks = append(d.hooks, h)
	d.hookMu.Unlock()
}

// emit tells the hooks about e.
func (d *desk) emit(e event) { d.emitDetail(e, "") }

// emitDetail tells the hooks about e and its detail.
func (d *desk) emitDetail(e event, detail string) {
	d.hookMu.Lock()
	hs := append([]eventHook{}, d.hooks...)
	d.hookMu.Unlock()
	for _, h := range hs {
		h(e, detail)
	}
}
