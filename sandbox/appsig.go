package sandbox

import (
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Methods are the signature methods the application's requests are
// accepted with: its Method when set, otherwise the HMAC pair for a secret
// and the RSA pair for a public key. PLAINTEXT is never implied: it sends
// the secrets themselves, so an application must ask for it.
func (a App) Methods() []oauthsig.Method {
	if a.Method != "" {
		return []oauthsig.Method{a.Method}
	}
	var ms []oauthsig.Method
	if a.Secret != "" {
		ms = append(ms, oauthsig.HMACSHA1, oauthsig.HMACSHA256)
	}
	if a.PublicKey != nil {
		ms = append(ms, oauthsig.RSASHA1, oauthsig.RSASHA256)
	}
	return ms
}

// accepts reports whether a request signed with m may be this app's.
func (a App) accepts(m oauthsig.Method) bool { return slices.Contains(a.Methods(), m) }

// methodsText is Methods as a reader would say them.
func (a App) methodsText() string {
	ms := a.Methods()
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = string(m)
	}
	return strings.Join(names, " or ")
}

// validate checks that a can verify the requests it accepts: a secret for
// the secret-based methods, a public key for the RSA ones.
func (a App) validate() error {
	label := a.Name
	if label == "" {
		label = a.Key
	}
	switch {
	case a.Key == "":
		return fmt.Errorf("application %q needs a key", label)
	case a.Method != "" && !a.Method.Valid():
		return fmt.Errorf("application %s: unknown signature method %q (want one of %s)", a.Key, a.Method, methodNames())
	case a.Method.IsRSA() && a.PublicKey == nil:
		return fmt.Errorf("application %s: %s needs the application's RSA public key", a.Key, a.Method)
	case a.Method != "" && !a.Method.IsRSA() && a.Secret == "":
		return fmt.Errorf("application %s: %s needs a consumer secret", a.Key, a.Method)
	case a.Method != "" && !a.Method.IsRSA() && a.PublicKey != nil:
		return fmt.Errorf("application %s: a public key is for RSA-SHA1 or RSA-SHA256, not %s", a.Key, a.Method)
	case a.Method == "" && a.Secret == "" && a.PublicKey == nil:
		return fmt.Errorf("application %s needs a secret or an RSA public key", a.Key)
	case strings.ContainsFunc(a.Realm, unicode.IsControl):
		return fmt.Errorf("application %s: the realm contains a control character", a.Key)
	}
	return nil
}

func methodNames() string {
	names := make([]string, len(oauthsig.Methods))
	for i, m := range oauthsig.Methods {
		names[i] = string(m)
	}
	return strings.Join(names, ", ")
}

// admit applies the application's rules that come before any secret is
// looked up: PLAINTEXT only over TLS, the registered method, the required
// realm. Each refusal names what the application expects.
func admit(r *http.Request, p *oauthParams, app App) *apiError {
	m := oauthsig.Method(p.proto["oauth_signature_method"])
	if m.SendsSecrets() && r.TLS == nil {
		// X-Forwarded-Proto is not trusted here: anyone can send it, and
		// the secrets have crossed plain http either way.
		return errorf(400, wire.CodeUnsupportedSigning, "PLAINTEXT is refused over plain http").
			why("a PLAINTEXT signature is the consumer and token secrets themselves (RFC 5849 §3.4.4), so it is accepted only over https: start the sandbox with --tls; the secrets this request carried should be treated as exposed")
	}
	if !app.accepts(m) {
		return errorf(400, wire.CodeUnsupportedSigning, "application %s does not sign with %s", app.Key, m).
			why(fmt.Sprintf("this application is registered for %s; sign its requests with that method", app.methodsText()))
	}
	if app.Realm == "" {
		return nil
	}
	realm, ok := headerRealm(p)
	switch {
	case !ok && p.place != "Authorization header":
		return errorf(400, wire.CodeBadOAuthParams, "missing realm: application %s requires realm=%q", app.Key, app.Realm).
			why("a realm travels only in the Authorization header (RFC 5849 §3.5.1): sign in the header, with realm=\"" + app.Realm + "\"")
	case !ok:
		return errorf(400, wire.CodeBadOAuthParams, "missing realm: application %s requires realm=%q", app.Key, app.Realm).
			why("add realm=\"" + app.Realm + "\" to the Authorization header (it is not signed)")
	case realm != app.Realm:
		return errorf(401, wire.CodeBadOAuthParams, "realm %q is not application %s's realm %q", realm, app.Key, app.Realm).
			why("the realm is compared exactly, letter case included")
	}
	return nil
}

