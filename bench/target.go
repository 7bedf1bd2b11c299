package bench

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/sandbox"
)

// Target is a sandbox to measure against and the credentials of the demo
// application installed on it. It travels between processes as a file
// (WriteFile, ReadTarget) with mode 0600, never on a command line or in
// output, because it holds a token secret.
type Target struct {
	// BaseURL is the account base URL, e.g.
	// http://127.0.0.1:40123/api/account/12345678.
	BaseURL     string                `json:"baseURL"`
	Credentials apiclient.Credentials `json:"credentials"`
	// Tokens are more access tokens of the same application, for loads
	// that give each client its own (NewSandbox's InstallTokens).
	Tokens []Token `json:"tokens,omitempty"`
}

// Token is an access token and its secret.
type Token struct {
	Token  string `json:"token"`
	Secret string `json:"secret"`
}

// InstallTokens installs the demo application n more times on s, as n
// administrators would on their own desktops: one access token each.
func InstallTokens(s *sandbox.Server, n int) ([]Token, error) {
	out := make([]Token, 0, n)
	for range n {
		tok, sec, err := s.InstallApp(assets.DemoConsumerKey)
		if err != nil {
			return nil, err
		}
		out = append(out, Token{tok, sec})
	}
	return out, nil
}

// NewSandbox builds a sandbox seeded with records (0: the demo's 400) that
// also accepts unsigned appKey calls, for the raw net/http baseline, and
// installs the demo application on it.
func NewSandbox(records int) (*sandbox.Server, apiclient.Credentials, error) {
	cfg := sandbox.DemoConfig()
	if records > 0 {
		cfg.SeedRecords = records
	}
	cfg.AllowUnsigned = true
	s, err := sandbox.New(cfg)
	if err != nil {
		return nil, apiclient.Credentials{}, fmt.Errorf("sandbox: %w", err)
	}
	token, secret, err := s.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		s.Close()
		return nil, apiclient.Credentials{}, fmt.Errorf("install the demo app: %w", err)
	}
	return s, apiclient.Credentials{ConsumerKey: assets.DemoConsumerKey, ConsumerSecret: assets.DemoConsumerSecret,
		Token: token, TokenSecret: secret}, nil
}

// Local is a sandbox served in-process on a loopback port.
type Local struct {
	Target
	Sandbox *sandbox.Server
	srv     *httptest.Server
}

// StartLocal serves NewSandbox(records) on 127.0.0.1.
func StartLocal(records int) (*Local, error) {
	s, cr, err := NewSandbox(records)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(s)
	return &Local{Target: Target{BaseURL: srv.URL + s.AccountPath(), Credentials: cr}, Sandbox: s, srv: srv}, nil
}

// Close stops the server and the sandbox.
func (l *Local) Close() {
	l.srv.Close()
	l.Sandbox.Close()
}

// Client is an apiclient.Client for the target with cfg's other settings;
// MaxRetries defaults to none, so that a failure counts as one.
func (t Target) Client(cfg apiclient.Config) (*apiclient.Client, error) {
	cfg.BaseURL, cfg.AccountID, cfg.Credentials = t.BaseURL, "12345678", t.Credentials
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = -1
	}
	return apiclient.New(cfg)
}

// RawTransport is a keep-alive transport that holds enough idle
// connections for workers concurrent requests to one host (net/http's
// default keeps two).
func RawTransport(workers int) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // loopback only: never a proxy from the environment
	tr.MaxIdleConnsPerHost = max(workers, 2)
	return tr
}

// WriteFile stores t at path, readable by the owner only.
func (t Target) WriteFile(path string) error {
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}

// ReadTarget loads a Target written by WriteFile.
func ReadTarget(path string) (Target, error) {
	var t Target
	data, err := os.ReadFile(path)
	if err != nil {
		return t, err
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return t, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}
