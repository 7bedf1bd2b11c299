package apiclient

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	rand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// retries reports whether attempt may be followed by another: only an
// idempotent GET is retried, at most MaxRetries times.
func (c *Client) retries(p *prepared, attempt int) bool {
	return p.method == http.MethodGet && attempt < c.cfg.MaxRetries
}

// wait sleeps d before the next attempt, logging why (cause).
func (c *Client) wait(ctx context.Context, p *prepared, attempt int, d time.Duration, cause slog.Attr) error {
	c.log.LogAttrs(ctx, slog.LevelDebug, "api retry", slog.String("url", redactURL(p.url)), slog.Int("attempt", attempt+1), slog.Duration("wait", d), cause)
	if err := c.sleep(ctx, d); err != nil {
		return fmt.Errorf("apiclient: %s %s: %w", p.method, redactURL(p.url), err)
	}
	return nil
}

func retryableStatus(s int) bool {
	switch s {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableErr: transport failures and per-attempt timeouts, but not the
// caller's cancellation, a refused redirect or an oversize body.
func retryableErr(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if errors.Is(err, ErrUnsafeRedirect) || errors.Is(err, ErrTooManyRedirects) || errors.Is(err, ErrBodyTooLarge) || errors.Is(err, ErrVersionConflict) {
		return false
	}
	var co *CrossOriginRedirectError
	if errors.As(err, &co) {
		return false // the server will point the same way again
	}
	var ce *tls.CertificateVerificationError
	if errors.As(err, &ce) {
		return false // the same certificate will fail the same way
	}
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded)
}

// backoff is exponential from backoffBase, capped at MaxRetryWait, with the
// upper half jittered so clients retrying together spread out.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.backoffBase << min(attempt, 20)
	if d <= 0 || d > c.cfg.MaxRetryWait {
		d = c.cfg.MaxRetryWait
	}
	half := d / 2
	return half + rand.N(half+1)
}

// retryAfter reads Retry-After as seconds or an HTTP-date, capped at
// MaxRetryWait.
func (c *Client) retryAfter(h string) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		d = time.Duration(min(secs, int64(c.cfg.MaxRetryWait/time.Second)+1)) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = max(t.Sub(c.now()), 0)
	} else {
		return 0, false
	}
	return min(d, c.cfg.MaxRetryWait), true
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