// headerRealm is the realm of the Authorization header, when the protocol
// parameters came from there.
func headerRealm(p *oauthParams) (string, bool) {
	if p.place != "Authorization header" {
		return "", false
	}
	for _, hp := range p.header {
		if hp.Key == "realm" {
			return hp.Value, true
		}
	}
	return "", false
}

// verifyKey is what checks the app's signatures with tokenSecret.
func (a App) verifyKey(tokenSecret string) oauthsig.VerifyKey {
	return oauthsig.VerifyKey{ConsumerSecret: a.Secret, TokenSecret: tokenSecret, Public: a.PublicKey}
}

// signatureHint says what to check when a signature made with m does not
// verify.
func signatureHint(m oauthsig.Method) string {
	switch {
	case m.IsRSA():
		return "check the private key (it must match the public key the application registered; the token secret is not part of RSA signatures), "
	case m.SendsSecrets():
		return "a PLAINTEXT signature is percent-encoded consumer secret & percent-encoded token secret; check both secrets"
	}
	return "check the consumer secret and token secret, "
}

// isFormBody reports whether the request's body is form-encoded (its
// parameters are signed, so the body hash extension does not apply).
func isFormBody(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// checkBodyHash applies the Request Body Hash extension once the signature
// (which covers oauth_body_hash) has verified: a body hash is never allowed
// on a form body, is always checked when present, and is required on a
// non-form body when the application says so. A request without a body
// may leave it out.
func checkBodyHash(r *http.Request, body []byte, p *oauthParams, app App) *apiError {
	got, present := p.proto["oauth_body_hash"]
	form := isFormBody(r)
	m := oauthsig.Method(p.proto["oauth_signature_method"])
	switch {
	case present && form:
		return errorf(400, wire.CodeBadOAuthParams, "oauth_body_hash on a form-encoded body").
			why("the Request Body Hash extension forbids it there: a form body's parameters are signed already")
	case present:
		if want := m.BodyHash(body); !oauthsig.Equal(want, got) {
			reason := fmt.Sprintf("the server hashed the %d-byte body as sent with %s and got %s; hash the exact bytes sent (after any compression or re-encoding), base64 of the raw digest",
				len(body), bodyDigest(m), want)
			if bodyDigest(m) != "SHA-1" && oauthsig.Equal(oauthsig.HMACSHA1.BodyHash(body), got) {
				// python-oauthlib, for one, hashes with SHA-1 whatever the
				// signature method.
				reason += fmt.Sprintf("; the hash sent is the body's SHA-1: with %s the body hash is SHA-256", m)
			}
			return errorf(401, wire.CodeBadSignature, "oauth_body_hash does not match the body").why(reason)
		}
	case app.BodyHash && !form && len(body) > 0:
		return errorf(400, wire.CodeBadOAuthParams, "missing oauth_body_hash: application %s requires the body hash", app.Key).
			why(fmt.Sprintf("send oauth_body_hash = base64(%s(body)) with the other oauth_* parameters, signed (the Request Body Hash extension)", bodyDigest(m)))
	}
	return nil
}

func bodyDigest(m oauthsig.Method) string {
	if m == oauthsig.HMACSHA256 || m == oauthsig.RSASHA256 {
		return "SHA-256"
	}
	return "SHA-1"
}

// rulesText describes what the application requires beyond the platform's
// default ("" for a default application), for the banner and the console.
func (a App) rulesText() string {
	var parts []string
	if a.Method != "" || a.PublicKey != nil {
		parts = append(parts, "signs with "+a.methodsText())
	}
	if a.Realm != "" {
		parts = append(parts, fmt.Sprintf("realm %q", a.Realm))
	}
	if a.BodyHash {
		parts = append(parts, "body hash required")
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, "; ")
}
