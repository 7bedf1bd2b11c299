package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/lpdesk/lpdesk/agent"
	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/onboarding"
	"github.com/lpdesk/lpdesk/store"
)

// BackendConfig configures NewBackend.
type BackendConfig struct {
	// Store holds the profiles and secrets; required.
	Store *store.Store
	// Transport carries the HTTP calls (default: the core's defaults).
	Transport http.RoundTripper
	// OOB makes browser authorizations ask the provider to show the
	// verifier instead of redirecting to a loopback callback.
	OOB bool
	// Agent configures the agent workspace's sessions (default: the
	// documented polling pace, the platform's default agent).
	Agent agent.Config
}

// NewBackend adapts the core (onboarding, apiclient, store) to the
// window's Backend.
func NewBackend(cfg BackendConfig) Backend {
	return &coreBackend{cfg: cfg, st: cfg.Store}
}

type coreBackend struct {
	cfg BackendConfig
	st  *store.Store

	mu      sync.Mutex
	client  *apiclient.Client
	profile store.Profile
}

func (b *coreBackend) info(p store.Profile, def string) ProfileInfo {
	in := ProfileInfo{
		Name: p.Name, Server: p.Server, BaseURL: p.BaseURL, AccountID: p.AccountID,
		ConsumerKey: p.ConsumerKey, Token: p.Token, Auth: p.Auth, Placement: p.Placement, Format: p.Format,
		SecretLocation: b.st.SecretLocation(p.Name), ProfileFile: b.st.Path(),
		CreatedAt: p.CreatedAt, Default: p.Name == def,
		Provider: p.Provider, SignatureMethod: p.SignatureMethod, Dialect: p.Dialect,
	}
	if p.AppCredentials {
		in.AppSecretLocation = b.st.AppSecretLocation(p.Name)
	}
	return in
}

func (b *coreBackend) Profiles(ctx context.Context) ([]ProfileInfo, error) {
	ps, def, err := b.st.List()
	if err != nil {
		return nil, fmt.Errorf("profiles: %w", err)
	}
	out := make([]ProfileInfo, 0, len(ps))
	for _, p := range ps {
		out = append(out, b.info(p, def))
	}
	return out, nil
}

// windowMaxBody bounds a body the window reads, above the client's 64 MiB
// default: the viewer shows a body's first screen while it makes the rest
// of the text a slice at a time, and the table and form are only built
// under 8 MiB, so a listing of 100 MB is something the window can show.
// (The command line keeps the default: it writes the whole pretty-printed
// body at once.)
const windowMaxBody = 128 << 20

func (b *coreBackend) Open(ctx context.Context, name string) (ProfileInfo, error) {
	c, p, err := onboarding.OpenClientWith(ctx, b.st, name, onboarding.ClientOptions{MaxBodySize: windowMaxBody})
	if err != nil {
		return ProfileInfo{}, err
	}
	if err := b.st.SetDefault(p.Name); err != nil {
		return ProfileInfo{}, fmt.Errorf("make %s the default: %w", p.Name, err)
	}
	b.mu.Lock()
	b.client, b.profile = c, p
	b.mu.Unlock()
	return b.info(p, p.Name), nil
}

func (b *coreBackend) options(req AuthRequest) onboarding.Options {
	return onboarding.Options{Store: b.st, Server: req.Server, AccountID: req.AccountID, Profile: req.Profile,
		OOB: b.cfg.OOB, Transport: b.cfg.Transport}
}

func (b *coreBackend) Begin(ctx context.Context, req AuthRequest) (Authorization, error) {
	return b.begin(ctx, b.options(req))
}

func (b *coreBackend) begin(ctx context.Context, o onboarding.Options) (Authorization, error) {
	// The flow's context governs its loopback listener for minutes; the
	// caller's ctx only governs Begin itself.
	flowCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, cancel)
	f, err := onboarding.Begin(flowCtx, o)
	stop()
	if err != nil {
		cancel()
		return nil, mapErr(err)
	}
	a := &coreAuth{b: b, f: f, cancel: cancel}
	if !o.OOB {
		a.ch = make(chan CallbackResult, 1)
		go a.forward(flowCtx)
	}
	return a, nil
}

func (b *coreBackend) installed(p store.Profile) Installed {
	_, def, _ := b.st.List()
	return Installed{Profile: b.info(p, def), Stored: append([]string{
		"Profile " + p.Name + " (server, account, access token key — no secret): " + b.st.Path(),
		"Access-token secret: " + b.st.SecretLocation(p.Name),
	}, b.appStored(p)...)}
}

func (b *coreBackend) InstallCode(ctx context.Context, req AuthRequest, code string) (Installed, error) {
	p, err := onboarding.InstallCode(ctx, b.options(req), code)
	if err != nil {
		return Installed{}, mapErr(err)
	}
	return b.installed(p), nil
}

type coreAuth struct {
	b      *coreBackend
	f      *onboarding.Flow
	cancel context.CancelFunc
	ch     chan CallbackResult
}

// forward turns the flow's notices and result into Callback's results,
// the notices that came before the result first.
func (a *coreAuth) forward(ctx context.Context) {
	send := func(r CallbackResult) bool {
		select {
		case a.ch <- r:
			return true
		case <-ctx.Done():
			return false
		}
	}
	note := func(n onboarding.Notice) bool { return send(CallbackResult{Note: n.String()}) }
	for {
		select {
		case n := <-a.f.Notices():
			if !note(n) {
				return
			}
		case r := <-a.f.Callback():
			for pending := true; pending; {
				select {
				case n := <-a.f.Notices():
					if !note(n) {
						return
					}
				default:
					pending = false
				}
			}
			send(CallbackResult{Verifier: r.Verifier, Err: r.Err})
			return
		case <-ctx.Done():
			return
		}
	}
}

