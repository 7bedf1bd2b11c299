package sandbox

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
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

// tokenKind says which token a signed request must carry.
type tokenKind int

const (
	noToken      tokenKind = iota // request_token: consumer only
	requestTok                    // access_token: the request token
	accessTokKnd                  // API calls and revoke: an access token
)

// signed is a request whose signature verified.
type signed struct {
	consumerKey string
	token       string
	proto       map[string]string
}

// formParams returns the body's parameters when it is form-encoded; they
// are signed (RFC 5849 §3.4.1.3.1), any other body is not.
func formParams(r *http.Request, body []byte) ([]oauthsig.Param, error) {
	if len(body) == 0 {
		return nil, nil
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, nil
	}
	return oauthsig.ParseForm(string(body))
}

func isOAuthHeader(h string) bool {
	scheme, _, _ := strings.Cut(strings.TrimSpace(h), " ")
	return strings.EqualFold(scheme, "OAuth")
}

func oauthOnly(ps []oauthsig.Param) []oauthsig.Param {
	var out []oauthsig.Param
	for _, p := range ps {
		if strings.HasPrefix(p.Key, "oauth_") {
			out = append(out, p)
		}
	}
	return out
}

func names(ps []oauthsig.Param) string {
	if len(ps) == 0 {
		return "none"
	}
	ks := make([]string, len(ps))
	for i, p := range ps {
		ks[i] = p.Key
	}
	return strings.Join(ks, ", ")
}

