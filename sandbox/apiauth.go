package sandbox

import (
	"net/http"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// authenticate applies the API's authentication to q: every API takes a
// signed call; the Server Chat API and the account's own resources also
// take an unsigned one (appKey) when the account allows those.
func (s *Server) authenticate(q *apiReq, res *resource) *apiError {
	consumer, token, e := s.authenticateAPI(q.r, q.body)
	if e != nil {
		return e
	}
	if res != nil && res.api.auth == authSigned && token == "" {
		return errorf(401, wire.CodeMissingAuth, "the %s API takes signed requests only", res.api.name).
			why("sign the request with OAuth 1.0a (an application's key and an installed access token)")
	}
	q.consumer, q.token = consumer, token
	return nil
}

// authenticateAPI accepts a signed call, or an unsigned one
// (Authorization: LivePerson appKey=K, or appKey=K in the query) when the
// account allows those.
func (s *Server) authenticateAPI(r *http.Request, body []byte) (consumer, token string, e *apiError) {
	h := r.Header.Get("Authorization")
	// The query and form are read here only when the header does not say
	// "signed" already: verify reads them again anyway.
	var query []oauthsig.Param
	signed := isOAuthHeader(h)
	if !signed {
		query, _ = oauthsig.ParseForm(r.URL.RawQuery)
		form, _ := formParams(r, body)
		signed = len(filterOAuth(query, true)) > 0 || len(filterOAuth(form, true)) > 0
	}
	if signed {
		sg, err := s.verify(r, body, accessTokKnd)
		if err != nil {
			return "", "", err
		}
		return sg.consumerKey, sg.token, nil
	}
	appKey, unsigned := "", false
	if scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " "); strings.EqualFold(scheme, "LivePerson") {
		k, v, _ := strings.Cut(strings.TrimSpace(rest), "=")
		if strings.TrimSpace(k) != "appKey" {
			return "", "", errorf(400, wire.CodeBadOAuthParams, "malformed LivePerson Authorization header").
				why("the form is: Authorization: LivePerson appKey=KEY")
		}
		appKey, unsigned = strings.Trim(strings.TrimSpace(v), `"`), true
	} else {
		for _, p := range query {
			// appKey as the seed and the Postman collection write it,
			// appkey as SC retrieve-chat-events.md does.
			if p.Key == "appKey" || p.Key == "appkey" {
				appKey, unsigned = p.Value, true
				break
			}
		}
	}
	if !unsigned {
		if h != "" {
			return "", "", errorf(401, wire.CodeMissingAuth, "unsupported Authorization scheme").
				why("sign with OAuth 1.0a (Authorization: OAuth …)")
		}
		return "", "", errorf(401, wire.CodeMissingAuth, "the request carries no credentials").
			why("sign it with OAuth 1.0a in the Authorization header or oauth_* query parameters")
	}
	if !s.allowUnsigned() {
		return "", "", errorf(403, wire.CodeUnsignedRefused, "this account refuses unsigned calls").
			why("sign the request with OAuth 1.0a, or allow unsigned calls in the admin console")
	}
	if _, ok := s.app(appKey); !ok {
		return "", "", errorf(401, wire.CodeUnknownConsumer, "unknown application key %q", appKey)
	}
	return appKey, "", nil
}
