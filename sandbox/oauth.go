package sandbox

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

const (
	// timestampWindow is how far oauth_timestamp may be from the server's
	// clock either way.
	timestampWindow = 300 * time.Second
	// requestTokenTTL is how long a request token can be approved and
	// exchanged.
	requestTokenTTL = 10 * time.Minute
)

// serveOAuth is the provider side of RFC 5849 §2.
func (s *Server) serveOAuth(w *recorder, r *http.Request) {
	f, ok := acceptFormat(r.Header.Get("Accept"))
	if !ok {
		f = wire.JSON
	}
	switch r.URL.Path {
	case "/oauth/request_token":
		s.serveCredentials(w, r, f, noToken, s.requestToken)
	case "/oauth/authorize":
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			s.authorizePage(w, r)
		case http.MethodPost:
			s.authorizeDecision(w, r)
		default:
			w.Header().Set("Allow", "GET, POST")
			s.writeError(w, f, errorf(405, wire.CodeMethodNotAllowed, "use GET or POST"))
		}
	case "/oauth/access_token":
		s.serveCredentials(w, r, f, requestTok, s.accessToken)
	case "/oauth/revoke":
		s.revoke(w, r, f)
	default:
		s.writeError(w, f, errorf(404, wire.CodeNotFound, "no OAuth endpoint at %s", r.URL.Path).
			why("endpoints: /oauth/request_token, /oauth/authorize, /oauth/access_token, /oauth/revoke"))
	}
}

// readSmallBody reads a protocol request's body (forms only, so small).
func readSmallBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	return io.ReadAll(r.Body)
}

func (s *Server) postOnly(w http.ResponseWriter, r *http.Request, f wire.Format) bool {
	if r.Method == http.MethodPost {
		return true
	}
	w.Header().Set("Allow", "POST")
	s.writeError(w, f, errorf(405, wire.CodeMethodNotAllowed, "%s requires POST", r.URL.Path))
	return false
}

func writeForm(w http.ResponseWriter, v url.Values) {
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, v.Encode())
}

