package onboarding

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net/http"

	"github.com/lpdesk/lpdesk/logging"
)

// serveCallback is the loopback callback. The request token in the query
// is no secret (it is on the browser opener's command line), so whatever
// arrives here may come from another local process: a verifier counts only
// once the provider accepted it in the exchange, which this handler makes
// itself so that its page can tell the truth, and a denial is reported
// (Notice) without ending the flow.
func (f *Flow) serveCallback(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	if r.URL.Path != "/callback" {
		writePage(w, http.StatusNotFound, "Not found", "Nothing here.")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET")
		writePage(w, http.StatusMethodNotAllowed, "Method not allowed", "Use GET.")
		return
	}
	q := r.URL.Query()
	_, denied := q["denied"]
	tok := q.Get("oauth_token")
	if denied {
		tok = q.Get("denied")
	}
	if subtle.ConstantTimeCompare([]byte(tok), []byte(f.reqToken)) != 1 {
		writePage(w, http.StatusBadRequest, "Not the expected answer",
			"This answer does not belong to the authorization lpdesk is waiting for. Nothing was changed; "+
				"go back to lpdesk and start again if needed.")
		return
	}
	until := f.expires.Format("15:04")
	if denied {
		f.notify(Notice{Kind: NoticeDenial})
		writePage(w, http.StatusOK, "lpdesk was told access was denied",
			"If you denied lpdesk, cancel the login in lpdesk. Another program on this computer could have sent this "+
				"answer, so lpdesk keeps waiting for an approval until "+until+".")
		return
	}
	v := q.Get("oauth_verifier")
	if v == "" {
		writePage(w, http.StatusBadRequest, "No verification code",
			"The provider's answer carries no oauth_verifier. Go back to lpdesk and type the code shown by the provider.")
		return
	}
	err := f.exchange(f.ctx, v)
	switch {
	case err == nil:
		// exchange also answers nil once any verifier (typed, or an
		// earlier callback) obtained the token.
		if _, same := f.usedVerifier(v); !same {
			writePage(w, http.StatusConflict, "Not used",
				"lpdesk was already authorized by another answer; this one was not used.")
			return
		}
		// The flow may have ended (cancelled, closed, timed out) while the
		// exchange ran: then nobody will finish the installation. Not
		// delivered otherwise means a reload of the page that succeeded.
		ended := f.ending()
		if !ended && !f.deliver(CallbackResult{Verifier: v}) {
			ended = f.ending()
		}
		if ended {
			writePage(w, http.StatusGone, "lpdesk is not authorized",
				"lpdesk stopped waiting for this authorization (it was cancelled or expired). Start the login again in lpdesk.")
			return
		}
		// The consumer may close the flow at once: stopping the listener
		// waits for this page (Shutdown). A reload lands here again.
		writePage(w, http.StatusOK, "lpdesk is authorized", "lpdesk has its access token and is checking it "+
			"against the account. You can close this tab and return to lpdesk.")
		// The verifier has done its job; stop listening once this page
		// is out.
		go f.stopListener()
	case f.ending():
		writePage(w, http.StatusGone, "lpdesk is not authorized",
			"lpdesk stopped waiting for this authorization (it was cancelled or expired). Start the login again in lpdesk.")
	case errors.Is(err, ErrRequestTokenExpired):
		writePage(w, http.StatusGone, "lpdesk is not authorized",
			"The provider no longer knows this authorization request ("+err.Error()+"). Start the login again in lpdesk.")
		// In the background: stopping the listener waits for this page.
		go f.end(err)
	case errors.Is(err, ErrBadVerifier), errors.Is(err, ErrNotApproved):
		f.notify(Notice{Kind: NoticeVerifierRefused, Err: err})
		writePage(w, http.StatusBadRequest, "lpdesk is not authorized",
			"The provider refused the verification code in this answer ("+err.Error()+"). lpdesk keeps waiting for "+
				"the approval until "+until+"; approve lpdesk on the provider's page, or cancel the login in lpdesk.")
	default:
		f.notify(Notice{Kind: NoticeExchangeFailed, Err: err})
		writePage(w, http.StatusBadGateway, "lpdesk is not authorized yet",
			"lpdesk could not exchange this answer for an access token ("+err.Error()+"). Reload this page to try "+
				"again; lpdesk keeps waiting until "+until+".")
	}
}

// usedVerifier reports whether the flow already holds an access token, and
// whether v is the verifier that obtained it.
func (f *Flow) usedVerifier(v string) (used, same bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.accessToken == "" {
		return false, false
	}
	return true, subtle.ConstantTimeCompare([]byte(v), []byte(f.verifier)) == 1
}

// ending reports whether the flow is closed or about to be (its context
// ended and watch has not closed it yet).
func (f *Flow) ending() bool {
	select {
	case <-f.closed:
		return true
	default:
		return f.ctx != nil && f.ctx.Err() != nil
	}
}

// notify hands n to Notices without ever blocking the callback.
func (f *Flow) notify(n Notice) {
	logging.Default().Debug("loopback callback did not end the login", "notice", n.String())
	select {
	case f.notices <- n:
	default:
	}
}

// writePage writes a minimal page; title and text are escaped, since the
// text may quote the provider's answer.
func writePage(w http.ResponseWriter, status int, title, text string) {
	w.WriteHeader(status)
	t := html.EscapeString(title)
	fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>%s</title></head>`+
		`<body style="font-family:sans-serif;max-width:36em;margin:4em auto"><h1>%s</h1><p>%s</p></body></html>`,
		t, t, html.EscapeString(text))
}
