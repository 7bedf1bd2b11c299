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
// scheme (https is assumed). hc may be nil; its CheckRedirect is replaced on
// a copy, never on hc itself.
//
// The final server may refuse the unsigned request (401/403): the URL is
// still the answer, so only other errors fail.
func Discover(ctx context.Context, hc *http.Client, apiHost, accountID string) (string, error) {
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
	var cl http.Client
	if hc != nil {
		cl = *hc
	} else {
		cl.Timeout = DefaultTimeout
	}
	cl.CheckRedirect = checkRedirect
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
