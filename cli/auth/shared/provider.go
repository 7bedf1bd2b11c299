package shared

import (
	"fmt"
	"io"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/store"
)

// PrintProvider prints what signs p's requests and where: provider,
// dialect, method, realm, placement, body hash and the application, whose
// secret is named by its keyring item, never shown. Lines for the
// LivePerson-style platform's defaults are left out, so its profiles print
// as before apart from the application line.
func PrintProvider(w io.Writer, st *store.Store, p store.Profile) {
	if p.Generic() || p.Provider != "" {
		provider := p.Provider
		if provider == "" {
			provider = "custom"
		}
		fmt.Fprintf(w, "provider:     %s\n", provider)
	}
	dialect := p.Dialect
	if dialect == 0 {
		dialect = apiclient.DialectLivePerson
	}
	method := p.SignatureMethod
	if method == "" {
		method = oauthsig.HMACSHA1
	}
	placement := p.Placement
	if placement == 0 {
		placement = apiclient.PlaceHeader
	}
	fmt.Fprintf(w, "dialect:      %s\n", dialect)
	fmt.Fprintf(w, "signature:    %s\n", method)
	fmt.Fprintf(w, "placement:    %s\n", placement)
	if p.Realm != "" {
		fmt.Fprintf(w, "realm:        %s\n", p.Realm)
	}
	if p.BodyHash {
		fmt.Fprintf(w, "body hash:    on (oauth_body_hash)\n")
	}
	if p.CheckURL != "" {
		fmt.Fprintf(w, "check URL:    %s\n", p.CheckURL)
	}
	if p.AppCredentials {
		what := "secret"
		if method.IsRSA() {
			what = "private key"
		}
		fmt.Fprintf(w, "application:  %s (its own; %s in %s)\n", p.ConsumerKey, what, st.AppSecretLocation(p.Name))
		return
	}
	key := p.ConsumerKey
	if key == "" {
		key, _ = assets.Consumer()
	}
	fmt.Fprintf(w, "application:  %s (built into lpdesk)\n", key)
}
