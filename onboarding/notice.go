package onboarding

import "fmt"

// NoticeKind says what arrived on the loopback callback without ending the
// flow.
type NoticeKind int

const (
	// NoticeVerifierRefused: a callback carried this flow's request token
	// and a verifier the provider refused (wrong, or sent before the
	// approval).
	NoticeVerifierRefused NoticeKind = iota + 1
	// NoticeDenial: a callback reported that the authorization was denied.
	NoticeDenial
	// NoticeExchangeFailed: a callback carried a verifier, but the token
	// exchange could not be completed (network, provider error); reloading
	// the callback page tries again.
	NoticeExchangeFailed
)

// Notice reports something that arrived on the loopback callback and did
// not end the flow. Any local process that learns the request token (it is
// on the browser opener's command line) can send a callback, so neither a
// refused verifier nor a denial ends the login: the flow keeps waiting for
// an approval until the request token expires or the caller cancels, and
// tells the user what arrived through Flow.Notices.
//
// A denial in particular cannot be told apart from a forged one: the
// provider's redirect is not signed. A genuine denial therefore shows up as
// a NoticeDenial, and the user cancels.
type Notice struct {
	Kind NoticeKind
	// Err is the provider's refusal or the failure, for
	// NoticeVerifierRefused and NoticeExchangeFailed. It holds no secret.
	Err error
}

// String is the sentence to show the user.
func (n Notice) String() string {
	switch n.Kind {
	case NoticeVerifierRefused:
		return "A callback arrived with a verification code the provider refused; " +
			"lpdesk is still waiting for the approval."
	case NoticeDenial:
		return "The provider reported a denial. If you denied lpdesk, cancel the login; " +
			"lpdesk keeps waiting for an approval, because another program on this computer could have sent it."
	case NoticeExchangeFailed:
		return fmt.Sprintf("A callback arrived, but the token exchange failed (%v); lpdesk is still waiting: "+
			"reload the page in the browser to try again.", n.Err)
	}
	return fmt.Sprintf("callback notice %d", int(n.Kind))
}
