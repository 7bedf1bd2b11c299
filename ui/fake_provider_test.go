package ui

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// signed is what the fake "sent" for a GET of path: a made-up base string
// with the path in it.
func (f *fakeBackend) signed(path string) *apiclient.Signed {
	u := f.base + "/" + path
	return &apiclient.Signed{Method: http.MethodGet, URL: u, Header: http.Header{"Authorization": {`OAuth oauth_signature="x"`}},
		BaseString: "GET&" + url.QueryEscape(u) + "&oauth_consumer_key%3Dlpdesk-demo-app", SignatureMethod: oauthsig.HMACSHA1}
}

// fakeProviders are the fake's presets: one of each kind of question.
var fakeProviders = []Provider{
	{ID: "x", Title: "X", Note: "X's user context.", DocURL: "https://docs.x.test/auth", Method: oauthsig.HMACSHA1},
	{ID: "jira", Title: "Jira Data Center", Note: "An application link.", Method: oauthsig.RSASHA1, Asks: []ProviderField{FieldBaseURL}},
	{ID: "netsuite", Title: "NetSuite", Note: "Token-based authentication.", Method: oauthsig.HMACSHA256, Asks: []ProviderField{FieldAccountID}},
	{ID: "magento", Title: "Magento", Method: oauthsig.HMACSHA256, Asks: []ProviderField{FieldBaseURL}, FourValues: true},
	{ID: CustomProvider, Title: "Custom provider", Note: "Any OAuth 1.0a API."},
}

func (f *fakeBackend) Providers() []Provider { return fakeProviders }

func (f *fakeBackend) BeginProvider(_ context.Context, req ProviderRequest) (Authorization, error) {
	f.record("BeginProvider " + req.Provider)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastProvider = req
	if err := pop(&f.beginErrs); err != nil {
		return nil, err
	}
	a := &fakeAuth{f: f, req: AuthRequest{Server: req.BaseURL, Profile: req.Profile}, url: "https://provider.test/authorize?oauth_token=rt1"}
	if f.loopback {
		a.ch = make(chan CallbackResult, 1)
	}
	f.auths = append(f.auths, a)
	return a, nil
}

func (f *fakeBackend) InstallTokens(_ context.Context, req ProviderRequest, token, tokenSecret string) (Installed, error) {
	f.record("InstallTokens " + req.Provider)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastProvider = req
	if err := pop(&f.installErrs); err != nil {
		return Installed{}, err
	}
	if tokenSecret != fakeSecret {
		return Installed{}, errors.New("401 Unauthorized: the check URL refused the four values")
	}
	return f.install(AuthRequest{Server: req.BaseURL, Profile: req.Profile}), nil
}
