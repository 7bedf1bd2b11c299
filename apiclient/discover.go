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

// Discovery is where an account's services live, as Discover found them.
type Discovery struct {
	// Account is the account base resource (ServiceAccount), without
	// query: the BaseURL of a Client rooted at the account.
	Account string
	// Services holds the base URL of each other service the Domain API
	// named, {scheme}://{baseURI}/api/account/{id}: a Client's
	// Config.Services. Empty when the platform has no Domain API.
	Services map[Service]string
}

// Discover asks the platform's global API host where an account's services
// live. First the Domain API, GET
// {apiHost}/api/account/{id}/service/{service}/baseURI.json?version=1.0,
// for each service lpdesk uses (ServiceAccount, ServiceServerChat,
// ServiceChatAgent, ServiceMonitoring); a 4xx answer means the Domain API
// does not know that service (or is not there), and the service stays on
// the account base. When it gives no account base, the account's own URL
// is found the older way: GET {apiHost}/api/account/{id}?v=1 answers with a
// redirect to the account's server, and the final URL, without its query,
// is the account base (the server may refuse the unsigned request with 401
// or 403: the URL is still the answer).
//
// Redirects are followed under the Client's rules (https or loopback only,
// at most MaxRedirects). apiHost may omit the scheme (https is assumed);
// plain http to a host that is not loopback is refused with
// ErrInsecureHTTP (DiscoverWith can allow it), and so is a Domain API
// answer that points there. hc may be nil; its CheckRedirect is replaced,
// and its transport checked with SecureTransport, on a copy, never on hc
// itself.
//
// Discover is the one step that moves to other origins: it carries no
// credentials, so following a redirect or reading a service's host leaks
// nothing, and its answer becomes the BaseURL and Services of a Client
// that signs for those origins on purpose. A signed Client never follows a
// redirect to another origin (CrossOriginRedirectError).
func Discover(ctx context.Context, hc *http.Client, apiHost, accountID string) (Discovery, error) {
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
// anything is sent: the URLs it finds are where signed requests will go.
func DiscoverWith(ctx context.Context, hc *http.Client, apiHost, accountID string, o DiscoverOptions) (Discovery, error) {
	if accountID == "" || strings.ContainsAny(accountID, "/?#") {
		return Discovery{}, fmt.Errorf("discover: invalid account id %q", accountID)
	}
	host := strings.TrimSuffix(strings.TrimSpace(apiHost), "/")
	if host == "" {
		return Discovery{}, errors.New("discover: no API host")
	}
	if !strings.Contains(host, "://") {
		host = "https://" + host
	}
	root, err := url.Parse(host)
	if err != nil || (root.Scheme != "http" && root.Scheme != "https") || root.Host == "" || root.RawQuery != "" || root.Fragment != "" {
		return Discovery{}, fmt.Errorf("discover: bad API host %q", apiHost)
	}
	if InsecureURL(root) && !o.AllowInsecureHTTP {
		return Discovery{}, fmt.Errorf("discover: API host %s: %w", root.Host, ErrInsecureHTTP)
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
		return Discovery{}, fmt.Errorf("discover: %w", err)
	}
	cl.CheckRedirect = redirectPolicy(o.AllowInsecureHTTP, DialectLivePerson)
	account := host + "/api/account/" + url.PathEscape(accountID)

	d := Discovery{Services: map[Service]string{}}
	for _, s := range discoveredServices {
		base, found, err := lookupService(ctx, &cl, root, account, accountID, s, o.AllowInsecureHTTP)
		if err != nil {
			return Discovery{}, err
		}
		switch {
		case !found:
		case s == ServiceAccount:
			d.Account = base
		default:
			d.Services[s] = base
		}
	}
	if d.Account == "" {
		if d.Account, err = redirectDiscover(ctx, &cl, account); err != nil {
			return Discovery{}, err
		}
	}
	return d, nil
}

// get sends one unsigned GET and reads the answer within 1 MiB.
func get(ctx context.Context, cl *http.Client, u string) (*http.Response, []byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, 0, err
	}
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := cl.Do(req)
	if err != nil {
		redactErr(err)
		return nil, nil, 0, err
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body, resp.ContentLength, 1<<20)
	if err != nil {
		return nil, nil, 0, err
	}
	return resp, body, time.Since(start), nil
}

// redirectDiscover is the discovery that predates the Domain API: the
// account URL on the API host redirects to the account's own server.
func redirectDiscover(ctx context.Context, cl *http.Client, account string) (string, error) {
	resp, body, elapsed, err := get(ctx, cl, account+"?v=1")
	if err != nil {
		return "", fmt.Errorf("discover: %w", err)
	}
	s := resp.StatusCode
	if s >= 400 && s != http.StatusUnauthorized && s != http.StatusForbidden {
		r := &Response{Status: s, Header: resp.Header, Body: body, ContentType: resp.Header.Get("Content-Type"), Elapsed: elapsed}
		return "", fmt.Errorf("discover: %w", newAPIError(r))
	}
	final := *resp.Request.URL
	final.RawQuery, final.ForceQuery, final.Fragment, final.RawFragment, final.User = "", false, "", "", nil
	return strings.TrimSuffix(final.String(), "/"), nil
}
