package ui

import (
	"context"
	"errors"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// STANDIN until the providers branch lands: onboarding.Presets,
// onboarding.Options' provider fields and onboarding.InstallTokens.

func (b *coreBackend) Providers() []Provider {
	return []Provider{
		{ID: "x", Title: "X (Twitter)", Doc: "X API v1.1/v2 user context; the app's keys are in the developer portal.", Method: oauthsig.HMACSHA1},
		{ID: "jira", Title: "Jira Data Center", Doc: "An application link with an RSA key (Jira Data Center/Server).", Method: oauthsig.RSASHA1, Asks: []ProviderField{FieldBaseURL}},
		{ID: "netsuite", Title: "NetSuite", Doc: "Token-based authentication with HMAC-SHA256 and the account as realm.", Method: oauthsig.HMACSHA256, Asks: []ProviderField{FieldAccountID}},
		{ID: "discogs", Title: "Discogs", Doc: "Discogs API with PLAINTEXT over https.", Method: oauthsig.Plaintext},
		{ID: CustomProvider, Title: "Custom provider", Doc: "Any OAuth 1.0a API: type its endpoints and signature method."},
	}
}

var errStandin = errors.New("not wired to the core yet")

func (b *coreBackend) BeginProvider(ctx context.Context, req ProviderRequest) (Authorization, error) {
	return nil, errStandin
}

func (b *coreBackend) InstallTokens(ctx context.Context, req ProviderRequest, token, tokenSecret string) (Installed, error) {
	return Installed{}, errStandin
}