func (a *coreAuth) AuthorizeURL() string { return a.f.AuthorizeURL() }
func (a *coreAuth) AccountBase() string  { return "" }

func (a *coreAuth) Callback() <-chan CallbackResult {
	if a.ch == nil {
		return nil
	}
	return a.ch
}

func (a *coreAuth) Exchange(ctx context.Context, verifier string) error {
	err := a.f.Exchange(ctx, verifier)
	if errors.Is(err, onboarding.ErrBadVerifier) {
		return fmt.Errorf("%w: %w", ErrBadVerifier, err)
	}
	return mapErr(err)
}

func (a *coreAuth) Save(ctx context.Context) (Installed, error) {
	p, err := a.f.Finish(ctx)
	if err != nil {
		return Installed{}, mapErr(err)
	}
	return a.b.installed(p), nil
}

func (a *coreAuth) Cancel() {
	_ = a.f.Close()
	a.cancel()
}

func (b *coreBackend) current() (*apiclient.Client, store.Profile, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.client == nil {
		return nil, store.Profile{}, errors.New("no profile is open")
	}
	return b.client, b.profile, nil
}

func (b *coreBackend) Fetch(ctx context.Context, req FetchRequest) (*Response, error) {
	// The address bar holds what a person typed: spaces, a bare %, brackets
	// or accents are made into a valid URL before it is signed; a valid
	// address (a link's) passes unchanged.
	return b.do(ctx, &apiclient.Request{Method: http.MethodGet, Path: apiclient.EncodeTypedURL(req.Path), Format: req.Format})
}

func (b *coreBackend) Create(ctx context.Context, path string, body []byte, f wire.Format) (*Response, error) {
	return b.do(ctx, &apiclient.Request{Method: http.MethodPost, Path: path, Body: body, BodyFormat: f})
}

func (b *coreBackend) Update(ctx context.Context, path string, body []byte, f wire.Format, etag string) (*Response, error) {
	return b.do(ctx, &apiclient.Request{Method: http.MethodPut, Path: path, Body: body, BodyFormat: f, IfMatch: etag})
}

func (b *coreBackend) Delete(ctx context.Context, path, etag string) (*Response, error) {
	return b.do(ctx, &apiclient.Request{Method: http.MethodDelete, Path: path, IfMatch: etag})
}

// do sends req with the open profile's request options as they are now:
// Settings changes them without rebuilding the client, which would read
// the secret from the keyring again.
func (b *coreBackend) do(ctx context.Context, req *apiclient.Request) (*Response, error) {
	c, p, err := b.current()
	if err != nil {
		return nil, err
	}
	if req.Format == "" {
		req.Format = p.Format
	}
	req.Placement = p.Placement
	r, err := c.Do(ctx, req)
	if r == nil {
		return nil, b.apiErr(p, err)
	}
	return &Response{Response: *r, Links: r.Links(), Method: req.Method, Location: r.Header.Get("Location")}, b.apiErr(p, err)
}

// apiErr classifies a request error for the window: revoked access, a
// stale revision, a network failure, or anything else as it is.
func (b *coreBackend) apiErr(p store.Profile, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, apiclient.ErrAccessRevoked) {
		return fmt.Errorf("%w: %w", ErrAccessRevoked, onboarding.AccessRevoked(p, err))
	}
	var ae *apiclient.APIError
	if errors.As(err, &ae) && ae.Status == http.StatusPreconditionFailed {
		return fmt.Errorf("%w: %w", ErrPreconditionFailed, err)
	}
	return mapErr(err)
}

// mapErr marks transport failures as ErrNetwork.
func mapErr(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, ErrNetwork) {
		return err
	}
	var ue *url.Error
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &ue) || errors.As(err, &ne) || errors.As(err, &oe) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", ErrNetwork, err)
	}
	return err
}

func (b *coreBackend) SetSettings(ctx context.Context, s Settings) (ProfileInfo, error) {
	_, p, err := b.current()
	if err != nil {
		return ProfileInfo{}, err
	}
	p, err = b.st.UpdateProfile(p.Name, func(p *store.Profile) { p.Placement, p.Format = s.Placement, s.Format })
	if err != nil {
		return ProfileInfo{}, fmt.Errorf("save settings: %w", err)
	}
	b.mu.Lock()
	b.profile = p
	b.mu.Unlock()
	return b.info(p, p.Name), nil
}

func (b *coreBackend) forget() {
	b.mu.Lock()
	b.client, b.profile = nil, store.Profile{}
	b.mu.Unlock()
}

func (b *coreBackend) SignOut(ctx context.Context) error {
	_, p, err := b.current()
	if err != nil {
		return err
	}
	if _, err := onboarding.SignOut(b.st, p.Name); err != nil {
		return err
	}
	b.forget()
	return nil
}

func (b *coreBackend) Revoke(ctx context.Context) (RevokeResult, error) {
	_, p, err := b.current()
	if err != nil {
		return RevokeResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	r, err := onboarding.Revoke(ctx, b.st, p.Name)
	if err != nil {
		return RevokeResult{}, mapErr(err)
	}
	b.forget()
	return RevokeResult{ServerRevoked: r.ServerRevoked, Detail: r.Detail}, nil
}
