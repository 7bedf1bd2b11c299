package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// fakeSecret must never be shown anywhere in the window.
const fakeSecret = "s3cr3t-token-secret-value"

type fakeRes struct {
	body  string
	etag  string
	links []wire.Link
}

// fakeBackend is an in-memory Backend with knobs for every error state.
type fakeBackend struct {
	mu       sync.Mutex
	profiles []ProfileInfo
	current  string
	res      map[string]*fakeRes
	base     string

	// knobs
	beginErrs    []error // consumed one per Begin
	openErr      error
	netDown      bool
	revoked      bool
	saveErrs     []error
	installErrs  []error
	goodVerifier string
	goodCode     string
	loopback     bool
	revokeResult RevokeResult

	// records
	calls        []string
	auths        []*fakeAuth
	lastSet      Settings
	lastFetch    FetchRequest
	lastUpdate   string
	lastIfMatch  string
	lastProvider ProviderRequest
	nextID       int
}

func newFake() *fakeBackend {
	base := "http://sandbox.test/api/account/123"
	f := &fakeBackend{base: base, goodVerifier: "v-good", goodCode: "tok1234567890wxyz;" + fakeSecret, loopback: true, nextID: 3,
		revokeResult: RevokeResult{ServerRevoked: true}}
	f.res = map[string]*fakeRes{
		"": {body: `{"account":{"@id":"123","link":[{"@rel":"self","@href":"` + base + `"},{"@rel":"skills","@href":"` + base + `/skills"}]}}`,
			links: []wire.Link{{Rel: "self", Href: base}, {Rel: "skills", Href: base + "/skills"}}},
		"skills": {body: `{"skills":{"skill":[{"@id":"1","name":"Support"},{"@id":"2","name":"Sales"}]}}`,
			links: []wire.Link{{Rel: "self", Href: base + "/skills/1"}, {Rel: "self", Href: base + "/skills/2"}}},
		"skills/1": {body: `{"skill":{"@id":"1","name":"Support","maxWaitTime":"120"}}`, etag: `"1"`,
			links: []wire.Link{{Rel: "self", Href: base + "/skills/1"}}},
		"skills/2": {body: `{"skill":{"@id":"2","name":"Sales","maxWaitTime":"60"}}`, etag: `"1"`,
			links: []wire.Link{{Rel: "self", Href: base + "/skills/2"}}},
	}
	return f
}

func (f *fakeBackend) addProfile(name string, def bool) {
	f.profiles = append(f.profiles, ProfileInfo{Name: name, Server: "http://sandbox.test", BaseURL: f.base, AccountID: "123",
		ConsumerKey: "lpdesk-demo-app", Token: "tok1234567890wxyz", Placement: apiclient.PlaceHeader, Format: wire.JSON,
		SecretLocation: "OS keyring (service lpdesk, item " + name + ")", ProfileFile: "/cfg/profiles.json", Default: def,
		CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)})
}

func (f *fakeBackend) record(s string) {
	f.mu.Lock()
	f.calls = append(f.calls, s)
	f.mu.Unlock()
}

func (f *fakeBackend) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func pop(errs *[]error) error {
	if len(*errs) == 0 {
		return nil
	}
	e := (*errs)[0]
	*errs = (*errs)[1:]
	return e
}

func (f *fakeBackend) Profiles(context.Context) ([]ProfileInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "Profiles")
	return append([]ProfileInfo(nil), f.profiles...), nil
}

func (f *fakeBackend) Open(_ context.Context, name string) (ProfileInfo, error) {
	f.record("Open " + name)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.openErr != nil {
		return ProfileInfo{}, f.openErr
	}
	for i, p := range f.profiles {
		if p.Name == name {
			for j := range f.profiles {
				f.profiles[j].Default = j == i
			}
			f.current = name
			return f.profiles[i], nil
		}
	}
	return ProfileInfo{}, errors.New("profile not found")
}

