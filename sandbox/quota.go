package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// quotas are each client's share of the memory the sandbox spends on
// replay protection and pending logins. Shares are per consumer key and per
// token, never global: whoever fills one is refused (429) while every other
// consumer key and token keeps working. The demo application's consumer
// secret is public, so anyone on the machine can use up the demo key's
// tokenless and pending-request-token shares — but no access token's.
type quotas struct {
	// noncesPerConsumer bounds the nonces remembered for calls that carry no
	// token (POST /oauth/request_token), per consumer key.
	noncesPerConsumer int
	// noncesPerRequestToken bounds those remembered for one request token
	// (POST /oauth/access_token); a login exchanges once, retries a few times.
	noncesPerRequestToken int
	// noncesPerAccessToken bounds those remembered for one access token (API
	// calls, revoke). A nonce is held until its timestamp leaves the window,
	// about 300 s for a client with a correct clock, so this is a sustained
	// rate of roughly 3,000 calls a second per token, with bursts above.
	noncesPerAccessToken int
	// pendingPerConsumer bounds the request tokens a consumer key holds that
	// are neither exchanged, denied nor expired.
	pendingPerConsumer int
}

var defaultQuotas = quotas{
	noncesPerConsumer:     10_000,
	noncesPerRequestToken: 100,
	noncesPerAccessToken:  1_000_000,
	pendingPerConsumer:    1_000,
}

// nonceLimit is the share of the scope a request of kind is charged to.
func (q quotas) nonceLimit(kind tokenKind) int {
	switch kind {
	case requestTok:
		return q.noncesPerRequestToken
	case accessTokKnd:
		return q.noncesPerAccessToken
	default:
		return q.noncesPerConsumer
	}
}

// setQuotas replaces the shares; tests lower them to reach the limits with
// a few requests.
func (s *Server) setQuotas(q quotas) {
	s.mu.Lock()
	s.quota = q
	s.mu.Unlock()
}

// overQuota is the 429 a client over its share gets. retry is how long until
// its oldest entry is forgotten, the earliest a retry can succeed.
func overQuota(retry time.Duration, reason, format string, a ...any) *apiError {
	e := errorf(http.StatusTooManyRequests, wire.CodeQuotaExceeded, format, a...).why(reason)
	e.RetryAfter = max(retry, time.Second) // never absent: 0 would drop the header
	return e
}

// retryAfterSeconds is d as a Retry-After value: whole seconds, rounded up,
// at least 1 (RFC 9110 §10.2.3).
func retryAfterSeconds(d time.Duration) string {
	return strconv.FormatInt(max(1, int64((d+time.Second-1)/time.Second)), 10)
}

// nonceQuotaError refuses a signed request whose scope holds limit nonces.
func nonceQuotaError(kind tokenKind, limit int, retry time.Duration) *apiError {
	whose := map[tokenKind]string{
		noToken:      "this consumer key's calls without a token",
		requestTok:   "this request token",
		accessTokKnd: "this access token",
	}[kind]
	return overQuota(retry,
		fmt.Sprintf("each nonce is remembered until its oauth_timestamp leaves the ±%d s window, so that it cannot be replayed; other consumer keys and tokens are not affected",
			int(timestampWindow/time.Second)),
		"too many signed requests: %s already hold %d remembered nonces, the most allowed; retry in %s s",
		whose, limit, retryAfterSeconds(retry))
}

// pendingQuotaError refuses a request token to a consumer key holding
// limit of them.
func pendingQuotaError(limit int, oldestLeft time.Duration) *apiError {
	return overQuota(oldestLeft,
		fmt.Sprintf("a request token lasts %d minutes unless it is exchanged or denied; other consumer keys are not affected",
			int(requestTokenTTL/time.Minute)),
		"this consumer key already holds %d pending request tokens, the most allowed; the oldest expires in %s s",
		limit, retryAfterSeconds(oldestLeft))
}
