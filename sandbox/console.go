package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/assets"
)

const (
	sessionCookie = "lpdesk_console"
	sessionTTL    = 12 * time.Hour
)

// consoleSession is a signed-in admin in a browser. Sessions live in memory
// only: a restart signs everyone out, which is what a sandbox wants.
type consoleSession struct {
	id      string
	csrf    string
	expires time.Time
}

// adminOK compares credentials in constant time (hashing first so that the
// lengths do not leak either).
func (s *Server) adminOK(user, pass string) bool {
	hu, hp := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(pass))
	wu, wp := sha256.Sum256([]byte(s.cfg.AdminUser)), sha256.Sum256([]byte(s.cfg.AdminPassword))
	return subtle.ConstantTimeCompare(hu[:], wu[:])&subtle.ConstantTimeCompare(hp[:], wp[:]) == 1
}

func (s *Server) session(r *http.Request) *consoleSession {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[c.Value]
	if sess == nil {
		return nil
	}
	if s.now().After(sess.expires) {
		delete(s.sessions, c.Value)
		return nil
	}
	return sess
}

func (s *Server) newSession(w http.ResponseWriter, r *http.Request) *consoleSession {
	now := s.now()
	sess := &consoleSession{id: randomSecret(24), csrf: randomSecret(24), expires: now.Add(sessionTTL)}
	s.mu.Lock()
	for k, old := range s.sessions {
		if now.After(old.expires) {
			delete(s.sessions, k)
		}
	}
	s.sessions[sess.id] = sess
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: int(sessionTTL / time.Second)})
	return sess
}

