package ui

import (
	"context"
	"strings"

	"github.com/lpdesk/lpdesk/onboarding"
	"github.com/lpdesk/lpdesk/store"
)

// Providers offers onboarding's presets, custom last, as the wizard shows
// them.
func (b *coreBackend) Providers() []Provider {
	ps := onboarding.Presets()
	out := make([]Provider, 0, len(ps))
	for _, p := range ps {
		pr := Provider{ID: p.ID, Title: p.Title, Note: windowNote(p.Note), DocURL: p.Doc, Method: p.Method, FourValues: p.FourValues}
		for _, a := range p.Asks {
			switch a {
			case onboarding.AskBaseURL:
				pr.Asks = append(pr.Asks, FieldBaseURL)
			case onboarding.AskAccountID:
				pr.Asks = append(pr.Asks, FieldAccountID)
			}
		}
		if p.ID == onboarding.CustomProvider {
			pr.ID, pr.Title, pr.Method = CustomProvider, "Custom: type its endpoints", ""
		}
		out = append(out, pr)
	}
	return out
}

// windowNote keeps the clauses of a preset's note that make sense in the
// window: those naming command-line flags are for `lpdesk auth login`.
func windowNote(note string) string {
	var kept []string
	for _, c := range strings.FieldsFunc(strings.NewReplacer("; ", "\x00", ": ", "\x00", " (use ", "\x00").Replace(note),
		func(r rune) bool { return r == 0 }) {
		if c = strings.TrimSpace(c); c != "" && !strings.Contains(c, "--") {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	s := strings.Join(kept, "; ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// providerOptions turns the wizard's request into onboarding's options
// through the preset, which fills in what the request leaves empty.
func (b *coreBackend) providerOptions(req ProviderRequest) (onboarding.Options, error) {
	p, err := onboarding.LookupPreset(req.Provider)
	if err != nil {
		return onboarding.Options{}, err
	}
	o := onboarding.Options{Store: b.st, Profile: req.Profile, OOB: b.cfg.OOB, Transport: b.cfg.Transport,
		ConsumerKey: req.ConsumerKey, ConsumerSecret: req.ConsumerSecret, PrivateKeyPEM: req.PrivateKeyPEM,
		Endpoints:       onboarding.Endpoints{RequestToken: req.RequestTokenURL, Authorize: req.AuthorizeURL, AccessToken: req.AccessTokenURL},
		SignatureMethod: req.Method, Realm: req.Realm, BodyHash: req.BodyHash, Placement: req.Placement, CheckURL: req.CheckURL}
	return p.Apply(o, onboarding.Answers{BaseURL: req.BaseURL, AccountID: req.AccountID})
}

func (b *coreBackend) BeginProvider(ctx context.Context, req ProviderRequest) (Authorization, error) {
	o, err := b.providerOptions(req)
	if err != nil {
		return nil, err
	}
	return b.begin(ctx, o)
}

func (b *coreBackend) InstallTokens(ctx context.Context, req ProviderRequest, token, tokenSecret string) (Installed, error) {
	o, err := b.providerOptions(req)
	if err != nil {
		return Installed{}, err
	}
	p, err := onboarding.InstallTokens(ctx, o, token, tokenSecret)
	if err != nil {
		return Installed{}, mapErr(err)
	}
	in := b.installed(p)
	if !onboarding.Verified(p) {
		in.Stored = append(in.Stored, "Not checked: this provider has no address lpdesk could read to prove the four values; the first request will tell.")
	}
	return in, nil
}

// appStored says where a profile's own application secret or key went.
func (b *coreBackend) appStored(p store.Profile) []string {
	if !p.AppCredentials {
		return nil
	}
	what := "Application secret"
	if p.SignatureMethod.IsRSA() {
		what = "Application private key"
	}
	return []string{what + " (consumer key " + p.ConsumerKey + "): " + b.st.AppSecretLocation(p.Name)}
}
