package onboarding

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/logging"
	"github.com/lpdesk/lpdesk/store"
)

// CallbackResult ends the wait on the loopback callback: a verifier the
// provider accepted (the flow already holds the access token, so Exchange
// with it returns at once), or an error (a wrapped ErrRequestTokenExpired
// or context error when the flow timed out, was cancelled or the request
// token died). A refused verifier or a denial is not a result: see Notice.
type CallbackResult struct {
	Verifier string
	Err      error
}

// Flow is one three-legged authorization in progress. Drive it as:
//
//	f, err := onboarding.Begin(ctx, opts)   // request token, loopback listener
//	defer f.Close()
//	OpenBrowser(f.AuthorizeURL())
//	r := <-f.Callback()                     // or a verifier typed by the admin;
//	                                        // show <-f.Notices() meanwhile
//	err = f.Exchange(ctx, r.Verifier)       // retry on ErrBadVerifier
//	profile, err := f.Finish(ctx)           // prove the token, save it
//
// The loopback callback exchanges the verifier it receives itself, so that
// the browser page can say whether lpdesk is authorized; only a verifier
// the provider accepted ends the wait.
//
// Its methods are safe for concurrent use (a GUI may wait on Callback while
// the admin types a verifier).
type Flow struct {
	opts        Options
	sig         signer
	reqToken    string
	reqSecret   string
	authURL     string
	callbackURL string
	expires     time.Time

	// ctx governs the callback's own exchanges; cancelled when the flow
	// closes.
	ctx  context.Context
	stop context.CancelCauseFunc

	srv       *http.Server
	served    chan struct{} // closed when the listener's Serve returned
	stopOnce  sync.Once
	closeOnce sync.Once
	closed    chan struct{}

	results chan CallbackResult
	notices chan Notice

	// trade is the access-token call; nil means accessTokenCall (tests
	// replace it).
	trade func(ctx context.Context, verifier string) (token, secret string, err error)

	xmu sync.Mutex // one exchange at a time (typed and from the callback)

	mu          sync.Mutex
	delivered   bool
	closeErr    error
	accessToken string
	accessSec   string
	verifier    string // the one that obtained accessToken
}

// noticeBuffer is how many notices wait for a reader; later ones are
// dropped rather than block the callback (a flood of forged callbacks).
const noticeBuffer = 16

// Begin starts a three-legged flow: it checks that the keyring answers,
// resolves the account base URL, opens the loopback listener (unless
// opts.OOB) and obtains a request token. ctx governs the whole flow, not
// just Begin: cancelling it, or opts.FlowTimeout passing, closes the
// listener and ends the flow. Call Close when done.
func Begin(ctx context.Context, opts Options) (*Flow, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	if err := o.checkKeyring(); err != nil {
		return nil, err
	}
	if err := o.resolveBaseURL(ctx); err != nil {
		return nil, err
	}
	if o.Generic() && (o.Endpoints.RequestToken == "" || o.Endpoints.Authorize == "" || o.Endpoints.AccessToken == "") {
		return nil, errors.New("the three-legged flow needs the provider's request token, authorize and access token URLs " +
			"(--request-token-url, --authorize-url, --access-token-url, or a --provider preset); " +
			"with a token and secret already in hand, use --token and --token-secret-file instead")
	}
	f := &Flow{opts: o, sig: o.signer(), closed: make(chan struct{}), results: make(chan CallbackResult, 1),
		notices: make(chan Notice, noticeBuffer)}
	var ln net.Listener
	if !o.OOB {
		// 127.0.0.1 rather than localhost: no resolver can point it
		// elsewhere, and the provider gets a URL it can check is loopback.
		// A fixed port is for providers that only redirect to the
		// callback URL registered with the application.
		if ln, err = net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(o.CallbackPort)); err != nil {
			if o.CallbackPort != 0 {
				return nil, fmt.Errorf("open the loopback callback listener on the fixed port %d (is another login or program using it?): %w",
					o.CallbackPort, err)
			}
			return nil, fmt.Errorf("open the loopback callback listener: %w", err)
		}
		f.callbackURL = "http://127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port) + "/callback"
	}
	if err := f.requestToken(ctx); err != nil {
		if ln != nil {
			ln.Close()
		}
		return nil, err
	}
	au, err := authorizeURL(o.Endpoints.Authorize, o.AuthorizeParams, f.reqToken)
	if err != nil {
		if ln != nil {
			ln.Close()
		}
		return nil, err
	}
	f.authURL = au
	f.expires = time.Now().Add(o.FlowTimeout)
	f.ctx, f.stop = context.WithCancelCause(ctx)
	if ln != nil {
		f.srv = &http.Server{Handler: http.HandlerFunc(f.serveCallback), ReadHeaderTimeout: 10 * time.Second}
		f.served = make(chan struct{})
		go func() {
			defer close(f.served)
			_ = f.srv.Serve(ln)
		}()
	}
	go f.watch(ctx)
	return f, nil
}

