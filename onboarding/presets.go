package onboarding

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// CustomProvider is the preset id for endpoints typed in by hand.
const CustomProvider = "custom"

// Ask is a value a preset needs from the user before it can be used.
type Ask string

// What a preset may ask for.
const (
	// AskBaseURL: the provider runs on the user's own host (Jira Data
	// Center, Magento); its root URL, e.g. https://jira.example.com.
	AskBaseURL Ask = "base-url"
	// AskAccountID: the provider's URLs and realm carry the account
	// (NetSuite), e.g. 1234567 or 1234567_SB1.
	AskAccountID Ask = "account"
)

// Preset is what lpdesk knows about one OAuth 1.0a provider. URL fields are
// templates: {base} is the base URL asked for (no trailing slash), {account}
// the account id in host form (lower case, '_' as '-'), {ACCOUNT} the account
// id in realm form (upper case, '-' as '_').
type Preset struct {
	// ID is what --provider takes.
	ID string
	// Title names the provider for people.
	Title string
	// Doc is the provider's page these values come from.
	Doc string
	// Endpoints are the OAuth URLs (templates).
	Endpoints Endpoints
	// BaseURL is the REST API's base (template) that `lpdesk api` paths
	// resolve against.
	BaseURL string
	// CheckURL is a resource whose signed GET proves a token (template;
	// "" for none).
	CheckURL string
	// Method is the signature method the provider wants.
	Method oauthsig.Method
	// Placement is where the provider wants the credentials (0: header).
	Placement apiclient.Placement
	// AuthorizeParams go on the authorize URL (a copy is made per use).
	AuthorizeParams url.Values
	// Asks lists what the user must give.
	Asks []Ask
	// Realm is the header realm (template; "" for none).
	Realm string
	// BodyHash says the provider wants oauth_body_hash.
	BodyHash bool
	// OOBOnly: the provider accepts no loopback callback.
	OOBOnly bool
	// CallbackPort is a port the provider's registered callback needs (0:
	// any).
	CallbackPort int
	// FourValues: the provider usually hands out all four values (the
	// token too), so `--token` is the usual path.
	FourValues bool
	// Note is one line of advice shown with the preset.
	Note string
}

