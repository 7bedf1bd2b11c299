package sandbox

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
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

// verify checks an OAuth 1.0a signed request (RFC 5849 §3.2): parameters in
// exactly one placement, supported method, known consumer and token, fresh
// timestamp, a signature over every parameter with the wire method, and an
// unused nonce that fits the client's share (quotas) — in that order, so the
// most actionable refusal wins and only verified requests spend a share.
func (s *Server) verify(r *http.Request, body []byte, kind tokenKind) (*signed, *apiError) {
	p, e := gatherParams(r, body)
	if e != nil {
		return nil, e
	}
	pm := p.proto
	if e := checkProtocol(pm); e != nil {
		return nil, e
	}
	app, ok := s.app(pm["oauth_consumer_key"])
	if !ok {
		return nil, errorf(401, wire.CodeUnknownConsumer, "unknown consumer key %q", pm["oauth_consumer_key"]).
			why("the application is not registered on this account")
	}
	if e := admit(r, &p, app); e != nil {
		return nil, e
	}
	now := s.now()
	token := pm["oauth_token"]
	tokenSecret, e := s.tokenSecret(kind, token, app, now)
	if e != nil {
		return nil, e
	}
	ts, e := checkTimestamp(pm["oauth_timestamp"], now)
	if e != nil {
		return nil, e
	}
	if e := p.checkSignature(r, app, tokenSecret); e != nil {
		return nil, e
	}
	if e := checkBodyHash(r, body, &p, app); e != nil {
		return nil, e
	}
	// Only now, with the signature verified, does the nonce take space: a
	// forged request cannot fill anyone's share.
	if e := s.spendNonce(nonceScope{kind, app.Key, token}, pm["oauth_nonce"], ts, now); e != nil {
		return nil, e
	}
	return &signed{consumerKey: app.Key, token: token, proto: pm}, nil
}