// watch ends the flow on cancellation or timeout, waking anyone waiting on
// Callback.
func (f *Flow) watch(ctx context.Context) {
	t := time.NewTimer(f.opts.FlowTimeout)
	defer t.Stop()
	var err error
	select {
	case <-f.closed:
		return
	case <-ctx.Done():
		err = fmt.Errorf("authorization cancelled: %w", context.Cause(ctx))
	case <-t.C:
		err = fmt.Errorf("no answer within %s: %w", f.opts.FlowTimeout, ErrRequestTokenExpired)
	}
	f.end(err)
}

// end closes the flow with err and delivers it to Callback. Close first, so
// that whoever receives the result finds the listener already gone.
func (f *Flow) end(err error) {
	f.closeWith(err)
	f.deliver(CallbackResult{Err: err})
}

// AuthorizeURL is the provider page where the admin approves lpdesk. It
// carries only the request token, so it may be shown and opened.
func (f *Flow) AuthorizeURL() string { return f.authURL }

// CallbackURL is the loopback URL the provider redirects to, or "oob".
func (f *Flow) CallbackURL() string {
	if f.callbackURL == "" {
		return "oob"
	}
	return f.callbackURL
}

// Server is the provider's root URL the flow talks to.
func (f *Flow) Server() string { return f.opts.Server }

// Profile is the name the profile will be saved under.
func (f *Flow) Profile() string { return f.opts.Profile }

// Expires is when the flow stops waiting for the admin.
func (f *Flow) Expires() time.Time { return f.expires }

// Callback delivers at most one result: a verifier from the loopback
// callback that the provider accepted, or the end of the flow (timeout,
// cancel, request token gone). For an OOB flow only the latter arrives; the
// verifier is typed in.
func (f *Flow) Callback() <-chan CallbackResult { return f.results }

// Notices reports callbacks that did not end the flow (a refused verifier,
// a denial, a failed exchange), for the user to see while the flow keeps
// waiting. Reading them is optional; unread ones are dropped once
// noticeBuffer wait.
func (f *Flow) Notices() <-chan Notice { return f.notices }

// Exchange trades the request token and verifier for the access token. On
// ErrBadVerifier or ErrNotApproved the request token is still alive and
// Exchange may be called again; ErrRequestTokenExpired means start over,
// and closes the flow (listener included).
// The verifier may be given as typed, or as a pasted "oauth_verifier=V" or
// callback URL.
func (f *Flow) Exchange(ctx context.Context, verifier string) error {
	v := NormalizeVerifier(verifier)
	if v == "" {
		return fmt.Errorf("empty verification code: %w", ErrBadVerifier)
	}
	if err := f.exchange(ctx, v); err != nil {
		if errors.Is(err, ErrRequestTokenExpired) {
			// Nothing can use this request token any more: end the flow so
			// that the listener closes and a waiting Callback wakes up.
			f.end(err)
		}
		return err
	}
	// The verifier has done its job; stop listening for another.
	f.stopListener()
	return nil
}

// exchange holds f.xmu across the call so that two verifiers (typed and
// from the callback) are not exchanged at once. Once the access token is
// held, it answers nil for any verifier.
func (f *Flow) exchange(ctx context.Context, v string) error {
	f.xmu.Lock()
	defer f.xmu.Unlock()
	f.mu.Lock()
	closeErr, done := f.closeErr, f.accessToken != ""
	f.mu.Unlock()
	if closeErr != nil {
		return closeErr
	}
	if done {
		return nil
	}
	trade := f.trade
	if trade == nil {
		trade = f.accessTokenCall
	}
	at, as, err := trade(ctx, v)
	if err != nil {
		return err
	}
	logging.RegisterSecret(v)
	logging.RegisterSecret(as)
	f.mu.Lock()
	f.accessToken, f.accessSec, f.verifier = at, as, v
	f.mu.Unlock()
	return nil
}