func validCallback(cb string) bool {
	if cb == "oob" {
		return true
	}
	u, err := url.Parse(cb)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// signedPost is the common start of the protocol endpoints: POST only, a
// small body, a valid signature of the given token kind. It answers the
// refusal itself and reports whether the caller goes on.
func (s *Server) signedPost(w *recorder, r *http.Request, f wire.Format, kind tokenKind) (*signed, bool) {
	if !s.postOnly(w, r, f) {
		return nil, false
	}
	body, err := readSmallBody(w, r)
	if err != nil {
		s.writeError(w, f, errorf(400, wire.CodeMalformedBody, "reading the request body failed"))
		return nil, false
	}
	sg, e := s.verify(r, body, kind)
	if e != nil {
		s.writeError(w, f, e)
		return nil, false
	}
	return sg, true
}

// serveCredentials answers a signed POST of kind with the credentials h
// issues, as a form.
func (s *Server) serveCredentials(w *recorder, r *http.Request, f wire.Format, kind tokenKind, h func(sg *signed) (url.Values, *apiError)) {
	sg, ok := s.signedPost(w, r, f, kind)
	if !ok {
		return
	}
	v, e := h(sg)
	if e != nil {
		s.writeError(w, f, e)
		return
	}
	writeForm(w, v)
}

// requestToken issues temporary credentials (RFC 5849 §2.1).
func (s *Server) requestToken(sg *signed) (url.Values, *apiError) {
	cb := sg.proto["oauth_callback"]
	if cb == "" {
		return nil, errorf(400, wire.CodeBadOAuthParams, "missing OAuth parameter oauth_callback").
			why("send a callback URL, or oob to receive the verifier on the authorization page")
	}
	if !validCallback(cb) {
		return nil, errorf(400, wire.CodeBadOAuthParams, "oauth_callback must be an absolute http(s) URL or oob")
	}
	now := s.now()
	rt := &requestToken{Token: randomHex(16), Secret: randomSecret(24), ConsumerKey: sg.consumerKey,
		Callback: cb, Created: now.UTC()}
	// The refusal is a value, not update's error: the expired tokens'
	// removal is a change to keep even when the new token is refused.
	refusal, _ := updated(s, func(st *state) (*apiError, *apiError) {
		expired := st.expireRequestTokens(now)
		limit := s.quota.pendingPerConsumer
		if n, left := st.pendingCount(sg.consumerKey, now); n >= limit {
			if !expired {
				return pendingQuotaError(limit, left), errUnchanged
			}
			return pendingQuotaError(limit, left), nil
		}
		st.addRequestToken(rt)
		return nil, nil
	})
	if refusal != nil {
		return nil, refusal
	}
	return url.Values{"oauth_token": {rt.Token}, "oauth_token_secret": {rt.Secret}, "oauth_callback_confirmed": {"true"}}, nil
}

// accessToken exchanges an approved request token and its verifier for
// token credentials (RFC 5849 §2.3).
func (s *Server) accessToken(sg *signed) (url.Values, *apiError) {
	verifier := sg.proto["oauth_verifier"]
	if verifier == "" {
		return nil, errorf(400, wire.CodeBadOAuthParams, "missing OAuth parameter oauth_verifier")
	}
	at, e := updated(s, func(st *state) (*accessToken, *apiError) {
		rt := st.RequestTokens[sg.token]
		switch {
		case rt == nil: // exchanged concurrently
			return nil, errorf(401, wire.CodeTokenRevoked, "unknown request token").
				why("request tokens are single-use; start the authorization again")
		case rt.Verifier == "":
			return nil, errorf(401, wire.CodeBadOAuthParams, "the request token has not been approved yet").
				why("an administrator must approve it at /oauth/authorize first")
		case subtle.ConstantTimeCompare([]byte(rt.Verifier), []byte(verifier)) != 1:
			// A wrong verifier leaves the request token alive so that a
			// mistyped code can be corrected while it lasts.
			return nil, errorf(401, wire.CodeBadOAuthParams, "oauth_verifier does not match").
				why(fmt.Sprintf("check the verification code; the request token stays valid until %s",
					rt.Created.Add(requestTokenTTL).UTC().Format(time.RFC3339)))
		}
		st.deleteRequestToken(rt.Token)
		at := &accessToken{Token: randomHex(16), Secret: randomSecret(24), ConsumerKey: rt.ConsumerKey,
			Created: s.now().UTC(), Via: "oauth"}
		st.AccessTokens[at.Token] = at
		return at, nil
	})
	if e != nil {
		return nil, e
	}
	return url.Values{"oauth_token": {at.Token}, "oauth_token_secret": {at.Secret}}, nil
}

func (s *Server) revoke(w *recorder, r *http.Request, f wire.Format) {
	sg, ok := s.signedPost(w, r, f, accessTokKnd)
	if !ok {
		return
	}
	s.RevokeToken(sg.token)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "revoked\n")
}

// liveRequestToken returns a live request token for the authorize page.
func (s *Server) liveRequestToken(token string) (*requestToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.st.RequestTokens[token]
	if rt == nil {
		return nil, errors.New("this authorization request is unknown or was already used")
	}
	if s.now().Sub(rt.Created) > requestTokenTTL {
		return nil, errors.New("this authorization request expired (they last 10 minutes)")
	}
	cp := *rt
	return &cp, nil
}

// decide records an approval (returning the verifier) or a denial.
func (s *Server) decide(token string, approve bool) (requestToken, string, error) {
	t, e := updated(s, func(st *state) (requestToken, *apiError) {
		t := st.RequestTokens[token]
		if t == nil || s.now().Sub(t.Created) > requestTokenTTL {
			return requestToken{}, errorf(404, wire.CodeNotFound, "this authorization request is unknown, used or expired")
		}
		if t.Verifier != "" {
			return requestToken{}, errorf(409, wire.CodeConflict, "this authorization request was already approved")
		}
		if !approve {
			st.deleteRequestToken(token)
			return *t, nil
		}
		t.Verifier = randomHex(10)
		return *t, nil
	})
	if e != nil {
		return requestToken{}, "", errors.New(e.Message)
	}
	return t, t.Verifier, nil
}

// withParams appends params to a callback URL, keeping its own query.
func withParams(cb string, params url.Values) string {
	u, err := url.Parse(cb)
	if err != nil {
		return cb
	}
	q := u.Query()
	for k, vs := range params {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