// verify checks an OAuth 1.0a signed request (RFC 5849 §3.2): parameters in
// exactly one placement, supported method, known consumer and token, fresh
// timestamp, a signature over every parameter with the wire method, and an
// unused nonce that fits the client's share (quotas) — in that order, so the
// most actionable refusal wins and only verified requests spend a share.
func (s *Server) verify(r *http.Request, body []byte, kind tokenKind) (*signed, *apiError) {
	form, err := formParams(r, body)
	if err != nil {
		return nil, errorf(400, wire.CodeBadOAuthParams, "malformed form body").why(err.Error())
	}
	query, err := oauthsig.ParseForm(r.URL.RawQuery)
	if err != nil {
		return nil, errorf(400, wire.CodeBadOAuthParams, "malformed query string").why(err.Error())
	}
	var header []oauthsig.Param
	if h := r.Header.Get("Authorization"); isOAuthHeader(h) {
		if header, err = oauthsig.ParseHeader(h); err != nil {
			return nil, errorf(400, wire.CodeBadOAuthParams, "malformed OAuth Authorization header").why(err.Error())
		}
	}
	var places []string
	var proto []oauthsig.Param
	if len(header) > 0 {
		places = append(places, "Authorization header")
		for _, p := range header {
			if p.Key != "realm" {
				proto = append(proto, p)
			}
		}
	}
	if q := oauthOnly(query); len(q) > 0 {
		places, proto = append(places, "query"), q
	}
	if f := oauthOnly(form); len(f) > 0 {
		places, proto = append(places, "form body"), f
	}
	switch len(places) {
	case 0:
		return nil, errorf(401, wire.CodeMissingAuth, "the request is not signed").
			why("send OAuth 1.0a parameters in the Authorization header or as oauth_* query parameters")
	case 1:
	default:
		return nil, errorf(400, wire.CodeBadOAuthParams, "OAuth parameters found in more than one place: %s",
			strings.Join(places, " and ")).why("put all oauth_* parameters in one place")
	}
	pm := map[string]string{}
	for _, p := range proto {
		if _, dup := pm[p.Key]; dup {
			return nil, errorf(400, wire.CodeBadOAuthParams, "OAuth parameter %s given more than once", p.Key)
		}
		pm[p.Key] = p.Value
	}
	for _, k := range []string{"oauth_consumer_key", "oauth_signature_method", "oauth_signature", "oauth_timestamp", "oauth_nonce"} {
		if pm[k] == "" {
			return nil, errorf(400, wire.CodeBadOAuthParams, "missing OAuth parameter %s", k)
		}
	}
	if v, ok := pm["oauth_version"]; ok && v != "1.0" {
		return nil, errorf(400, wire.CodeBadOAuthParams, "unsupported oauth_version %q", v).why("the only version is 1.0")
	}
	method := pm["oauth_signature_method"]
	if method != oauthsig.HMACSHA1 && method != oauthsig.HMACSHA256 {
		return nil, errorf(400, wire.CodeUnsupportedSigning, "unsupported oauth_signature_method %q", method).
			why("use HMAC-SHA1 or HMAC-SHA256")
	}
	if len(pm["oauth_nonce"]) > 256 {
		return nil, errorf(400, wire.CodeBadOAuthParams, "oauth_nonce is longer than 256 characters")
	}
	app, ok := s.apps[pm["oauth_consumer_key"]]
	if !ok {
		return nil, errorf(401, wire.CodeUnknownConsumer, "unknown consumer key %q", pm["oauth_consumer_key"]).
			why("the application is not registered on this account")
	}

	now := s.now()
	tokenSecret := ""
	token := pm["oauth_token"]
	switch kind {
	case noToken:
		if token != "" {
			return nil, errorf(400, wire.CodeBadOAuthParams, "a request-token request carries no oauth_token")
		}
	case requestTok:
		if token == "" {
			return nil, errorf(401, wire.CodeMissingAuth, "missing oauth_token (the request token)")
		}
		s.mu.Lock()
		rt := s.st.RequestTokens[token]
		s.mu.Unlock()
		switch {
		case rt == nil:
			return nil, errorf(401, wire.CodeTokenRevoked, "unknown request token").
				why("request tokens are single-use and last 10 minutes; start the authorization again")
		case rt.ConsumerKey != app.Key:
			return nil, errorf(401, wire.CodeTokenRevoked, "the request token was issued to another application")
		case now.Sub(rt.Created) > requestTokenTTL:
			return nil, errorf(401, wire.CodeTokenRevoked, "the request token expired at %s",
				rt.Created.Add(requestTokenTTL).UTC().Format(time.RFC3339)).why("start the authorization again")
		}
		tokenSecret = rt.Secret
	case accessTokKnd:
		if token == "" {
			return nil, errorf(401, wire.CodeMissingAuth, "the call is signed but carries no oauth_token").
				why("install the application first (three-legged flow or the console's verification code)")
		}
		s.mu.Lock()
		at := s.st.AccessTokens[token]
		s.mu.Unlock()
		switch {
		case at == nil:
			return nil, errorf(401, wire.CodeTokenRevoked, "the access token is unknown or was revoked").
				why("an administrator must install the application again")
		case at.ConsumerKey != app.Key:
			return nil, errorf(401, wire.CodeTokenRevoked, "the access token was issued to another application")
		}
		tokenSecret = at.Secret
	}

	ts, err := strconv.ParseInt(pm["oauth_timestamp"], 10, 64)
	if err != nil {
		return nil, errorf(400, wire.CodeBadOAuthParams, "oauth_timestamp %q is not a number of seconds", pm["oauth_timestamp"])
	}
	if skew := time.Unix(ts, 0).Sub(now); skew > timestampWindow || skew < -timestampWindow {
		dir := "ahead of"
		if skew < 0 {
			dir, skew = "behind", -skew
		}
		return nil, errorf(401, wire.CodeStaleTimestamp,
			"oauth_timestamp %d is %d s %s the server's time %s (unix %d)", ts, int64(skew/time.Second), dir,
			now.UTC().Format(time.RFC3339), now.Unix()).
			why(fmt.Sprintf("timestamps must be within ±%d s of the server clock; correct the client clock or its offset (server time %s, unix %d)",
				int(timestampWindow/time.Second), now.UTC().Format(time.RFC3339), now.Unix()))
	}

	var headerProto []oauthsig.Param
	if places[0] == "Authorization header" {
		headerProto = header
	}
	u := requestURL(r)
	base, err := oauthsig.BaseString(r.Method, u, form, headerProto)
	if err != nil {
		return nil, errorf(400, wire.CodeBadOAuthParams, "cannot build the signature base string").why(err.Error())
	}
	want, err := oauthsig.Sign(method, app.Secret, tokenSecret, base)
	if err != nil {
		return nil, errorf(400, wire.CodeUnsupportedSigning, "unsupported oauth_signature_method %q", method)
	}
	if !oauthsig.Equal(want, pm["oauth_signature"]) {
		// The base string holds no secret but the verifier; showing the rest
		// is what lets a client author see which part they signed
		// differently.
		shown := base
		if v := pm["oauth_verifier"]; v != "" {
			shown = strings.ReplaceAll(shown, oauthsig.PercentEncode(oauthsig.PercentEncode(v)), "REDACTED")
		}
		var nonOAuthQuery []oauthsig.Param
		for _, p := range query {
			if !strings.HasPrefix(p.Key, "oauth_") {
				nonOAuthQuery = append(nonOAuthQuery, p)
			}
		}
		return nil, errorf(401, wire.CodeBadSignature, "invalid signature (%s): the server signed %s %s over query [%s], form body [%s] and the OAuth parameters from the %s",
			method, r.Method, oauthsig.BaseURI(u), names(nonOAuthQuery), names(form), places[0]).
			why("check the consumer secret and token secret, the wire method (POST for an overridden PUT/DELETE), and that every query and form parameter, repeated keys included, was signed; server base string: " + shown)
	}

	// Only now, with the signature verified, does the nonce take space: a
	// forged request cannot fill anyone's share.
	s.mu.Lock()
	limit := s.quota.nonceLimit(kind)
	verdict, retry := s.nonces.use(nonceScope{kind, app.Key, token}, limit, pm["oauth_nonce"], ts, now)
	if verdict == nonceFresh && kind == accessTokKnd {
		if at := s.st.AccessTokens[token]; at != nil {
			at.LastUsed = now.UTC()
		}
	}
	s.mu.Unlock()
	switch verdict {
	case nonceReused:
		return nil, errorf(401, wire.CodeNonceReused, "oauth_nonce was already used").
			why("send a fresh nonce with every request")
	case nonceOverQuota:
		return nil, nonceQuotaError(kind, limit, retry)
	}
	return &signed{consumerKey: app.Key, token: token, proto: pm}, nil
}