func (f *Flow) accessTokenCall(ctx context.Context, v string) (at, as string, err error) {
	vals, err := f.call(ctx, "access token", f.opts.Endpoints.AccessToken, f.reqToken, f.reqSecret, v,
		oauthsig.Param{Key: "oauth_verifier", Value: v})
	if err != nil {
		return "", "", err
	}
	at, as = vals.Get("oauth_token"), vals.Get("oauth_token_secret")
	if at == "" || as == "" {
		return "", "", errors.New("access token: the provider's answer has no oauth_token and oauth_token_secret")
	}
	return at, as, nil
}

// authorizeURL is the authorize endpoint with the provider's extra
// parameters and the request token added to whatever query it has.
func authorizeURL(endpoint string, extra url.Values, token string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", fmt.Errorf("authorize URL: %w", err)
	}
	q := u.Query()
	for k, vs := range extra {
		q[k] = append([]string(nil), vs...)
	}
	q.Set("oauth_token", token)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Finish proves the access token with a signed GET of the account base
// resource and saves the profile (secret in the keyring). It can be retried
// after a failure; on success the flow is closed.
func (f *Flow) Finish(ctx context.Context) (store.Profile, error) {
	f.mu.Lock()
	at, as := f.accessToken, f.accessSec
	f.mu.Unlock()
	if at == "" {
		return store.Profile{}, errors.New("finish: no access token yet (Exchange a verifier first)")
	}
	p, err := f.opts.complete(ctx, at, as)
	if err != nil {
		return store.Profile{}, err
	}
	f.Close()
	return p, nil
}

// Close ends the flow and closes the loopback listener. It is safe to call
// more than once.
func (f *Flow) Close() error {
	f.closeWith(ErrFlowClosed)
	return nil
}

func (f *Flow) closeWith(err error) {
	f.closeOnce.Do(func() {
		// First, so that a callback's exchange in flight gives up and
		// the listener can drain.
		if f.stop != nil {
			f.stop(err)
		}
		f.mu.Lock()
		if f.closeErr == nil {
			f.closeErr = err
		}
		f.mu.Unlock()
		close(f.closed)
	})
	f.stopListener()
}

// callbackDrain bounds how long stopping the listener waits for a callback
// page that is still being written.
const callbackDrain = 2 * time.Second

func (f *Flow) stopListener() {
	f.stopOnce.Do(func() {
		if f.srv != nil {
			// Shutdown, not Close: the callback handler delivers its
			// result before it returns, and the consumer can close the
			// flow at once; Close would cut the browser's connection
			// before it got its page.
			ctx, cancel := context.WithTimeout(context.Background(), callbackDrain)
			defer cancel()
			if err := f.srv.Shutdown(ctx); err != nil {
				_ = f.srv.Close()
			}
			<-f.served
		}
	})
}

// deliver hands the first result to Callback's channel; later ones are
// dropped (a timeout after the verifier came).
func (f *Flow) deliver(r CallbackResult) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.delivered {
		return false
	}
	f.delivered = true
	f.results <- r
	return true
}

// NormalizeVerifier trims a typed verifier and accepts the forms people
// paste: "oauth_verifier=V" (the provider's text answer) or a whole
// callback URL.
func NormalizeVerifier(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "oauth_verifier="); i >= 0 {
		v := s[i+len("oauth_verifier="):]
		if j := strings.IndexAny(v, "& \t\r\n#"); j >= 0 {
			v = v[:j]
		}
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		return v
	}
	return s
}

func (f *Flow) requestToken(ctx context.Context) error {
	vals, err := f.call(ctx, "request token", f.opts.Endpoints.RequestToken, "", "", "",
		oauthsig.Param{Key: "oauth_callback", Value: f.CallbackURL()})
	if err != nil {
		return err
	}
	rt, rs := vals.Get("oauth_token"), vals.Get("oauth_token_secret")
	if rt == "" || rs == "" {
		return errors.New("request token: the provider's answer has no oauth_token and oauth_token_secret")
	}
	// OAuth 1.0a: without the confirmation the provider ignored the
	// callback, and the verifier would never reach it.
	if vals.Get("oauth_callback_confirmed") != "true" {
		return errors.New("request token: the provider did not confirm the callback (oauth_callback_confirmed is not true); it may not speak OAuth 1.0a")
	}
	logging.RegisterSecret(rs)
	f.reqToken, f.reqSecret = rt, rs
	return nil
}