func (f *fakeBackend) Begin(_ context.Context, req AuthRequest) (Authorization, error) {
	f.record("Begin " + req.Server + " " + req.AccountID)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := pop(&f.beginErrs); err != nil {
		return nil, err
	}
	a := &fakeAuth{f: f, req: req, url: req.Server + "/oauth/authorize?oauth_token=rt1"}
	if f.loopback {
		a.ch = make(chan CallbackResult, 1)
	}
	f.auths = append(f.auths, a)
	return a, nil
}

func (f *fakeBackend) install(req AuthRequest) Installed {
	name := req.Profile
	if name == "" {
		name = "default"
	}
	f.profiles = append(f.profiles, ProfileInfo{Name: name, Server: req.Server, BaseURL: f.base, AccountID: req.AccountID,
		Token: "tok1234567890wxyz", Placement: apiclient.PlaceHeader, Format: wire.JSON, SecretLocation: "OS keyring (service lpdesk, item " + name + ")",
		ProfileFile: "/cfg/profiles.json", Default: len(f.profiles) == 0})
	f.current = name
	p := f.profiles[len(f.profiles)-1]
	return Installed{Profile: p, Stored: []string{"Profile file: /cfg/profiles.json (server, account, token key)",
		"Token secret: " + p.SecretLocation}}
}

func (f *fakeBackend) InstallCode(_ context.Context, req AuthRequest, code string) (Installed, error) {
	f.record("InstallCode")
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := pop(&f.installErrs); err != nil {
		return Installed{}, err
	}
	if code != f.goodCode {
		return Installed{}, errors.New("the verification code was refused")
	}
	return f.install(req), nil
}

func (f *fakeBackend) gate() error {
	if f.netDown {
		return fmt.Errorf("%w: dial tcp: connection refused", ErrNetwork)
	}
	if f.revoked {
		return fmt.Errorf("%w: 401 token revoked", ErrAccessRevoked)
	}
	return nil
}

func (f *fakeBackend) Fetch(_ context.Context, req FetchRequest) (*Response, error) {
	f.record("Fetch " + req.Path)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastFetch = req
	if err := f.gate(); err != nil {
		if f.revoked {
			return &Response{Response: apiclient.Response{Status: 401, Body: []byte(`{"error":{"message":"revoked"}}`), Format: wire.JSON,
				Signed: f.signed(req.Path)}}, err
		}
		return nil, err
	}
	path := relativeAddress(f.base, req.Path, false)
	path, _, _ = strings.Cut(path, "?")
	r, ok := f.res[path]
	if !ok {
		return &Response{Response: apiclient.Response{Status: 404, Body: []byte(`{"error":{"message":"no resource"}}`), Format: wire.JSON,
			ContentType: "application/json"}}, errors.New("404 Not Found: no resource")
	}
	body, format := r.body, wire.JSON
	if req.Format == wire.XML {
		body, format = "<xml-of>"+path+"</xml-of>", wire.XML
	}
	h := http.Header{"Content-Type": {format.ContentType()}}
	if r.etag != "" {
		h.Set("ETag", r.etag)
	}
	return &Response{Method: "GET", Links: r.links, Response: apiclient.Response{URL: f.base + "/" + path, Status: 200, Header: h, Body: []byte(body), Format: format,
		ContentType: format.ContentType(), Elapsed: 12 * time.Millisecond, ETag: r.etag, Signed: f.signed(req.Path)}}, nil
}

func (f *fakeBackend) Create(_ context.Context, path string, body []byte, _ wire.Format) (*Response, error) {
	f.record("Create " + path)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.gate(); err != nil {
		return nil, err
	}
	id := fmt.Sprint(f.nextID)
	f.nextID++
	p := path + "/" + id
	f.res[p] = &fakeRes{body: string(body), etag: `"1"`}
	return &Response{Response: apiclient.Response{Status: 201, ETag: `"1"`}, Location: f.base + "/" + p}, nil
}

