package onboarding

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/logging"
	"github.com/lpdesk/lpdesk/store"
)

// OpenClient builds the apiclient.Client for a stored profile ("" means the
// default profile), reading its secret from the keyring. It fails when the
// build's consumer key differs from the one the profile was authorized
// with, since its signatures could not verify. A keyring that stopped
// answering surfaces as its *store.UnavailableError or *store.TimeoutError
// (with what to do), and nothing is deleted. A profile created with
// --insecure-http (store.Profile.InsecureHTTP) gets a client that allows
// plain http; the caller warns (apiclient.InsecureWarning).
func OpenClient(ctx context.Context, st *store.Store, name string) (*apiclient.Client, store.Profile, error) {
	return OpenClientWith(ctx, st, name, ClientOptions{})
}

// OpenClientWith is OpenClient with options for the client.
func OpenClientWith(ctx context.Context, st *store.Store, name string, co ClientOptions) (*apiclient.Client, store.Profile, error) {
	p, err := st.Resolve(name)
	if err != nil {
		return nil, store.Profile{}, err
	}
	app, err := profileApp(st, &p)
	if err != nil {
		return nil, p, err
	}
	secret, err := st.Secret(p.Name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, p, fmt.Errorf("the token secret of profile %q is missing from the %s; run `%s` again: %w",
			p.Name, st.Keyring().Describe(), LoginCommand(p), err)
	}
	if err != nil {
		return nil, p, err
	}
	c, err := newClient(p, app, secret, co)
	if err != nil {
		return nil, p, err
	}
	return c, p, nil
}

// appKey is what signs for the application: the consumer secret, or the
// RSA private key (pem is its text, registered as a secret).
type appKey struct {
	secret  string
	private *rsa.PrivateKey
	pem     string
}

// profileApp reads the application p signs as: its own from the keyring
// (the consumer secret, or the PEM key parsed), or lpdesk's, which must be
// the one the token was granted to. It fills p.ConsumerKey when empty.
func profileApp(st *store.Store, p *store.Profile) (appKey, error) {
	if !p.AppCredentials {
		key, csecret := assets.Consumer()
		if p.ConsumerKey != "" && key != p.ConsumerKey {
			return appKey{}, fmt.Errorf("profile %q was authorized for application %q but lpdesk signs as %q; "+
				"set LPDESK_CONSUMER_KEY/LPDESK_CONSUMER_SECRET or run `%s`", p.Name, p.ConsumerKey, key, LoginCommand(*p))
		}
		if p.ConsumerKey == "" {
			p.ConsumerKey = key
		}
		return appKey{secret: csecret}, nil
	}
	v, err := st.AppSecret(p.Name)
	if errors.Is(err, store.ErrNotFound) {
		return appKey{}, fmt.Errorf("the application secret of profile %q is missing from the %s; run `%s` again: %w",
			p.Name, st.Keyring().Describe(), LoginCommand(*p), err)
	}
	if err != nil {
		return appKey{}, err
	}
	if !p.SignatureMethod.IsRSA() {
		return appKey{secret: v}, nil
	}
	for _, s := range pemSecrets(v) {
		logging.RegisterSecret(s)
	}
	k, err := oauthsig.ParsePrivateKey([]byte(v))
	if err != nil {
		return appKey{}, fmt.Errorf("the private key of profile %q in the keyring: %w; run `%s` again", p.Name, err, LoginCommand(*p))
	}
	return appKey{private: k, pem: v}, nil
}

// ClientOptions adjust the client OpenClientWith builds from a profile.
type ClientOptions struct {
	// AllowInsecureHTTP permits plain http to hosts that are not loopback
	// even when the profile was not created with --insecure-http (a link
	// or redirect to such a host). A profile created with it allows that
	// regardless.
	AllowInsecureHTTP bool
	// Timeout bounds each attempt (default apiclient.DefaultTimeout).
	Timeout time.Duration
	// Transport is the client's base transport (default
	// apiclient.NewTransport()).
	Transport http.RoundTripper
	// Logger receives the client's debug lines (default: discarded).
	Logger *slog.Logger
	// MaxBodySize bounds a response body (default
	// apiclient.DefaultMaxBodySize).
	MaxBodySize int64
}

func newClient(p store.Profile, app appKey, tokenSecret string, co ClientOptions) (*apiclient.Client, error) {
	// Whatever the client logs (only with --debug) is scrubbed of these.
	logging.RegisterSecret(app.secret)
	for _, s := range pemSecrets(app.pem) {
		logging.RegisterSecret(s)
	}
	logging.RegisterSecret(tokenSecret)
	if co.Logger == nil {
		co.Logger = logging.Default()
	}
	var services map[apiclient.Service]string
	if len(p.Services) > 0 {
		services = make(map[apiclient.Service]string, len(p.Services))
		for s, base := range p.Services {
			services[apiclient.Service(s)] = base
		}
	}
	cfg := apiclient.Config{
		BaseURL:   p.BaseURL,
		Services:  services,
		AccountID: p.AccountID,
		Credentials: apiclient.Credentials{ConsumerKey: p.ConsumerKey, ConsumerSecret: app.secret,
			Token: p.Token, TokenSecret: tokenSecret, PrivateKey: app.private},
		SignatureMethod:   p.SignatureMethod,
		Dialect:           p.Dialect,
		Realm:             p.Realm,
		BodyHash:          p.BodyHash,
		Auth:              p.Auth,
		Placement:         p.Placement,
		Format:            p.Format,
		FormatBy:          p.FormatBy,
		Timeout:           co.Timeout,
		MaxBodySize:       co.MaxBodySize,
		Transport:         co.Transport,
		Logger:            co.Logger,
		AllowInsecureHTTP: p.InsecureHTTP || co.AllowInsecureHTTP,
	}
	c, err := apiclient.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	return c, nil
}
