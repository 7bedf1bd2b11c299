package ui

import (
	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// CustomProvider is the Provider ID of a provider described field by field
// on the wizard's page instead of by a preset.
const CustomProvider = "custom"

// ProviderField is a value a provider asks for besides the application's
// credentials.
type ProviderField int

const (
	// FieldBaseURL: the provider's REST base URL (a Jira server, a
	// Magento store), which the provider's endpoints hang off.
	FieldBaseURL ProviderField = iota + 1
	// FieldAccountID: the provider's account identifier (NetSuite's
	// account id), which goes into its host names and realm.
	FieldAccountID
)

// Provider is one choice under "Another OAuth 1.0a provider": a preset,
// or CustomProvider.
type Provider struct {
	ID    string
	Title string
	// Note is one line of advice for people, or "".
	Note string
	// DocURL is the provider's page the preset's values come from.
	DocURL string
	// Method is the signature method the provider requires; empty for
	// CustomProvider, where the page asks.
	Method oauthsig.Method
	// Asks lists what the page asks for besides the credentials.
	Asks []ProviderField
	// FourValues: the provider usually hands out the access token too,
	// so the page starts on "I already have all four values".
	FourValues bool
}

// Custom reports whether every endpoint and option is typed on the page.
func (p Provider) Custom() bool { return p.ID == CustomProvider }

// asks reports whether the provider asks for f.
func (p Provider) asks(f ProviderField) bool {
	for _, a := range p.Asks {
		if a == f {
			return true
		}
	}
	return false
}

// ProviderRequest is what the wizard collected for another OAuth 1.0a
// provider: the provider, its endpoints and options when it is custom, and
// the application's credentials. The consumer secret and the private key
// go to the keyring only.
type ProviderRequest struct {
	// Provider is a Provider.ID.
	Provider string
	// Profile is the name to save under; empty lets the backend choose.
	Profile string
	// BaseURL and AccountID are the values the provider asks for.
	BaseURL   string
	AccountID string

	// The custom provider's endpoints and request options; presets bring
	// their own.
	RequestTokenURL string
	AuthorizeURL    string
	AccessTokenURL  string
	Method          oauthsig.Method
	Realm           string
	BodyHash        bool
	Placement       apiclient.Placement
	// CheckURL, when set, is read once with the new credentials to prove
	// they work.
	CheckURL string

	// The application's credentials: ConsumerSecret for the HMAC and
	// PLAINTEXT methods, PrivateKeyPEM for the RSA ones.
	ConsumerKey    string
	ConsumerSecret string
	PrivateKeyPEM  []byte
}