// presets are in the order lists show them.
var presets = []Preset{
	{
		ID: "x", Title: "X (Twitter) user context", Doc: "https://docs.x.com/fundamentals/authentication/api-reference",
		Endpoints: Endpoints{RequestToken: "https://api.x.com/oauth/request_token", Authorize: "https://api.x.com/oauth/authorize",
			AccessToken: "https://api.x.com/oauth/access_token"},
		BaseURL: "https://api.x.com", CheckURL: "https://api.x.com/2/users/me", Method: oauthsig.HMACSHA1,
		Note: "the developer portal also shows the app's own access token and secret (use --token)",
	},
	{
		ID: "jira", Title: "Jira Data Center (application link)", Doc: "https://developer.atlassian.com/server/jira/platform/oauth/",
		Endpoints: Endpoints{RequestToken: "{base}/plugins/servlet/oauth/request-token", Authorize: "{base}/plugins/servlet/oauth/authorize",
			AccessToken: "{base}/plugins/servlet/oauth/access-token"},
		BaseURL: "{base}", CheckURL: "{base}/rest/api/2/myself", Method: oauthsig.RSASHA1, Asks: []Ask{AskBaseURL},
		Note: "register lpdesk's public key in the incoming application link; --app-private-key is its private half",
	},
	{
		ID: "netsuite", Title: "NetSuite token-based authentication",
		Doc: "https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156338994830.html",
		Endpoints: Endpoints{RequestToken: "https://{account}.restlets.api.netsuite.com/rest/requesttoken",
			Authorize:   "https://{account}.app.netsuite.com/app/login/secure/authorizetoken.nl",
			AccessToken: "https://{account}.restlets.api.netsuite.com/rest/accesstoken"},
		BaseURL: "https://{account}.restlets.api.netsuite.com", Method: oauthsig.HMACSHA256, Asks: []Ask{AskAccountID},
		Realm: "{ACCOUNT}",
		Note:  "an access token made in NetSuite (Setup > Users/Roles > Access Tokens) goes in with --token",
	},
	{
		ID: "magento", Title: "Magento / Adobe Commerce integration",
		Doc: "https://developer.adobe.com/commerce/webapi/get-started/authentication/gs-authentication-oauth",
		Endpoints: Endpoints{RequestToken: "{base}/oauth/token/request", Authorize: "{base}/admin/oauth_authorize",
			AccessToken: "{base}/oauth/token/access"},
		BaseURL: "{base}/rest", Method: oauthsig.HMACSHA256, Asks: []Ask{AskBaseURL}, FourValues: true,
		Note: "activating an integration in the Admin shows all four values: use --token and --token-secret-file",
	},
	{
		ID: "trello", Title: "Trello", Doc: "https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/",
		Endpoints: Endpoints{RequestToken: "https://trello.com/1/OAuthGetRequestToken", Authorize: "https://trello.com/1/OAuthAuthorizeToken",
			AccessToken: "https://trello.com/1/OAuthGetAccessToken"},
		BaseURL: "https://api.trello.com/1", CheckURL: "https://api.trello.com/1/members/me", Method: oauthsig.HMACSHA1,
		AuthorizeParams: url.Values{"scope": {"read"}, "expiration": {"30days"}, "name": {"lpdesk"}},
		Note:            "--authorize-param scope=read,write asks for more",
	},
	{
		ID: "flickr", Title: "Flickr", Doc: "https://www.flickr.com/services/api/auth.oauth.html",
		Endpoints: Endpoints{RequestToken: "https://www.flickr.com/services/oauth/request_token",
			Authorize: "https://www.flickr.com/services/oauth/authorize", AccessToken: "https://www.flickr.com/services/oauth/access_token"},
		BaseURL:  "https://api.flickr.com/services/rest",
		CheckURL: "https://api.flickr.com/services/rest?method=flickr.test.login&format=json&nojsoncallback=1",
		Method:   oauthsig.HMACSHA1, AuthorizeParams: url.Values{"perms": {"read"}},
		Note: "--authorize-param perms=write (or delete) asks for more",
	},
	{
		ID: "smugmug", Title: "SmugMug", Doc: "https://api.smugmug.com/api/v2/doc/tutorial/authorization.html",
		Endpoints: Endpoints{RequestToken: "https://api.smugmug.com/services/oauth/1.0a/getRequestToken",
			Authorize:   "https://api.smugmug.com/services/oauth/1.0a/authorize",
			AccessToken: "https://api.smugmug.com/services/oauth/1.0a/getAccessToken"},
		BaseURL: "https://api.smugmug.com/api/v2", CheckURL: "https://api.smugmug.com/api/v2!authuser", Method: oauthsig.HMACSHA1,
		AuthorizeParams: url.Values{"Access": {"Full"}, "Permissions": {"Read"}},
		Note:            "--authorize-param Permissions=Modify asks for more",
	},
	{
		ID: "discogs", Title: "Discogs", Doc: "https://www.discogs.com/developers/#page:authentication,header:authentication-oauth-flow",
		Endpoints: Endpoints{RequestToken: "https://api.discogs.com/oauth/request_token", Authorize: "https://www.discogs.com/oauth/authorize",
			AccessToken: "https://api.discogs.com/oauth/access_token"},
		BaseURL: "https://api.discogs.com", CheckURL: "https://api.discogs.com/oauth/identity", Method: oauthsig.Plaintext,
	},
	{
		ID: "tumblr", Title: "Tumblr", Doc: "https://www.tumblr.com/docs/en/api/v2#oauth1-authorization",
		Endpoints: Endpoints{RequestToken: "https://www.tumblr.com/oauth/request_token", Authorize: "https://www.tumblr.com/oauth/authorize",
			AccessToken: "https://www.tumblr.com/oauth/access_token"},
		BaseURL: "https://api.tumblr.com/v2", CheckURL: "https://api.tumblr.com/v2/user/info", Method: oauthsig.HMACSHA1,
	},
	{
		ID: CustomProvider, Title: "Another OAuth 1.0a provider (endpoints typed in)", Doc: "https://www.rfc-editor.org/rfc/rfc5849",
		Method: oauthsig.HMACSHA1, Asks: []Ask{AskBaseURL},
	},
}

// Presets returns every preset, custom last. The caller may change the
// result.
func Presets() []Preset {
	out := make([]Preset, len(presets))
	for i, p := range presets {
		out[i] = p.clone()
	}
	return out
}

