package sandbox

import (
	"errors"
	"net/http"
	"strings"
	"unicode"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// consoleRegister is POST /console/apps: the applications page's form that
// registers an application with its signature method, its secret or RSA
// public key (PEM), a required realm and whether it requires the body hash.
func (s *Server) consoleRegister(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.authPost(w, r)
	if !ok {
		return
	}
	a, msg := appFromForm(r)
	if msg != "" {
		s.consoleFail(w, r, http.StatusBadRequest, msg)
		return
	}
	if err := s.RegisterApp(a); err != nil {
		status, msg := http.StatusBadRequest, strings.TrimPrefix(err.Error(), "sandbox: ")
		if errors.Is(err, ErrAppExists) {
			status, msg = http.StatusConflict, "An application with key "+a.Key+" is already registered."
		}
		s.consoleFail(w, r, status, msg)
		return
	}
	if sess == nil || wantsText(r) {
		writeText(w, http.StatusOK, "registered "+a.Key+"\n")
		return
	}
	http.Redirect(w, r, "/console?done=registered", http.StatusSeeOther)
}

// appFromForm reads the registration form; msg says what is wrong (never
// quoting the secret).
func appFromForm(r *http.Request) (App, string) {
	a := App{Name: strings.TrimSpace(r.PostFormValue("name")), Key: strings.TrimSpace(r.PostFormValue("key")),
		Secret: r.PostFormValue("secret"), Realm: r.PostFormValue("realm")}
	switch {
	case a.Key == "":
		return a, "The application needs a key."
	case len(a.Key) > 200 || strings.ContainsAny(a.Key, "/?#") || strings.ContainsFunc(a.Key, unicode.IsControl):
		return a, "The key may not contain /, ?, # or control characters, and is at most 200 characters."
	}
	if m := strings.TrimSpace(r.PostFormValue("method")); m != "" {
		method, err := oauthsig.ParseMethod(m)
		if err != nil {
			return a, "Signature method: " + err.Error() + "."
		}
		a.Method = method
	}
	if pemText := strings.TrimSpace(r.PostFormValue("publicKey")); pemText != "" {
		pub, err := oauthsig.ParsePublicKey([]byte(pemText))
		if err != nil {
			return a, "The RSA public key could not be read: " + err.Error() + ". Paste the PEM (BEGIN PUBLIC KEY, BEGIN RSA PUBLIC KEY or a certificate)."
		}
		a.PublicKey = pub
	}
	if a.Method.IsRSA() || (a.Method == "" && a.PublicKey != nil) {
		// An RSA application signs with its private key only; a secret
		// typed as well would be kept for nothing.
		a.Secret = ""
	}
	switch v := r.PostFormValue("bodyHash"); v {
	case "", "off", "false":
	case "on", "true", "1":
		a.BodyHash = true
	default:
		return a, "bodyHash must be on or off."
	}
	return a, ""
}
