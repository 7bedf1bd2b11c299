package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// echoPrefix is the echo resource: the sandbox's stand-in for "any other
// OAuth 1.0a provider's REST API". It follows none of the platform's
// conventions (no v=1, real PUT/DELETE/PATCH, JSON only) but is signed like
// every API call, so a generic client can be tested end to end against it.
const echoPrefix = "/api/echo/"

// echoReply is what the echo resource answers: the request as the sandbox
// verified it.
type echoReply struct {
	Method      string      `json:"method"`
	Path        string      `json:"path"`
	RawPath     string      `json:"rawPath"`
	Query       [][2]string `json:"query"`
	ContentType string      `json:"contentType"`
	Body        string      `json:"body"`
	// Form is the body's parameters when it is form-encoded (signed).
	Form             [][2]string `json:"form,omitempty"`
	BodyHash         string      `json:"bodyHash,omitempty"`
	BodyHashVerified bool        `json:"bodyHashVerified"`
	SignatureMethod  string      `json:"signatureMethod"`
	Placement        string      `json:"placement"`
	Realm            string      `json:"realm,omitempty"`
	ConsumerKey      string      `json:"consumerKey"`
}

// serveEcho answers the echo resource; it reports whether the path was
// the echo's.
func (s *Server) serveEcho(w *recorder, r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, echoPrefix) {
		return false
	}
	if here := listenerOf(r); here != serviceAccount {
		s.writeError(w, wire.JSON, errorf(404, wire.CodeNotFound, "no resource at %s", r.URL.Path).
			why("the echo resource is on the main listener"))
		return true
	}
	q := &apiReq{r: r}
	if e := q.readBody(w); e != nil {
		s.writeError(w, wire.JSON, e)
		return true
	}
	sg, e := s.verify(r, q.body, accessTokKnd)
	if e != nil {
		s.writeError(w, wire.JSON, e)
		return true
	}
	p, _ := gatherParams(r, q.body) // verify parsed these already
	rep := echoReply{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(),
		Query: pairs(filterOAuth(p.query, false)), ContentType: r.Header.Get("Content-Type"),
		Body: echoBody(r, q.body), Form: pairs(filterOAuth(p.form, false)),
		BodyHash: sg.proto["oauth_body_hash"], SignatureMethod: sg.proto["oauth_signature_method"],
		Placement: p.place, ConsumerKey: sg.consumerKey}
	// verify refuses a body hash that does not match: one that is here
	// was checked.
	rep.BodyHashVerified = rep.BodyHash != ""
	rep.Realm, _ = headerRealm(&p)
	out, err := json.Marshal(rep)
	if err != nil {
		s.writeError(w, wire.JSON, errorf(500, wire.CodeInternal, "internal error"))
		return true
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(out)
	}
	return true
}

// pairs is ps as [name, value] pairs, in order; never nil, so JSON shows [].
func pairs(ps []oauthsig.Param) [][2]string {
	out := make([][2]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, [2]string{p.Key, p.Value})
	}
	return out
}

// echoBody is the body as it arrived, less the oauth_* pairs of a form
// body: with the form placement they hold the signature, and a PLAINTEXT
// signature is the secrets themselves.
func echoBody(r *http.Request, body []byte) string {
	if !isFormBody(r) {
		return string(body)
	}
	var kept []string
	for _, pair := range strings.Split(string(body), "&") {
		k, _, _ := strings.Cut(pair, "=")
		if name, err := url.QueryUnescape(k); err == nil && strings.HasPrefix(name, "oauth_") {
			continue
		}
		kept = append(kept, pair)
	}
	return strings.Join(kept, "&")
}
