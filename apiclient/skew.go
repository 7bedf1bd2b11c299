package apiclient

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// ClockOffset is the correction applied to the clock for oauth_timestamp,
// learnt from the server's Date header after a stale-timestamp refusal.
func (c *Client) ClockOffset() time.Duration { return time.Duration(c.skew.Load()) }

func (c *Client) now() time.Time { return c.cfg.Now().Add(c.ClockOffset()) }

// learnSkew reads a stale-timestamp refusal (401 with that internal code)
// and takes the server's clock from its Date header, so the next attempt's
// oauth_timestamp is what the server expects. It reports whether it
// learnt anything, i.e. whether a retry can succeed.
func (c *Client) learnSkew(ctx context.Context, hresp *http.Response, body []byte) bool {
	if hresp.StatusCode != http.StatusUnauthorized {
		return false
	}
	e, ok := wire.ParseError(body)
	if !ok || e.InternalCode != wire.CodeStaleTimestamp {
		return false
	}
	server, err := http.ParseTime(hresp.Header.Get("Date"))
	if err != nil {
		return false
	}
	off := server.Sub(c.cfg.Now()).Round(time.Second)
	c.skew.Store(int64(off))
	c.log.LogAttrs(ctx, slog.LevelInfo, "clock skew corrected", slog.Duration("offset", off))
	return true
}