// call makes one signed call of the flow (with the HTTP timeout) and returns
// the provider's form-encoded answer. A refusal goes through classify; no
// error holds a secret (verifier, request-token secret, application secret
// or key, or a PLAINTEXT signature made of them).
func (f *Flow) call(ctx context.Context, step, endpoint, token, tokenSecret, verifier string, extra ...oauthsig.Param) (url.Values, error) {
	cctx, cancel := context.WithTimeout(ctx, f.opts.HTTPTimeout)
	defer cancel()
	secrets := append(encodedSecrets(verifier, f.reqSecret, f.opts.ConsumerSecret), pemSecrets(string(f.opts.PrivateKeyPEM))...)
	ans, err := f.sig.post(cctx, f.opts.transport(), endpoint, token, tokenSecret, extra...)
	if err != nil {
		if cctx.Err() != nil {
			if ctx.Err() == nil {
				return nil, fmt.Errorf("%s: no answer within %s: %w", step, f.opts.HTTPTimeout, cctx.Err())
			}
			return nil, fmt.Errorf("%s: %w", step, context.Cause(ctx))
		}
		// A transport error names the endpoint URL, which holds no secret
		// (the OAuth parameters travel in the Authorization header).
		return nil, fmt.Errorf("%s: %s", step, redact(err.Error(), secrets...))
	}
	if ans.status < 200 || ans.status >= 300 {
		return nil, classify(step, ans.status, ans.body, secrets)
	}
	vals, err := url.ParseQuery(strings.TrimSpace(string(ans.body)))
	if err != nil {
		return nil, fmt.Errorf("%s: the provider's answer is not form-encoded (%d bytes)", step, len(ans.body))
	}
	return vals, nil
}

// classify turns a provider's refusal into the package's errors. It reads
// the platform's error body (internal codes from wire) and the OAuth
// Problem Reporting extension (oauth_problem=…) that other providers use.
func classify(step string, status int, body []byte, secrets []string) error {
	msg := strings.TrimSpace(string(body))
	var problem string
	code := 0
	if we, ok := wire.ParseError(body); ok {
		msg, code = we.Message, we.InternalCode
	} else if v, err := url.ParseQuery(msg); err == nil && v.Get("oauth_problem") != "" {
		problem = v.Get("oauth_problem")
		msg = "oauth_problem=" + problem
	}
	// Redacted before it is cut: a secret across the cut would otherwise
	// keep its first part.
	msg = redact(msg, secrets...)
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	detail := fmt.Sprintf("provider answered %d: %s", status, msg)
	lower := strings.ToLower(msg)
	var kind error
	switch {
	case problem == "verifier_invalid",
		strings.Contains(lower, "verifier") && (strings.Contains(lower, "not match") || strings.Contains(lower, "invalid") || strings.Contains(lower, "wrong")):
		kind = ErrBadVerifier
	case problem == "permission_unknown", strings.Contains(lower, "not been approved"):
		kind = ErrNotApproved
	case problem == "permission_denied":
		kind = ErrDenied
	case problem == "token_expired", problem == "token_used", problem == "token_rejected", problem == "token_revoked",
		step == "access token" && code == wire.CodeTokenRevoked:
		kind = ErrRequestTokenExpired
	}
	if kind != nil {
		return fmt.Errorf("%s: %w (%s)", step, kind, detail)
	}
	return fmt.Errorf("%s: %s", step, detail)
}

// encodedSecrets adds the percent-encoded forms of each secret: once, as a
// provider quoting a header or signing key shows it, and twice, as inside a
// base string it quotes back (a PLAINTEXT signature, a verifier).
func encodedSecrets(secrets ...string) []string {
	out := append([]string(nil), secrets...)
	for _, s := range secrets {
		if e := oauthsig.PercentEncode(s); e != s {
			out = append(out, e, oauthsig.PercentEncode(e))
		}
	}
	return out
}
