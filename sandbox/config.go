package sandbox

import (
	"crypto/rsa"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// App is a registered OAuth consumer (an application an admin may install).
// The zero Method keeps the platform's own rule: HMAC-SHA1 or HMAC-SHA256
// with Secret (and RSA-SHA1 or RSA-SHA256 when a PublicKey is registered);
// a set Method is the only one the application's requests may use, which
// is how the sandbox stands in for providers that fix the method (Jira's
// RSA-SHA1, NetSuite's HMAC-SHA256, Discogs' PLAINTEXT).
type App struct {
	Name, Key string
	// Secret is the consumer secret of the secret-based methods; RSA
	// applications need none.
	Secret string
	// Method, when set, is the one signature method the application's
	// requests are accepted with. PLAINTEXT is accepted only over TLS.
	Method oauthsig.Method
	// PublicKey verifies RSA-SHA1 and RSA-SHA256 signatures; the token
	// secret is then not part of the signature (RFC 5849 §3.4.3).
	PublicKey *rsa.PublicKey
	// Realm, when set, must be the Authorization header's realm.
	Realm string
	// BodyHash requires oauth_body_hash (the Request Body Hash extension)
	// on requests with a body that is not form-encoded.
	BodyHash bool
}

// Config configures a sandbox. Zero fields take the demo defaults.
type Config struct {
	// AccountID is the account number; default "12345678".
	AccountID string
	// AdminUser and AdminPassword sign in to the console (and authenticate
	// its actions with HTTP Basic); default "admin" / "demo".
	AdminUser     string
	AdminPassword string
	// Apps are registered in addition to the demo application
	// (assets.DemoConsumerKey), which is always registered.
	Apps []App
	// AllowUnsigned lets appKey-only calls through. When true it overrides
	// a refusal stored in DataFile.
	AllowUnsigned bool
	// DataFile, when set, keeps tokens, settings and records across restarts
	// (JSON, written atomically, mode 0600: it holds token secrets).
	DataFile string
	// SeedRecords is the number of seeded skills plus users when the state
	// is new; 0 means 400 (150 skills, 250 users). Three eighths are skills.
	SeedRecords int
	// BasePath is the account base resource's path; default
	// "/api/account/{AccountID}".
	BasePath string
	// DiscoveryRedirect makes GET /api/account/{AccountID} answer 302 to
	// BasePath (an absolute URL on the request's host) when the two differ.
	DiscoveryRedirect bool
	// DiscoveryTarget, when set, is the absolute URL of the account base on
	// another listener: discovery requests reaching any other host are
	// redirected there. The target listener must serve BasePath. Its host
	// is one of the sandbox's names (see AllowedHosts).
	DiscoveryTarget string
	// AllowedHosts are names (NAME or NAME:PORT, an IP address, [IPv6]) the
	// sandbox answers to besides its loopback names (localhost, 127.0.0.0/8,
	// [::1]) and the address a connection arrived on. Requests addressed to
	// any other Host are refused with 421: that is the defence against DNS
	// rebinding. Name one only for a deliberate non-loopback deployment.
	AllowedHosts []string
	// Now is the server's clock (timestamps, expiry, Date header); default
	// time.Now. Tests move it to simulate clock skew.
	Now func() time.Time
	// Logger receives one line per request (never secrets, signatures or
	// verifiers); default discards.
	Logger *slog.Logger
	// ServiceHosts places services on base URLs of their own: a service
	// named here (host:port as clients reach it) is answered only by its
	// ServiceHandler's listener, and the Domain API names that host.
	ServiceHosts map[Service]string
}

// DemoConfig is the configuration `lpdesk sandbox` and `lpdesk demo` start
// with: account 12345678, console admin/demo, the demo application.
// BasePath is left empty so that it follows AccountID.
func DemoConfig() Config {
	return Config{
		AccountID:     "12345678",
		AdminUser:     "admin",
		AdminPassword: "demo",
		SeedRecords:   400,
		Now:           time.Now,
	}
}

// DocsAppKey is the global application key every Server Chat example in
// LivePerson's documentation sends (Authorization: LivePerson appKey=…).
// The sandbox registers it so that those examples work as printed once
// unsigned calls are allowed; its secret is random, so it cannot sign.
const DocsAppKey = "721c180b09eb463d9f3191c41762bb68"

func docsApp() App {
	return App{Name: "LivePerson documentation's global app key", Key: DocsAppKey, Secret: randomSecret(24)}
}

// discoveryPath is where clients discover the account base.
func discoveryPath(accountID string) string { return "/api/account/" + accountID }

// withDefaults fills cfg's zero fields with the demo's and checks the
// paths and URLs it names.
func withDefaults(cfg Config) (Config, error) {
	def := DemoConfig()
	if cfg.AccountID == "" {
		cfg.AccountID = def.AccountID
	}
	if strings.ContainsAny(cfg.AccountID, "/?#") {
		return cfg, fmt.Errorf("sandbox: account id %q must be one path segment", cfg.AccountID)
	}
	if cfg.AdminUser == "" {
		cfg.AdminUser = def.AdminUser
	}
	if cfg.AdminPassword == "" {
		cfg.AdminPassword = def.AdminPassword
	}
	if cfg.SeedRecords <= 0 {
		cfg.SeedRecords = def.SeedRecords
	}
	if cfg.BasePath == "" {
		cfg.BasePath = discoveryPath(cfg.AccountID)
	}
	if !strings.HasPrefix(cfg.BasePath, "/") || strings.HasSuffix(cfg.BasePath, "/") {
		return cfg, fmt.Errorf("sandbox: base path %q must start with / and not end with one", cfg.BasePath)
	}
	if cfg.DiscoveryTarget != "" {
		u, err := url.Parse(cfg.DiscoveryTarget)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return cfg, fmt.Errorf("sandbox: discovery target %q is not an absolute URL", cfg.DiscoveryTarget)
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}

// allowedHostsOf is the names the sandbox answers to besides loopback:
// those the operator allowed, the discovery target's and the services'
// own listeners'.
func allowedHostsOf(cfg Config) ([]allowedHost, error) {
	var allowed []allowedHost
	for _, h := range cfg.AllowedHosts {
		a, err := parseAllowedHost(h)
		if err != nil {
			return nil, fmt.Errorf("sandbox: %w", err)
		}
		allowed = append(allowed, a)
	}
	if cfg.DiscoveryTarget != "" {
		// The operator named it as the account's own host.
		u, _ := url.Parse(cfg.DiscoveryTarget)
		a, err := parseAllowedHost(u.Host)
		if err != nil {
			return nil, fmt.Errorf("sandbox: discovery target: %w", err)
		}
		allowed = append(allowed, a)
	}
	if err := checkServiceHosts(cfg.ServiceHosts); err != nil {
		return nil, err
	}
	for _, h := range cfg.ServiceHosts {
		// The operator placed a service there: its own listener's name.
		a, err := parseAllowedHost(h)
		if err != nil {
			return nil, fmt.Errorf("sandbox: service host: %w", err)
		}
		allowed = append(allowed, a)
	}
	return allowed, nil
}
