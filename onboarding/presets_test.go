package onboarding

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/store"
)

// Every preset is complete once its questions are answered: https URLs, a
// method oauthsig knows, a doc page to check it against.
func TestPresetsAreComplete(t *testing.T) {
	ids := map[string]bool{}
	for _, p := range Presets() {
		if ids[p.ID] {
			t.Errorf("duplicate preset %s", p.ID)
		}
		ids[p.ID] = true
		if !p.Method.Valid() || p.Title == "" || !strings.HasPrefix(p.Doc, "https://") {
			t.Errorf("%s: method %q title %q doc %q", p.ID, p.Method, p.Title, p.Doc)
		}
		if p.ID == CustomProvider {
			continue
		}
		o, err := p.Apply(Options{}, Answers{BaseURL: "https://host.example/", AccountID: "1234567_SB1"})
		if err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
		for _, u := range []string{o.Endpoints.RequestToken, o.Endpoints.Authorize, o.Endpoints.AccessToken, o.BaseURL} {
			if err := checkURL(p.ID, u, false); err != nil || strings.Contains(u, "{") || !strings.HasPrefix(u, "https://") {
				t.Errorf("%s: URL %q: %v", p.ID, u, err)
			}
		}
		if o.Provider != p.ID || o.Dialect != apiclient.DialectGeneric || o.SignatureMethod != p.Method {
			t.Errorf("%s: %+v", p.ID, o)
		}
	}
	for _, want := range []string{"x", "jira", "netsuite", "magento", "trello", "flickr", "smugmug", "discogs", "tumblr", "custom"} {
		if !ids[want] {
			t.Errorf("no preset %s", want)
		}
	}
}

func TestPresetQuirks(t *testing.T) {
	ns, _ := LookupPreset("NetSuite")
	o, err := ns.Apply(Options{}, Answers{AccountID: "1234567_SB1"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Realm != "1234567_SB1" || o.Endpoints.RequestToken != "https://1234567-sb1.restlets.api.netsuite.com/rest/requesttoken" ||
		o.SignatureMethod != oauthsig.HMACSHA256 || o.AccountID != "1234567_SB1" {
		t.Errorf("netsuite: %+v", o)
	}
	if o, _ := ns.Apply(Options{}, Answers{AccountID: "1234567-sb1"}); o.Realm != "1234567_SB1" {
		t.Errorf("netsuite realm from the host form = %q", o.Realm)
	}
	if _, err := ns.Apply(Options{}, Answers{}); err == nil || !strings.Contains(err.Error(), "--account") {
		t.Errorf("netsuite without account: %v", err)
	}
	if _, err := ns.Apply(Options{}, Answers{AccountID: "evil.example/x"}); err == nil {
		t.Error("netsuite accepted an account id that changes the host")
	}

	jira, _ := LookupPreset("jira")
	if _, err := jira.Apply(Options{}, Answers{}); err == nil || !strings.Contains(err.Error(), "--base-url") {
		t.Errorf("jira without base URL: %v", err)
	}
	// Flags win over the preset: a newer Jira signing with RSA-SHA256.
	o, _ = jira.Apply(Options{SignatureMethod: oauthsig.RSASHA256}, Answers{BaseURL: "https://jira.example.com"})
	if o.SignatureMethod != oauthsig.RSASHA256 || o.Endpoints.Authorize != "https://jira.example.com/plugins/servlet/oauth/authorize" ||
		o.CheckURL != "https://jira.example.com/rest/api/2/myself" {
		t.Errorf("jira: %+v", o)
	}

	// Authorize parameters merge, the user's winning per name; the preset
	// itself is not changed.
	tr, _ := LookupPreset("trello")
	o, _ = tr.Apply(Options{AuthorizeParams: url.Values{"scope": {"read,write"}}}, Answers{})
	if o.AuthorizeParams.Get("scope") != "read,write" || o.AuthorizeParams.Get("expiration") != "30days" || o.AuthorizeParams.Get("name") != "lpdesk" {
		t.Errorf("trello params %v", o.AuthorizeParams)
	}
	if again, _ := LookupPreset("trello"); again.AuthorizeParams.Get("scope") != "read" {
		t.Errorf("the preset was changed: %v", again.AuthorizeParams)
	}

	cu, _ := LookupPreset("custom")
	o, _ = cu.Apply(Options{}, Answers{BaseURL: "https://api.example.com/v1/"})
	if o.BaseURL != "https://api.example.com/v1" || o.Endpoints.RequestToken != "" {
		t.Errorf("custom: %+v", o)
	}
	if _, err := LookupPreset("myspace"); !errors.Is(err, ErrUnknownPreset) || !strings.Contains(err.Error(), "trello") {
		t.Errorf("unknown preset: %v", err)
	}
}

// A profile's name defaults to the preset, else to the base URL's host.
func TestGenericDefaultProfileName(t *testing.T) {
	st := newStore(t)
	for _, c := range []struct{ provider, base, want string }{
		{"trello", "https://api.trello.com/1", "trello"},
		{CustomProvider, "https://api.example.com:8443/v1", "api.example.com"},
		{"", "http://127.0.0.1:9/x", "127.0.0.1"},
	} {
		o, err := Options{Store: st, Provider: c.provider, Dialect: apiclient.DialectGeneric, BaseURL: c.base,
			ConsumerKey: "k", ConsumerSecret: "s"}.resolve()
		if err != nil || o.Profile != c.want || o.Server != origin(c.base) {
			t.Errorf("%s %s: profile %q server %q, %v", c.provider, c.base, o.Profile, o.Server, err)
		}
	}
}

// The command that logs a profile in again names every flag it needs and
// no secret.
func TestLoginCommandForOtherProviders(t *testing.T) {
	custom := LoginCommand(store.Profile{Name: "ext", Dialect: apiclient.DialectGeneric, Provider: CustomProvider,
		BaseURL: "https://api.example.com/v1", AppCredentials: true, ConsumerKey: "k", SignatureMethod: oauthsig.RSASHA256,
		Endpoints: store.Endpoints{RequestToken: "https://api.example.com/rt", Authorize: "https://api.example.com/au", AccessToken: "https://api.example.com/at"}})
	for _, want := range []string{"--provider custom", "--base-url https://api.example.com/v1", "--request-token-url https://api.example.com/rt",
		"--app-key k", "--app-private-key PEMFILE", "--signature-method RSA-SHA256", "--profile ext"} {
		if !strings.Contains(custom, want) {
			t.Errorf("%s lacks %q", custom, want)
		}
	}
	ns := LoginCommand(store.Profile{Name: "netsuite", Dialect: apiclient.DialectGeneric, Provider: "netsuite", AccountID: "1234567_SB1",
		AppCredentials: true, ConsumerKey: "k", SignatureMethod: oauthsig.HMACSHA256})
	if !strings.Contains(ns, "--provider netsuite --account 1234567_SB1 --app-key k --app-secret-file FILE") || strings.Contains(ns, "--base-url") {
		t.Errorf("netsuite: %s", ns)
	}
	lp := LoginCommand(store.Profile{Name: "work", Server: "https://p.example", AccountID: "1"})
	if lp != "lpdesk auth login --server https://p.example --account 1 --profile work" {
		t.Errorf("platform: %s", lp)
	}
}