// oauthParams are a request's parameters as the signature covers them.
type oauthParams struct {
	form, query, header []oauthsig.Param
	// place is where the protocol parameters stood: "Authorization
	// header", "query" or "form body".
	place string
	proto map[string]string
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

// filterOAuth keeps the protocol parameters (oauth_*) of ps, or with
// protocol unset the others.
func filterOAuth(ps []oauthsig.Param, protocol bool) []oauthsig.Param {
	var out []oauthsig.Param
	for _, p := range ps {
		if strings.HasPrefix(p.Key, "oauth_") == protocol {
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

// gatherParams reads the form body, the query and the Authorization
// header, and the protocol parameters from the one place they may stand.
func gatherParams(r *http.Request, body []byte) (oauthParams, *apiError) {
	var p oauthParams
	var err error
	if p.form, err = formParams(r, body); err != nil {
		return p, errorf(400, wire.CodeBadOAuthParams, "malformed form body").why(err.Error())
	}
	if p.query, err = oauthsig.ParseForm(r.URL.RawQuery); err != nil {
		return p, errorf(400, wire.CodeBadOAuthParams, "malformed query string").why(err.Error())
	}
	if h := r.Header.Get("Authorization"); isOAuthHeader(h) {
		if p.header, err = oauthsig.ParseHeader(h); err != nil {
			return p, errorf(400, wire.CodeBadOAuthParams, "malformed OAuth Authorization header").why(err.Error())
		}
	}
	var placesBuf [3]string
	places := placesBuf[:0]
	var proto []oauthsig.Param
	if len(p.header) > 0 {
		proto = make([]oauthsig.Param, 0, len(p.header))
		places = append(places, "Authorization header")
		for _, hp := range p.header {
			if hp.Key != "realm" {
				proto = append(proto, hp)
			}
		}
	}
	if q := filterOAuth(p.query, true); len(q) > 0 {
		places, proto = append(places, "query"), q
	}
	if f := filterOAuth(p.form, true); len(f) > 0 {
		places, proto = append(places, "form body"), f
	}
	switch len(places) {
	case 0:
		return p, errorf(401, wire.CodeMissingAuth, "the request is not signed").
			why("send OAuth 1.0a parameters in the Authorization header or as oauth_* query parameters")
	case 1:
	default:
		return p, errorf(400, wire.CodeBadOAuthParams, "OAuth parameters found in more than one place: %s",
			strings.Join(places, " and ")).why("put all oauth_* parameters in one place")
	}
	p.place = places[0]
	p.proto = map[string]string{}
	for _, pp := range proto {
		if _, dup := p.proto[pp.Key]; dup {
			return p, errorf(400, wire.CodeBadOAuthParams, "OAuth parameter %s given more than once", pp.Key)
		}
		p.proto[pp.Key] = pp.Value
	}
	return p, nil
}

// checkProtocol checks the protocol parameters every signed request needs,
// before anything is looked up.
func checkProtocol(pm map[string]string) *apiError {
	for _, k := range []string{"oauth_consumer_key", "oauth_signature_method", "oauth_signature", "oauth_timestamp", "oauth_nonce"} {
		if pm[k] == "" {
			return errorf(400, wire.CodeBadOAuthParams, "missing OAuth parameter %s", k)
		}
	}
	if v, ok := pm["oauth_version"]; ok && v != "1.0" {
		return errorf(400, wire.CodeBadOAuthParams, "unsupported oauth_version %q", v).why("the only version is 1.0")
	}
	if method := oauthsig.Method(pm["oauth_signature_method"]); !method.Valid() {
		return errorf(400, wire.CodeUnsupportedSigning, "unsupported oauth_signature_method %q", method).
			why("use " + methodNames() + " (as the application is registered)")
	}
	if len(pm["oauth_nonce"]) > 256 {
		return errorf(400, wire.CodeBadOAuthParams, "oauth_nonce is longer than 256 characters")
	}
	return nil
}

// tokenSecret checks the token a request of kind carries, issued to app,
// and returns its secret ("" for a request without a token).
func (s *Server) tokenSecret(kind tokenKind, token string, app App, now time.Time) (string, *apiError) {
	switch kind {
	case noToken:
		if token != "" {
			return "", errorf(400, wire.CodeBadOAuthParams, "a request-token request carries no oauth_token")
		}
		return "", nil
	case requestTok:
		if token == "" {
			return "", errorf(401, wire.CodeMissingAuth, "missing oauth_token (the request token)")
		}
		rt, _ := viewed(s, func(st *state) (*requestToken, *apiError) { return st.RequestTokens[token], nil })
		switch {
		case rt == nil:
			return "", errorf(401, wire.CodeTokenRevoked, "unknown request token").
				why("request tokens are single-use and last 10 minutes; start the authorization again")
		case rt.ConsumerKey != app.Key:
			return "", errorf(401, wire.CodeTokenRevoked, "the request token was issued to another application")
		case now.Sub(rt.Created) > requestTokenTTL:
			return "", errorf(401, wire.CodeTokenRevoked, "the request token expired at %s",
				rt.Created.Add(requestTokenTTL).UTC().Format(time.RFC3339)).why("start the authorization again")
		}
		return rt.Secret, nil
	}
	if token == "" {
		return "", errorf(401, wire.CodeMissingAuth, "the call is signed but carries no oauth_token").
			why("install the application first (three-legged flow or the console's verification code)")
	}
	at, _ := viewed(s, func(st *state) (*accessToken, *apiError) { return st.AccessTokens[token], nil })
	switch {
	case at == nil:
		return "", errorf(401, wire.CodeTokenRevoked, "the access token is unknown or was revoked").
			why("an administrator must install the application again")
	case at.ConsumerKey != app.Key:
		return "", errorf(401, wire.CodeTokenRevoked, "the access token was issued to another application")
	}
	return at.Secret, nil
}

// checkTimestamp parses oauth_timestamp and checks it is within
// timestampWindow of now.
func checkTimestamp(raw string, now time.Time) (int64, *apiError) {
	ts, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, errorf(400, wire.CodeBadOAuthParams, "oauth_timestamp %q is not a number of seconds", raw)
	}
	if skew := time.Unix(ts, 0).Sub(now); skew > timestampWindow || skew < -timestampWindow {
		dir := "ahead of"
		if skew < 0 {
			dir, skew = "behind", -skew
		}
		return 0, errorf(401, wire.CodeStaleTimestamp,
			"oauth_timestamp %d is %d s %s the server's time %s (unix %d)", ts, int64(skew/time.Second), dir,
			now.UTC().Format(time.RFC3339), now.Unix()).
			why(fmt.Sprintf("timestamps must be within ±%d s of the server clock; correct the client clock or its offset (server time %s, unix %d)",
				int(timestampWindow/time.Second), now.UTC().Format(time.RFC3339), now.Unix()))
	}
	return ts, nil
}

// checkSignature signs the request as the server sees it and compares.
// A mismatch is explained with the server's base string.
func (p *oauthParams) checkSignature(r *http.Request, app App, tokenSecret string) *apiError {
	var headerProto []oauthsig.Param
	if p.place == "Authorization header" {
		headerProto = p.header
	}
	method := oauthsig.Method(p.proto["oauth_signature_method"])
	u := requestURL(r)
	// gatherParams read the query already (and refused a malformed one).
	bp := baseBufs.Get().(*[]byte)
	defer baseBufs.Put(bp)
	base := oauthsig.AppendBaseString((*bp)[:0], r.Method, u, p.query, p.form, headerProto)
	*bp = base
	sig := p.proto["oauth_signature"]
	var err error
	if method == oauthsig.HMACSHA1 || method == oauthsig.HMACSHA256 {
		// The common case, checked without allocating.
		var ok bool
		if ok, err = oauthsig.Check(method, app.Secret, tokenSecret, base, sig); err == nil && !ok {
			err = oauthsig.ErrBadSignature
		}
	} else {
		err = oauthsig.Verify(method, app.verifyKey(tokenSecret), string(base), sig)
	}
	if err == nil {
		return nil
	}
	if !errors.Is(err, oauthsig.ErrBadSignature) {
		return errorf(400, wire.CodeUnsupportedSigning, "cannot verify oauth_signature_method %q", method).why(err.Error())
	}
	if method.SendsSecrets() {
		// PLAINTEXT signs no base string: showing one would only mislead.
		return errorf(401, wire.CodeBadSignature, "invalid signature (%s)", method).why(signatureHint(method))
	}
	// The base string holds no secret but the verifier; showing the rest
	// is what lets a client author see which part they signed
	// differently.
	shown := string(base)
	if v := p.proto["oauth_verifier"]; v != "" {
		shown = strings.ReplaceAll(shown, oauthsig.PercentEncode(oauthsig.PercentEncode(v)), "REDACTED")
	}
	return errorf(401, wire.CodeBadSignature, "invalid signature (%s): the server signed %s %s over query [%s], form body [%s] and the OAuth parameters from the %s",
		method, r.Method, oauthsig.BaseURI(u), names(filterOAuth(p.query, false)), names(p.form), p.place).
		why(signatureHint(method) + "the wire method (POST for an overridden PUT/DELETE), and that every query and form parameter, repeated keys included, was signed; server base string: " + shown)
}

// baseBufs are checkSignature's base-string buffers, reused: a fresh one
// for every verification was most of its allocated bytes.
var baseBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// spendNonce remembers a verified request's nonce in its scope, refusing a
// replay or a scope over its share; a fresh nonce also marks the access
// token used.
func (s *Server) spendNonce(scope nonceScope, nonce string, ts int64, now time.Time) *apiError {
	s.mu.Lock()
	limit := s.quota.nonceLimit(scope.kind)
	verdict, retry := s.nonces.use(scope, limit, nonce, ts, now)
	if verdict == nonceFresh && scope.kind == accessTokKnd {
		if at := s.st.AccessTokens[scope.token]; at != nil {
			at.LastUsed = now.UTC()
		}
	}
	s.mu.Unlock()
	switch verdict {
	case nonceReused:
		return errorf(401, wire.CodeNonceReused, "oauth_nonce was already used").
			why("send a fresh nonce with every request")
	case nonceOverQuota:
		return nonceQuotaError(scope.kind, limit, retry)
	}
	return nil
}
