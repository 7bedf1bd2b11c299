package ui

import (
	"context"
	"errors"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Backend is everything the window needs from the core (onboarding,
// apiclient, store). Screens are written against it so that they can be
// tested with a fake and so that no protocol logic lives in ui.
//
// Every method may block on the network or the keyring: the window calls
// them off the UI goroutine only.
type Backend interface {
	// Profiles lists the stored profiles; exactly one has Default set
	// when the list is not empty.
	Profiles(ctx context.Context) ([]ProfileInfo, error)
	// Open makes the named profile the one requests go to (and the
	// default), reading its secret from the keyring.
	Open(ctx context.Context, name string) (ProfileInfo, error)

	// Begin starts the browser authorization for req: discovery, a
	// request token with a loopback callback, and the authorize URL.
	Begin(ctx context.Context, req AuthRequest) (Authorization, error)
	// InstallCode installs with a console verification code
	// ("token;tokenSecret"), proves it works and saves the profile. It can
	// be retried with the same code after any error.
	InstallCode(ctx context.Context, req AuthRequest, code string) (Installed, error)

	// Providers lists the choices of "Another OAuth 1.0a provider": the
	// presets, then CustomProvider. It does not block.
	Providers() []Provider
	// BeginProvider starts the browser authorization with another OAuth
	// 1.0a provider, signed with the application's own credentials.
	BeginProvider(ctx context.Context, req ProviderRequest) (Authorization, error)
	// InstallTokens saves a profile from all four values (the
	// application's credentials in req, the access token and its secret),
	// checking them with one signed call when the provider has a check
	// URL.
	InstallTokens(ctx context.Context, req ProviderRequest, token, tokenSecret string) (Installed, error)

	// Fetch reads a resource of the open profile. For a non-2xx answer
	// it returns the response together with an error.
	Fetch(ctx context.Context, req FetchRequest) (*Response, error)
	// Create POSTs body to a collection (201 + Location on success).
	Create(ctx context.Context, path string, body []byte, f wire.Format) (*Response, error)
	// Update replaces a resource, sending etag in If-Match when not empty.
	// A stale etag fails with an error matching ErrPreconditionFailed.
	Update(ctx context.Context, path string, body []byte, f wire.Format, etag string) (*Response, error)
	// Delete removes a resource (If-Match etag when not empty).
	Delete(ctx context.Context, path, etag string) (*Response, error)

	// SetSettings changes the open profile's request options and returns
	// the profile as saved.
	SetSettings(ctx context.Context, s Settings) (ProfileInfo, error)
	// SignOut forgets the open profile on this computer (keyring item and
	// profile) and keeps the grant on the server.
	SignOut(ctx context.Context) error
	// Revoke asks the provider to revoke the open profile's access token,
	// then forgets the profile locally whatever the provider answered.
	Revoke(ctx context.Context) (RevokeResult, error)
}

// Authorization is one browser authorization in progress. It keeps its
// request token (and loopback listener) until Save succeeds or Cancel is
// called, so a refused verifier can be corrected and retried.
type Authorization interface {
	// AuthorizeURL is the provider page where the administrator approves.
	AuthorizeURL() string
	// AccountBase is the account base URL discovery found.
	AccountBase() string
	// Callback delivers at most one result from the loopback callback:
	// the verifier when the provider redirects the browser back, or why
	// none will come (the administrator denied, the flow expired). Before
	// it, any number of results with only Note set may arrive: something
	// came that did not end the wait (a refused verifier, a reported
	// denial); show it and keep waiting. It is nil for an out-of-band flow.
	Callback() <-chan CallbackResult
	// Exchange trades the verifier for the access token and proves the
	// token works. A refused verifier yields an error matching
	// ErrBadVerifier; the flow stays usable for another try.
	Exchange(ctx context.Context, verifier string) error
	// Save stores the profile and its secret after a successful Exchange.
	// It may be retried (e.g. once the keyring is unlocked).
	Save(ctx context.Context) (Installed, error)
	// Cancel ends the flow and closes the loopback listener. It is safe
	// to call more than once and after Save.
	Cancel()
}

// CallbackResult is what the loopback callback received.
type CallbackResult struct {
	Verifier string
	Err      error
	// Note, when set, is a sentence for the user and nothing ended.
	Note string
}

// AuthRequest names the account to authorize and the profile to keep it in.
type AuthRequest struct {
	// Server is the provider's root URL (or the platform's API host for
	// discovery).
	Server string
	// AccountID is the account number.
	AccountID string
	// Profile is the name to save under; empty lets the backend choose.
	Profile string
}

// Installed says what an installation stored and where.
type Installed struct {
	Profile ProfileInfo
	// Stored are sentences for people, one per place written, e.g.
	// "Token secret: OS keyring (Secret Service, service lpdesk, item work)".
	Stored []string
}

// ProfileInfo is a stored profile as the window shows it. It never holds a
// secret: Token is the access token's public half.
type ProfileInfo struct {
	Name        string
	Server      string
	BaseURL     string
	AccountID   string
	ConsumerKey string
	Token       string
	Auth        apiclient.Auth
	Placement   apiclient.Placement
	Format      wire.Format
	// SecretLocation names where the token secret is kept.
	SecretLocation string
	// Provider is another OAuth 1.0a provider's Provider.ID; "" for the
	// LivePerson-style platform.
	Provider        string
	SignatureMethod oauthsig.Method
	// Dialect is the provider's REST conventions (v=1 and the rest belong
	// to the LivePerson-style platform alone).
	Dialect apiclient.Dialect
	// AppSecretLocation names where the profile's own application secret
	// or private key is kept; "" when it uses lpdesk's application.
	AppSecretLocation string
	// ProfileFile is the file holding the non-secret part.
	ProfileFile string
	CreatedAt   time.Time
	Default     bool
}

// Settings are a profile's request options the user may change.
type Settings struct {
	Placement apiclient.Placement
	Format    wire.Format
}

// RevokeResult says what revocation achieved.
type RevokeResult struct {
	// ServerRevoked is true when the provider confirmed the revocation.
	ServerRevoked bool
	// Detail is a sentence for people, e.g. that the grant must also be
	// revoked in the admin console.
	Detail string
}

// FetchRequest is one read from the browser.
type FetchRequest struct {
	// Path is relative to the account base and may carry a query, or is
	// an absolute URL (a link's href).
	Path string
	// Format is the representation asked for; empty means the profile's.
	Format wire.Format
}

// Response is what the server answered, for display: the client's
// Response and the method that was sent.
type Response struct {
	apiclient.Response
	// Links are the body's links, found once (apiclient.Response finds
	// them each time it is asked).
	Links  []wire.Link
	Method string
	// Location is the Location header (where a POST created something).
	Location string
}

// Errors a Backend returns (wrapped) where the window must decide what to
// offer.
var (
	// ErrBadVerifier: the provider refused the verifier; it may be
	// corrected and retried on the same Authorization.
	ErrBadVerifier = errors.New("the provider refused the verifier")
	// ErrAccessRevoked: the access token is unknown or revoked on the
	// server; the account must be authorized again.
	ErrAccessRevoked = errors.New("access to the account was revoked")
	// ErrPreconditionFailed: an update's If-Match revision is stale (412).
	ErrPreconditionFailed = errors.New("the resource changed on the server since it was loaded")
	// ErrNetwork: the server could not be reached or the connection
	// dropped.
	ErrNetwork = errors.New("network error")
)