// authPost authenticates a console action (a form POST). A request that
// shows no sign of a browser is a script's: it authenticates with HTTP
// Basic and the admin's credentials. Any other is a browser's: it must come
// from the console's own origin and carry the session cookie and the
// session's CSRF token, whatever Authorization it also sends, and it is
// never offered a Basic challenge (a browser would prompt for the password
// and then send it on every later request, a foreign page's included).
// authPost writes the refusal itself; sess is nil for Basic.
func (s *Server) authPost(w http.ResponseWriter, r *http.Request) (sess *consoleSession, ok bool) {
	g := judge(s.gateOf(r))
	if g.CrossSite != "" {
		s.consoleFail(w, r, http.StatusForbidden, "Refused: "+g.CrossSite+". Console actions are accepted only from the console's own pages.")
		return nil, false
	}
	if !g.Browser {
		user, pass, basic := r.BasicAuth()
		if basic && s.adminOK(user, pass) {
			return nil, true
		}
		msg := "Sign in to the console first (or use HTTP Basic with the administrator's credentials)."
		if basic {
			msg = "Wrong administrator credentials."
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="lpdesk sandbox console", charset="UTF-8"`)
		s.consoleFail(w, r, http.StatusUnauthorized, msg)
		return nil, false
	}
	sess = s.session(r)
	if sess == nil {
		msg := "Sign in to the console first."
		if _, _, basic := r.BasicAuth(); basic {
			msg = "Sign in to the console first: HTTP Basic is for scripts, and a request from a browser (it sent Origin, Referer, Sec-Fetch-* or a cookie) needs the console's session."
		}
		s.consoleFail(w, r, http.StatusForbidden, msg)
		return nil, false
	}
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(sess.csrf)) != 1 {
		s.consoleFail(w, r, http.StatusForbidden, "The form is stale or was not sent by the console (CSRF check failed). Reload the page and try again.")
		return nil, false
	}
	return sess, true
}

// wantsText is true for clients that asked for text/plain (scripts, tests,
// the CLI) rather than a page.
func wantsText(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return strings.Contains(a, "text/plain") && !strings.Contains(a, "text/html")
}

func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}

func (s *Server) consoleFail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if wantsText(r) || r.Header.Get("Authorization") != "" {
		writeText(w, status, msg+"\n")
		return
	}
	s.page(w, status, "message", pageData{Title: "Error", Message: msg, Back: "/console"})
}

// serveConsole is the admin console.
func (s *Server) serveConsole(w *recorder, r *http.Request) {
	p := r.URL.Path
	if p == "/console" || p == "/console/" {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET")
			s.consoleFail(w, r, http.StatusMethodNotAllowed, "Use GET.")
			return
		}
		s.dashboard(w, r)
		return
	}
	if s.serveLive(w, r) {
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		s.consoleFail(w, r, http.StatusMethodNotAllowed, "Console actions are form POSTs.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.consoleFail(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	switch {
	case p == "/console/login":
		s.login(w, r)
	case p == "/console/logout":
		s.logout(w, r)
	case p == "/console/settings":
		s.settings(w, r)
	case strings.HasPrefix(p, "/console/tokens/") && strings.HasSuffix(p, "/revoke"):
		s.consoleRevoke(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/console/tokens/"), "/revoke"))
	case p == "/console/apps":
		s.consoleRegister(w, r)
	case strings.HasPrefix(p, "/console/apps/") && strings.HasSuffix(p, "/install"):
		s.consoleInstall(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/console/apps/"), "/install"))
	default:
		s.consoleFail(w, r, http.StatusNotFound, "No such console action.")
	}
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	// Login CSRF: a foreign page must not sign the admin's browser in.
	if g := judge(s.gateOf(r)); g.CrossSite != "" {
		s.consoleFail(w, r, http.StatusForbidden, "Refused: "+g.CrossSite+". Sign in from the console's own page.")
		return
	}
	next := safeNext(r.PostFormValue("next"))
	if !s.adminOK(r.PostFormValue("user"), r.PostFormValue("password")) {
		s.page(w, http.StatusUnauthorized, "login", pageData{Title: "Sign in", Error: "Wrong user name or password.",
			Next: next, User: r.PostFormValue("user")})
		return
	}
	s.newSession(w, r)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if sess, ok := s.authPost(w, r); ok {
		if sess != nil {
			s.mu.Lock()
			delete(s.sessions, sess.id)
			s.mu.Unlock()
		}
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, "/console", http.StatusSeeOther)
	}
}

func (s *Server) settings(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.authPost(w, r)
	if !ok {
		return
	}
	v := r.PostFormValue("unsigned")
	if v != "on" && v != "off" {
		s.consoleFail(w, r, http.StatusBadRequest, "unsigned must be on or off.")
		return
	}
	s.SetAllowUnsigned(v == "on")
	if sess == nil || wantsText(r) {
		writeText(w, http.StatusOK, "unsigned="+v+"\n")
		return
	}
	http.Redirect(w, r, "/console?done=settings", http.StatusSeeOther)
}

func (s *Server) consoleRevoke(w http.ResponseWriter, r *http.Request, token string) {
	sess, ok := s.authPost(w, r)
	if !ok {
		return
	}
	if !s.RevokeToken(token) {
		s.consoleFail(w, r, http.StatusNotFound, "No such access token.")
		return
	}
	if sess == nil || wantsText(r) {
		writeText(w, http.StatusOK, "revoked\n")
		return
	}
	http.Redirect(w, r, "/console?done=revoked", http.StatusSeeOther)
}

func (s *Server) consoleInstall(w http.ResponseWriter, r *http.Request, key string) {
	if _, ok := s.authPost(w, r); !ok {
		return
	}
	app, known := s.app(key)
	if !known {
		s.consoleFail(w, r, http.StatusNotFound, "No such application.")
		return
	}
	t, err := s.installApp(key, "console")
	if err != nil {
		s.consoleFail(w, r, http.StatusInternalServerError, "Installation failed.")
		return
	}
	code := t.Token + ";" + t.Secret
	if wantsText(r) {
		writeText(w, http.StatusOK, code)
		return
	}
	s.page(w, http.StatusOK, "installed", pageData{Title: "Application installed", App: publicApp(app), Code: code, Token: t.Token})
}

type tokenRow struct {
	Token, Via        string
	Created, LastUsed string
}

type appRow struct {
	App
	Demo bool
	// Rules say what the application requires beyond the default.
	Rules  string
	Tokens []tokenRow
}

type pageData struct {
	Title, Message, Error, Back, Next, User string
	CSRF                                    string
	SignedIn                                bool
	Account, AccountURL, ConsoleUser        string
	Unsigned                                bool
	Apps                                    []appRow
	Pending                                 int
	Done                                    string
	// install result
	App         App
	Code, Token string
	// authorize
	RequestToken, Callback string
	OOB                    bool
	Verifier               string
	// the live pages (console_live.go)
	Live *liveView
}

// publicApp drops the consumer secret and key before an App reaches a
// template.
func publicApp(a App) App { return App{Name: a.Name, Key: a.Key} }

// appOrZero is the registered application key, or the zero App.
func (s *Server) appOrZero(key string) App {
	a, _ := s.app(key)
	return a
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	sess := s.session(r)
	if sess == nil {
		s.page(w, http.StatusOK, "login", pageData{Title: "Sign in", Next: "/console"})
		return
	}
	d := pageData{Title: "Console", SignedIn: true, CSRF: sess.csrf, Account: s.cfg.AccountID,
		AccountURL: requestBase(r) + s.cfg.BasePath + "?v=1", ConsoleUser: s.cfg.AdminUser}
	switch r.URL.Query().Get("done") {
	case "revoked":
		d.Done = "The token was revoked. Calls signed with it are now refused."
	case "settings":
		d.Done = "Settings saved."
	case "registered":
		d.Done = "The application was registered. Install it, or let it run the three-legged flow."
	}
	s.mu.Lock()
	d.Unsigned = s.st.AllowUnsigned
	byApp := map[string][]*accessToken{}
	for _, t := range s.st.AccessTokens {
		byApp[t.ConsumerKey] = append(byApp[t.ConsumerKey], t)
	}
	now := s.now()
	for _, rt := range s.st.RequestTokens {
		if now.Sub(rt.Created) <= requestTokenTTL {
			d.Pending++
		}
	}
	for _, a := range s.appList() {
		row := appRow{App: publicApp(a), Demo: a.Key == assets.DemoConsumerKey, Rules: strings.TrimPrefix(a.rulesText(), "; ")}
		ts := byApp[a.Key]
		slices.SortFunc(ts, func(a, b *accessToken) int { return a.Created.Compare(b.Created) })
		for _, t := range ts {
			row.Tokens = append(row.Tokens, tokenRow{Token: t.Token, Via: t.Via, Created: fmtTime(t.Created), LastUsed: fmtTime(t.LastUsed)})
		}
		d.Apps = append(d.Apps, row)
	}
	s.mu.Unlock()
	s.page(w, http.StatusOK, "dashboard", d)
}

// authorizePage is GET /oauth/authorize: sign in, then approve or deny.
func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("oauth_token")
	if token == "" {
		s.page(w, http.StatusBadRequest, "message", pageData{Title: "Authorization", Message: "The link is missing its oauth_token. Start again from the application.", Back: "/console"})
		return
	}
	rt, err := s.liveRequestToken(token)
	if err != nil {
		s.page(w, http.StatusNotFound, "message", pageData{Title: "Authorization", Message: "Sorry: " + err.Error() + ". Start again from the application.", Back: "/console"})
		return
	}
	sess := s.session(r)
	if sess == nil {
		s.page(w, http.StatusOK, "login", pageData{Title: "Sign in to authorize",
			Message: "An application asks for access to account " + s.cfg.AccountID + ". Sign in as the account administrator to review it.",
			Next:    "/oauth/authorize?" + url.Values{"oauth_token": {token}}.Encode()})
		return
	}
	if rt.Verifier != "" {
		s.page(w, http.StatusConflict, "message", pageData{Title: "Authorization", Message: "This request was already approved.", Back: "/console"})
		return
	}
	cb := rt.Callback
	if u, err := url.Parse(cb); err == nil && cb != "oob" {
		cb = u.Scheme + "://" + u.Host
	}
	s.page(w, http.StatusOK, "authorize", pageData{Title: "Authorize application", CSRF: sess.csrf, SignedIn: true, ConsoleUser: s.cfg.AdminUser,
		App: publicApp(s.appOrZero(rt.ConsumerKey)), Account: s.cfg.AccountID, RequestToken: token, Callback: cb, OOB: rt.Callback == "oob"})
}

// authorizeDecision is POST /oauth/authorize.
func (s *Server) authorizeDecision(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.consoleFail(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	if _, ok := s.authPost(w, r); !ok {
		return
	}
	token := r.PostFormValue("oauth_token")
	decision := r.PostFormValue("decision")
	if decision != "approve" && decision != "deny" {
		s.consoleFail(w, r, http.StatusBadRequest, "decision must be approve or deny.")
		return
	}
	rt, verifier, err := s.decide(token, decision == "approve")
	if err != nil {
		s.consoleFail(w, r, http.StatusNotFound, "Sorry: "+err.Error()+".")
		return
	}
	app := publicApp(s.appOrZero(rt.ConsumerKey))
	if decision == "deny" {
		if rt.Callback != "oob" {
			http.Redirect(w, r, withParams(rt.Callback, url.Values{"denied": {token}}), http.StatusFound)
			return
		}
		if wantsText(r) {
			writeText(w, http.StatusOK, "denied="+token)
			return
		}
		s.page(w, http.StatusOK, "message", pageData{Title: "Access denied", Message: app.Name + " was not given access. You can close this page.", Back: "/console"})
		return
	}
	if rt.Callback != "oob" {
		http.Redirect(w, r, withParams(rt.Callback, url.Values{"oauth_token": {token}, "oauth_verifier": {verifier}}), http.StatusFound)
		return
	}
	if wantsText(r) {
		writeText(w, http.StatusOK, "oauth_verifier="+verifier)
		return
	}
	s.page(w, http.StatusOK, "verifier", pageData{Title: "Access approved", App: app, Verifier: verifier})
}

func (s *Server) serveIndex(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET")
		s.consoleFail(w, r, http.StatusMethodNotAllowed, "Use GET.")
		return
	}
	s.page(w, http.StatusOK, "index", pageData{Title: "lpdesk sandbox", Account: s.cfg.AccountID,
		AccountURL: requestBase(r) + s.cfg.BasePath + "?v=1"})
}

func (s *Server) page(w http.ResponseWriter, status int, name string, d pageData) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	// No form-action: the approve form's redirect to the application's
	// callback would be blocked by it in some browsers.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	// same-origin, not no-referrer: under no-referrer a browser sends
	// "Origin: null" with the console's own form POSTs (Fetch, "append a
	// request Origin header"), which the gate cannot tell from a foreign
	// page's unless Sec-Fetch-Site comes along. Other origins still get no
	// Referer (the application's callback included).
	h.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, d); err != nil {
		s.log.Error("sandbox: rendering page", "page", name, "err", err)
	}
}

var pages = template.Must(template.New("").Parse(pageTemplates))

const pageTemplates = `
{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · lpdesk sandbox</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1d2733}
header{background:#1f3a5f;color:#fff;padding:.8em 1.5em;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}
main{max-width:900px;margin:1.5em auto;padding:0 1em}
.card{background:#fff;border:1px solid #d8dee6;border-radius:8px;padding:1.2em 1.5em;margin-bottom:1.2em}
h1{font-size:1.4em;margin:.2em 0 .6em}h2{font-size:1.1em;margin:.2em 0 .6em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35em .5em;border-bottom:1px solid #e6eaef;vertical-align:top}
th{font-weight:600;color:#4a5868;font-size:.9em}
code,.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em;word-break:break-all}
.code{display:block;background:#f0f3f7;border:1px dashed #9aa8b8;padding:.7em;border-radius:6px;font-size:1.05em;user-select:all}
button{font:inherit;padding:.35em .9em;border-radius:6px;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f3a5f}button.danger{background:#b3261e;border-color:#b3261e}
input[type=text],input[type=password],select,textarea{font:inherit;padding:.35em .5em;border:1px solid #b8c2ce;border-radius:6px;width:100%;box-sizing:border-box}
label{display:block;margin:.5em 0 .2em;font-weight:600}
.muted{color:#5b6b7c;font-size:.9em}.error{color:#b3261e;font-weight:600}.done{color:#1b6e2f;font-weight:600}
form.inline{display:inline}
</style></head><body>
<header><strong>lpdesk sandbox</strong>{{if .SignedIn}}<span>{{.ConsoleUser}}</span>{{end}}</header><main>
{{end}}
{{define "foot"}}</main></body></html>{{end}}

{{define "index"}}{{template "head" .}}<div class="card"><h1>lpdesk sandbox</h1>
<p>A local LivePerson-compatible platform for account <code>{{.Account}}</code>.</p>
<ul><li><a href="/console">Admin console</a></li><li>Account base resource: <code>{{.AccountURL}}</code> (signed calls only)</li>
<li>OAuth 1.0a: <code>/oauth/request_token</code>, <code>/oauth/authorize</code>, <code>/oauth/access_token</code>, <code>/oauth/revoke</code></li></ul></div>{{template "foot" .}}{{end}}

{{define "login"}}{{template "head" .}}<div class="card" style="max-width:420px;margin:3em auto">
<h1>{{.Title}}</h1>{{if .Message}}<p>{{.Message}}</p>{{end}}{{if .Error}}<p class="error">{{.Error}}</p>{{end}}
<form method="post" action="/console/login"><input type="hidden" name="next" value="{{.Next}}">
<label for="user">User name</label><input type="text" id="user" name="user" value="{{.User}}" autocomplete="username" autofocus>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password">
<p><button type="submit">Sign in</button></p></form></div>{{template "foot" .}}{{end}}

{{define "message"}}{{template "head" .}}<div class="card"><h1>{{.Title}}</h1><p>{{.Message}}</p>
{{if .Back}}<p><a href="{{.Back}}">Back to the console</a></p>{{end}}</div>{{template "foot" .}}{{end}}

{{define "dashboard"}}{{template "head" .}}
{{if .Done}}<p class="done">{{.Done}}</p>{{end}}
<p><a href="/console/chats">Live chats and agent sessions</a> · <a href="/console/visitor">Play the visitor</a> · <a href="/console/outbox">Outbox</a></p>
<div class="card"><h1>Account {{.Account}}</h1><p>Account base resource: <code>{{.AccountURL}}</code></p>
<p class="muted">{{.Pending}} authorization request(s) waiting for approval.</p>
<form class="inline" method="post" action="/console/logout"><input type="hidden" name="csrf" value="{{.CSRF}}"><button class="secondary" type="submit">Sign out</button></form></div>
<div class="card"><h2>Applications</h2>
{{range .Apps}}<h3>{{.Name}} <span class="muted">key <code>{{.Key}}</code>{{if .Demo}} · demo application{{end}}{{if .Rules}} · {{.Rules}}{{end}}</span></h3>
<form method="post" action="/console/apps/{{.Key}}/install"><input type="hidden" name="csrf" value="{{$.CSRF}}">
<button type="submit">Install: create a verification code</button></form>
{{if .Tokens}}<table><tr><th>Access token</th><th>Issued</th><th>Last used</th><th>Via</th><th></th></tr>
{{range .Tokens}}<tr><td><code>{{.Token}}</code></td><td>{{.Created}}</td><td>{{.LastUsed}}</td><td>{{.Via}}</td>
<td><form class="inline" method="post" action="/console/tokens/{{.Token}}/revoke"><input type="hidden" name="csrf" value="{{$.CSRF}}"><button class="danger" type="submit">Revoke</button></form></td></tr>{{end}}
</table>{{else}}<p class="muted">Not installed: no access tokens.</p>{{end}}
{{end}}<p class="muted">Token secrets are shown once, when a token is created, and never again.</p></div>
<div class="card"><h2>Register an application</h2>
<p class="muted">Stand in for any OAuth 1.0a provider: fix the signature method, register an RSA public key, require a realm or the body hash. PLAINTEXT is accepted only over https (<code>lpdesk sandbox --tls</code>).</p>
<form method="post" action="/console/apps"><input type="hidden" name="csrf" value="{{.CSRF}}">
<label for="app-name">Name</label><input type="text" id="app-name" name="name">
<label for="app-key">Consumer key</label><input type="text" id="app-key" name="key" required>
<label for="app-method">Signature method</label><select id="app-method" name="method">
<option value="">HMAC-SHA1 or HMAC-SHA256 (the platform's default)</option><option>HMAC-SHA1</option><option>HMAC-SHA256</option>
<option>RSA-SHA1</option><option>RSA-SHA256</option><option value="PLAINTEXT">PLAINTEXT (https only)</option></select>
<label for="app-secret">Consumer secret (HMAC and PLAINTEXT)</label><input type="password" id="app-secret" name="secret" autocomplete="off">
<label for="app-pub">RSA public key, PEM (RSA-SHA1 and RSA-SHA256)</label><textarea id="app-pub" name="publicKey" rows="5" placeholder="-----BEGIN PUBLIC KEY-----"></textarea>
<label for="app-realm">Required realm (optional)</label><input type="text" id="app-realm" name="realm">
<label><input type="checkbox" name="bodyHash" value="on"> Require <code>oauth_body_hash</code> on bodies that are not forms</label>
<p><button type="submit">Register</button></p></form></div>
<div class="card"><h2>Settings</h2><p>Unsigned API calls (<code>Authorization: LivePerson appKey=…</code>) are <strong>{{if .Unsigned}}allowed{{else}}refused{{end}}</strong>.</p>
<form method="post" action="/console/settings"><input type="hidden" name="csrf" value="{{.CSRF}}">
{{if .Unsigned}}<input type="hidden" name="unsigned" value="off"><button class="secondary" type="submit">Refuse unsigned calls</button>
{{else}}<input type="hidden" name="unsigned" value="on"><button class="secondary" type="submit">Allow unsigned calls</button>{{end}}</form></div>
{{template "foot" .}}{{end}}

{{define "installed"}}{{template "head" .}}<div class="card"><h1>{{.App.Name}} installed</h1>
<p>Verification code for <code>{{.App.Key}}</code> (access token and secret, separated by a semicolon):</p>
<span class="code">{{.Code}}</span>
<p class="error">Copy it now: the secret is shown only this once.</p>
<p><a href="/console">Back to the console</a></p></div>{{template "foot" .}}{{end}}

{{define "authorize"}}{{template "head" .}}<div class="card"><h1>Authorize {{.App.Name}}?</h1>
<p>The application <strong>{{.App.Name}}</strong> (key <code>{{.App.Key}}</code>) asks for access to account <code>{{.Account}}</code>:
it will read and change the account's resources on your behalf until you revoke it in the console.</p>
<p class="muted">{{if .OOB}}After approval this page shows a verification code to type into the application.{{else}}After approval your browser returns to <code>{{.Callback}}</code>.{{end}}</p>
<form method="post" action="/oauth/authorize"><input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="oauth_token" value="{{.RequestToken}}">
<button type="submit" name="decision" value="approve">Approve</button> <button class="secondary" type="submit" name="decision" value="deny">Deny</button></form></div>{{template "foot" .}}{{end}}

{{define "verifier"}}{{template "head" .}}<div class="card"><h1>Access approved</h1>
<p>Type this verification code into {{.App.Name}}:</p><span class="code">{{.Verifier}}</span>
<p class="muted">It works once, within 10 minutes of the request.</p></div>{{template "foot" .}}{{end}}
`