// PresetIDs lists the ids --provider takes.
func PresetIDs() []string {
	ids := make([]string, len(presets))
	for i, p := range presets {
		ids[i] = p.ID
	}
	return ids
}

// ErrUnknownPreset reports a --provider value lpdesk does not know.
var ErrUnknownPreset = errors.New("unknown provider")

// LookupPreset returns the preset with the id (any letter case).
func LookupPreset(id string) (Preset, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	for _, p := range presets {
		if p.ID == id {
			return p.clone(), nil
		}
	}
	return Preset{}, fmt.Errorf("%w %q (want one of %s)", ErrUnknownPreset, id, strings.Join(PresetIDs(), ", "))
}

func (p Preset) clone() Preset {
	p.Asks = slices.Clone(p.Asks)
	if p.AuthorizeParams != nil {
		v := make(url.Values, len(p.AuthorizeParams))
		for k, vs := range p.AuthorizeParams {
			v[k] = slices.Clone(vs)
		}
		p.AuthorizeParams = v
	}
	return p
}

// NeedsAsk reports whether the preset asks for a.
func (p Preset) NeedsAsk(a Ask) bool { return slices.Contains(p.Asks, a) }

// Answers are the values a preset asked for.
type Answers struct {
	// BaseURL answers AskBaseURL.
	BaseURL string
	// AccountID answers AskAccountID.
	AccountID string
}

// Apply fills o from the preset and the answers: provider, the generic
// dialect, endpoints, base and check URLs, method, placement, realm, body
// hash, authorize parameters and callback port. What o already sets wins
// (flags override a preset), except that authorize parameters are merged
// with o's winning per name.
func (p Preset) Apply(o Options, a Answers) (Options, error) {
	base := strings.TrimSuffix(strings.TrimSpace(a.BaseURL), "/")
	acct := strings.TrimSpace(a.AccountID)
	if p.NeedsAsk(AskBaseURL) && base == "" {
		return o, fmt.Errorf("provider %s needs its base URL (--base-url), e.g. https://%s.example.com", p.ID, p.ID)
	}
	if p.NeedsAsk(AskAccountID) {
		if acct == "" {
			return o, fmt.Errorf("provider %s needs the account id (--account), e.g. 1234567 or 1234567_SB1", p.ID)
		}
		if strings.IndexFunc(acct, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
		}) >= 0 {
			return o, fmt.Errorf("account id %q: use letters, digits, '_' or '-'", acct)
		}
		o.AccountID = acct
	}
	fill := func(t string) string {
		return strings.NewReplacer("{base}", base,
			"{account}", strings.ToLower(strings.ReplaceAll(acct, "_", "-")),
			"{ACCOUNT}", strings.ToUpper(strings.ReplaceAll(acct, "-", "_"))).Replace(t)
	}
	set := func(dst *string, t string) {
		if *dst == "" && t != "" {
			*dst = fill(t)
		}
	}
	o.Provider = p.ID
	o.Dialect = apiclient.DialectGeneric
	set(&o.Endpoints.RequestToken, p.Endpoints.RequestToken)
	set(&o.Endpoints.Authorize, p.Endpoints.Authorize)
	set(&o.Endpoints.AccessToken, p.Endpoints.AccessToken)
	set(&o.Endpoints.Revoke, p.Endpoints.Revoke)
	if p.ID == CustomProvider {
		// The base URL asked is the API's base itself.
		set(&o.BaseURL, base)
	} else {
		set(&o.BaseURL, p.BaseURL)
	}
	set(&o.CheckURL, p.CheckURL)
	set(&o.Realm, p.Realm)
	if o.SignatureMethod == "" {
		o.SignatureMethod = p.Method
	}
	if o.Placement == 0 {
		o.Placement = p.Placement
	}
	o.BodyHash = o.BodyHash || p.BodyHash
	if o.CallbackPort == 0 {
		o.CallbackPort = p.CallbackPort
	}
	if p.OOBOnly {
		o.OOB = true
	}
	if len(p.AuthorizeParams) > 0 {
		merged := make(url.Values, len(p.AuthorizeParams)+len(o.AuthorizeParams))
		for k, vs := range p.AuthorizeParams {
			merged[k] = slices.Clone(vs)
		}
		for k, vs := range o.AuthorizeParams {
			merged[k] = slices.Clone(vs)
		}
		o.AuthorizeParams = merged
	}
	return o, nil
}