// serveOAuth is the provider side of RFC 5849 §2.
func (s *Server) serveOAuth(w *recorder, r *http.Request) {
	f, ok := acceptFormat(r.Header.Get("Accept"))
	if !ok {
		f = wire.JSON
	}
	switch r.URL.Path {
	case "/oauth/request_token":
		s.requestToken(w, r, f)
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
		s.accessToken(w, r, f)
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

func (s *Server) requestToken(w *recorder, r *http.Request, f wire.Format) {
	sg, ok := s.signedPost(w, r, f, noToken)
	if !ok {
		return
	}
	cb := sg.proto["oauth_callback"]
	if cb == "" {
		s.writeError(w, f, errorf(400, wire.CodeBadOAuthParams, "missing OAuth parameter oauth_callback").
			why("send a callback URL, or oob to receive the verifier on the authorization page"))
		return
	}
	if !validCallback(cb) {
		s.writeError(w, f, errorf(400, wire.CodeBadOAuthParams, "oauth_callback must be an absolute http(s) URL or oob"))
		return
	}
	now := s.now()
	rt := &requestToken{Token: randomHex(16), Secret: randomSecret(24), ConsumerKey: sg.consumerKey,
		Callback: cb, Created: now.UTC()}
	s.mu.Lock()
	if s.st.expireRequestTokens(now) {
		s.changed()
	}
	limit := s.quota.pendingPerConsumer
	if n, left := s.st.pendingCount(sg.consumerKey, now); n >= limit {
		s.mu.Unlock()
		_ = s.persist() // the expired tokens' removal, if any
		s.writeError(w, f, pendingQuotaError(limit, left))
		return
	}
	s.st.addRequestToken(rt)
	s.changed()
	s.mu.Unlock()
	_ = s.persist()
	writeForm(w, url.Values{"oauth_token": {rt.Token}, "oauth_token_secret": {rt.Secret},
		"oauth_callback_confirmed": {"true"}})
}

func (s *Server) accessToken(w *recorder, r *http.Request, f wire.Format) {
	sg, ok := s.signedPost(w, r, f, requestTok)
	if !ok {
		return
	}
	verifier := sg.proto["oauth_verifier"]
	if verifier == "" {
		s.writeError(w, f, errorf(400, wire.CodeBadOAuthParams, "missing OAuth parameter oauth_verifier"))
		return
	}
	s.mu.Lock()
	rt := s.st.RequestTokens[sg.token]
	switch {
	case rt == nil: // exchanged concurrently
		s.mu.Unlock()
		s.writeError(w, f, errorf(401, wire.CodeTokenRevoked, "unknown request token").
			why("request tokens are single-use; start the authorization again"))
		return
	case rt.Verifier == "":
		s.mu.Unlock()
		s.writeError(w, f, errorf(401, wire.CodeBadOAuthParams, "the request token has not been approved yet").
			why("an administrator must approve it at /oauth/authorize first"))
		return
	case subtle.ConstantTimeCompare([]byte(rt.Verifier), []byte(verifier)) != 1:
		// A wrong verifier leaves the request token alive so that a
		// mistyped code can be corrected while it lasts.
		s.mu.Unlock()
		s.writeError(w, f, errorf(401, wire.CodeBadOAuthParams, "oauth_verifier does not match").
			why(fmt.Sprintf("check the verification code; the request token stays valid until %s",
				rt.Created.Add(requestTokenTTL).UTC().Format(time.RFC3339))))
		return
	}
	s.st.deleteRequestToken(rt.Token)
	at := &accessToken{Token: randomHex(16), Secret: randomSecret(24), ConsumerKey: rt.ConsumerKey,
		Created: s.now().UTC(), Via: "oauth"}
	s.st.AccessTokens[at.Token] = at
	s.changed()
	s.mu.Unlock()
	_ = s.persist()
	writeForm(w, url.Values{"oauth_token": {at.Token}, "oauth_token_secret": {at.Secret}})
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

// requestTokenFor returns a live request token for the authorize page.
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
func (s *Server) decide(token string, approve bool) (rt requestToken, verifier string, err error) {
	s.mu.Lock()
	defer func() {
		s.mu.Unlock()
		if err == nil {
			_ = s.persist()
		}
	}()
	t := s.st.RequestTokens[token]
	if t == nil || s.now().Sub(t.Created) > requestTokenTTL {
		return requestToken{}, "", errors.New("this authorization request is unknown, used or expired")
	}
	if t.Verifier != "" {
		return requestToken{}, "", errors.New("this authorization request was already approved")
	}
	if !approve {
		s.st.deleteRequestToken(token)
		s.changed()
		return *t, "", nil
	}
	t.Verifier = randomHex(10)
	s.changed()
	return *t, t.Verifier, nil
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