func (f *fakeBackend) Update(_ context.Context, path string, body []byte, _ wire.Format, etag string) (*Response, error) {
	f.record("Update " + path)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastIfMatch = etag
	if err := f.gate(); err != nil {
		return nil, err
	}
	r, ok := f.res[path]
	if !ok {
		return &Response{Response: apiclient.Response{Status: 404}}, errors.New("404 Not Found")
	}
	if r.etag != etag {
		return &Response{Response: apiclient.Response{Status: 412}}, fmt.Errorf("%w (412)", ErrPreconditionFailed)
	}
	r.body = string(body)
	r.etag = bump(r.etag)
	f.lastUpdate = string(body)
	return &Response{Response: apiclient.Response{Status: 200, ETag: r.etag, Body: body, Format: wire.JSON}}, nil
}

func bump(etag string) string {
	var n int
	fmt.Sscanf(strings.Trim(etag, `"`), "%d", &n)
	return fmt.Sprintf(`"%d"`, n+1)
}

// changeBehind simulates another user's update.
func (f *fakeBackend) changeBehind(path, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.res[path]
	r.body = body
	r.etag = bump(r.etag)
}

func (f *fakeBackend) Delete(_ context.Context, path, etag string) (*Response, error) {
	f.record("Delete " + path)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.gate(); err != nil {
		return nil, err
	}
	delete(f.res, path)
	return &Response{Response: apiclient.Response{Status: 204}}, nil
}

func (f *fakeBackend) SetSettings(_ context.Context, s Settings) (ProfileInfo, error) {
	f.record("SetSettings")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastSet = s
	for i, p := range f.profiles {
		if p.Name == f.current {
			f.profiles[i].Placement, f.profiles[i].Format = s.Placement, s.Format
			return f.profiles[i], nil
		}
	}
	return ProfileInfo{}, errors.New("no profile open")
}

func (f *fakeBackend) removeCurrent() {
	for i, p := range f.profiles {
		if p.Name == f.current {
			f.profiles = append(f.profiles[:i], f.profiles[i+1:]...)
			break
		}
	}
	if len(f.profiles) > 0 {
		f.profiles[0].Default = true
	}
	f.current = ""
}

func (f *fakeBackend) SignOut(context.Context) error {
	f.record("SignOut")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.removeCurrent()
	return nil
}

func (f *fakeBackend) Revoke(context.Context) (RevokeResult, error) {
	f.record("Revoke")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.removeCurrent()
	return f.revokeResult, nil
}

type fakeAuth struct {
	f         *fakeBackend
	req       AuthRequest
	url       string
	ch        chan CallbackResult
	exchanged bool
	cancelled bool
	exchanges int
	saves     int
}

func (a *fakeAuth) AuthorizeURL() string { return a.url }
func (a *fakeAuth) AccountBase() string  { return a.f.base }
func (a *fakeAuth) Callback() <-chan CallbackResult {
	if a.ch == nil {
		return nil
	}
	return a.ch
}
func (a *fakeAuth) Exchange(_ context.Context, v string) error {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.exchanges++
	if a.f.netDown {
		return fmt.Errorf("%w: connection reset", ErrNetwork)
	}
	if v != a.f.goodVerifier {
		return fmt.Errorf("%w: oauth_verifier does not match", ErrBadVerifier)
	}
	a.exchanged = true
	return nil
}
func (a *fakeAuth) Save(context.Context) (Installed, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.saves++
	if !a.exchanged {
		return Installed{}, errors.New("not exchanged")
	}
	if err := pop(&a.f.saveErrs); err != nil {
		return Installed{}, err
	}
	return a.f.install(a.req), nil
}
func (a *fakeAuth) Cancel() {
	a.f.mu.Lock()
	a.cancelled = true
	a.f.mu.Unlock()
}
