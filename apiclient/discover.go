package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Discover asks the platform's global API host where an account lives:
// GET {apiHost}/api/account/{id}?v=1, which answers with a redirect to the
// account's own server. The redirect is followed under the Client's rules
// (https or loopback only, at most MaxRedirects) and the final URL, without
// its query, is returned for the profile to keep. apiHost may omit the
// scheme (https is assumed); plain http to a host that is not loopback is
// refused with ErrInsecureHTTP (DiscoverWith can allow it). hc may be nil;
// its CheckRedirect is replaced, and its transport checked with
// SecureTransport, on a copy, never on hc itself.
//
// The final server may refuse the unsigned request (401/403): the URL is
// still the answer, so only other errors fail.
//
// Discover is the one step that moves to another origin: it carries no
// credentials, so following the redirect to the account's server leaks
// nothing, and its answer becomes the BaseURL of a Client rooted there. A
// signed Client never follows a redirect to another origin
// (CrossOriginRedirectError).
func Discover(ctx context.Context, hc *http.Client, apiHost, accountID string) (string, error) {
	return DiscoverWith(ctx, hc, apiHost, accountID, DiscoverOptions{})
}

// discoverTransport serves every Discover without a transport of its own,
// so that its idle connections are shared rather than left behind per call.
var discoverTransport = NewTransport()

// DiscoverOptions adjust DiscoverWith.
type DiscoverOptions struct {
	// AllowInsecureHTTP permits a plain-http API host and plain-http
	// redirects on hosts that are not loopback (never a redirect from https
	// down to http); see Config.AllowInsecureHTTP.
	AllowInsecureHTTP bool
}

// DiscoverWith is Discover with options. Without AllowInsecureHTTP, a
// plain-http apiHost that is not loopback fails with ErrInsecureHTTP before
// anything is sent: the URL it finds is where signed requests will go.
func DiscoverWith(ctx context.Context, hc *http.Client, apiHost, accountID string, o DiscoverOptions) (string, error) {
	if accountID == "" || strings.ContainsAny(accountID, "/?#") {
		return "", fmt.Errorf("discover: invalid account id %q", accountID)
	}
	host := strings.TrimSuffix(strings.TrimSpace(apiHost), "/")
	if host == "" {
		return "", errors.New("discover: no API host")
	}
	if !strings.Contains(host, "://") {
		host = "https://" + host
	}
	u, err := url.Parse(host + "/api/account/" + url.PathEscape(accountID) + "?v=1")
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("discover: bad API host %q", apiHost)
	}
	if InsecureURL(u) && !o.AllowInsecureHTTP {
		return "", fmt.Errorf("discover: API host %s: %w", u.Host, ErrInsecureHTTP)
	}
	var cl http.Client
	if hc != nil {
		cl = *hc
	} else {
		cl.Timeout = DefaultTimeout
	}
	if cl.Transport == nil {
		cl.Transport = discoverTransport
	} else if cl.Transport, err = SecureTransport(cl.Transport); err != nil {
		return "", fmt.Errorf("discover: %w", err)
	}
	cl.CheckRedirect = redirectPolicy(o.AllowInsecureHTTP)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", fmt.Errorf("discover: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := cl.Do(req)
	if err != nil {
		redactErr(err)
		return "", fmt.Errorf("discover: %w", err)
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body, resp.ContentLength, 1<<20)
	if err != nil {
		return "", fmt.Errorf("discover: %w", err)
	}
	s := resp.StatusCode
	if s >= 400 && s != http.StatusUnauthorized && s != http.StatusForbidden {
		r := &Response{Status: s, Header: resp.Header, Body: body, ContentType: resp.Header.Get("Content-Type"), Elapsed: time.Since(start)}
		return "", fmt.Errorf("discover: %w", newAPIError(r))
	}
	final := *resp.Request.URL
	final.RawQuery, final.ForceQuery, final.Fragment, final.RawFragment, final.User = "", false, "", "", nil
	return strings.TrimSuffix(final.String(), "/"), nil
}
