package apiclient

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// Client sends requests to one account. It is safe for concurrent use and
// keeps its connections alive between requests.
type Client struct {
	cfg  Config
	base *url.URL
	hc   *http.Client
	log  *slog.Logger
	sig  *signer // built once from cfg's credentials and signature method
	// key signs what the fast signer does not (RSA, PLAINTEXT, realm, body
	// hash, the form placement).
	key oauthsig.Key

	// services holds Config.Services parsed; read-only after New.
	services map[Service]*url.URL

	// skew is the server clock minus ours, in nanoseconds, learnt from a
	// stale-timestamp refusal and kept for the Client's life.
	skew atomic.Int64

	// timeouts bounds each attempt by cfg.Timeout.
	timeouts *timeouts
	targets  targetCache

	// Test hooks: waiting between retries and the backoff base.
	sleep       func(ctx context.Context, d time.Duration) error
	backoffBase time.Duration
}

// BaseURL is the account base URL requests are relative to.
func (c *Client) BaseURL() string { return c.base.String() }

// ServiceBase is the base URL requests for service s go to: its own from
// Config.Services, else BaseURL.
func (c *Client) ServiceBase(s Service) string { return c.serviceBase(s).String() }

func (c *Client) serviceBase(s Service) *url.URL {
	if u, ok := c.services[s]; ok {
		return u
	}
	return c.base
}

// ServiceBases lists the base URL of every service the Client knows,
// ServiceAccount's (BaseURL) included: the origins it signs for.
func (c *Client) ServiceBases() map[Service]string {
	out := map[Service]string{ServiceAccount: c.base.String()}
	for s, u := range c.services {
		out[s] = u.String()
	}
	return out
}

// AccountID is the configured account id.
func (c *Client) AccountID() string { return c.cfg.AccountID }

// Dialect is the provider's REST conventions the Client follows.
func (c *Client) Dialect() Dialect { return c.cfg.Dialect }
