// Package consoleclient does over HTTP what the sandbox's account
// administrator does in its console: approve or deny an application's
// authorization request, register or install an application, revoke a
// token, allow or refuse unsigned calls. It authenticates with HTTP Basic, which the
// console accepts for scripted actions, and asks for text/plain answers.
//
// It imports nothing of the sandbox, so test drivers (the demo, the GUI
// autopilot, the end-to-end tests) can use it without linking the server.
package consoleclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Admin is the account administrator of one sandbox.
type Admin struct {
	// Server is the sandbox's root URL, e.g. http://127.0.0.1:8088.
	Server         string
	User, Password string
	// HTTPClient sends the requests; nil means a client with a 30 s
	// timeout. It follows redirects, so an approval for an application
	// with a callback URL delivers the verifier to that callback.
	HTTPClient *http.Client
}

// StatusError is a refusal by the console.
type StatusError struct {
	Status int
	Body   string // first line of the console's text answer
}

func (e *StatusError) Error() string {
	if e.Body == "" {
		return fmt.Sprintf("the sandbox console answered %d", e.Status)
	}
	return fmt.Sprintf("the sandbox console answered %d: %s", e.Status, e.Body)
}

// ErrNoRequestToken is returned for an authorization URL without an
// oauth_token.
var ErrNoRequestToken = errors.New("consoleclient: the authorization URL has no oauth_token")

// Approve approves the request token of authorizeURL (the
// /oauth/authorize?oauth_token=… address an application shows). It
// returns the verifier when the application is out-of-band (oob); with a
// callback URL the approval redirects there, the verifier reaches the
// application that way, and Approve returns "".
func (a Admin) Approve(ctx context.Context, authorizeURL string) (string, error) {
	body, err := a.decide(ctx, authorizeURL, "approve")
	if err != nil {
		return "", err
	}
	v, _ := strings.CutPrefix(body, "oauth_verifier=")
	if v == body {
		return "", nil
	}
	return v, nil
}

// Deny refuses the request token of authorizeURL.
func (a Admin) Deny(ctx context.Context, authorizeURL string) error {
	_, err := a.decide(ctx, authorizeURL, "deny")
	return err
}

func (a Admin) decide(ctx context.Context, authorizeURL, decision string) (string, error) {
	u, err := url.Parse(authorizeURL)
	if err != nil {
		return "", fmt.Errorf("consoleclient: authorization URL: %w", err)
	}
	token := u.Query().Get("oauth_token")
	if token == "" {
		return "", ErrNoRequestToken
	}
	// The decision goes to the server that issued the link.
	u.RawQuery, u.Fragment = "", ""
	return a.post(ctx, u.String(), url.Values{"oauth_token": {token}, "decision": {decision}})
}

// Install creates an access token for the registered application
// consumerKey, as the console's install button does, and returns its
// verification code: the token and its secret joined by ";".
func (a Admin) Install(ctx context.Context, consumerKey string) (string, error) {
	return a.post(ctx, a.url("/console/apps/"+url.PathEscape(consumerKey)+"/install"), nil)
}

// App is an application to register, as the console's applications page
// takes it. Method is a signature method's wire name ("" for the
// platform's default, HMAC-SHA1 or HMAC-SHA256); RSA methods take
// PublicKeyPEM, the others Secret.
type App struct {
	Name, Key    string
	Method       string
	Secret       string
	PublicKeyPEM string
	Realm        string
	BodyHash     bool
}

// RegisterApp registers app in the sandbox (the console keeps it in its
// data file). A taken key is a *StatusError with Status 409.
func (a Admin) RegisterApp(ctx context.Context, app App) error {
	form := url.Values{"name": {app.Name}, "key": {app.Key}, "method": {app.Method}, "secret": {app.Secret},
		"publicKey": {app.PublicKeyPEM}, "realm": {app.Realm}}
	if app.BodyHash {
		form.Set("bodyHash", "on")
	}
	_, err := a.post(ctx, a.url("/console/apps"), form)
	return err
}

// Revoke deletes an access token.
func (a Admin) Revoke(ctx context.Context, token string) error {
	_, err := a.post(ctx, a.url("/console/tokens/"+url.PathEscape(token)+"/revoke"), nil)
	return err
}

// SetUnsigned allows or refuses unsigned (appKey-only) API calls.
func (a Admin) SetUnsigned(ctx context.Context, allow bool) error {
	v := "off"
	if allow {
		v = "on"
	}
	_, err := a.post(ctx, a.url("/console/settings"), url.Values{"unsigned": {v}})
	return err
}

// Outbox returns the console's outbox as text: what the platform would
// have mailed (transcripts, offline survey messages), newest first.
func (a Admin) Outbox(ctx context.Context) (string, error) {
	return a.get(ctx, a.url("/console/outbox"))
}

// Chats returns the console's live view as text: one line per chat and
// per agent session.
func (a Admin) Chats(ctx context.Context) (string, error) {
	return a.get(ctx, a.url("/console/chats"))
}

func (a Admin) url(path string) string { return strings.TrimSuffix(a.Server, "/") + path }

// post sends a console form and returns its trimmed text answer.
func (a Admin) post(ctx context.Context, target string, form url.Values) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("consoleclient: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return a.do(req)
}

func (a Admin) get(ctx context.Context, target string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "", fmt.Errorf("consoleclient: %w", err)
	}
	return a.do(req)
}

// do sends req as the administrator and returns the trimmed text answer.
func (a Admin) do(req *http.Request) (string, error) {
	req.SetBasicAuth(a.User, a.Password)
	req.Header.Set("Accept", "text/plain")
	hc := a.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("consoleclient: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	text := strings.TrimSpace(string(b))
	if resp.StatusCode/100 != 2 {
		first, _, _ := strings.Cut(text, "\n")
		return "", &StatusError{Status: resp.StatusCode, Body: first}
	}
	return text, nil
}
