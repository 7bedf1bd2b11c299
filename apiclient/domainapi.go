package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// ErrDomainAPI is wrapped by a Domain API answer Discover cannot use: a 2xx
// that is not the documented JSON, names another account or service, or
// gives a base URI that is not a host.
var ErrDomainAPI = errors.New("unusable Domain API answer")

// domainEntry is one service's entry in a Domain API answer.
type domainEntry struct {
	Service string `json:"service"`
	Account string `json:"account"`
	BaseURI string `json:"baseURI"`
}

// domainAnswer holds both documented shapes: the single object the
// per-service URL answers ({"service","account","baseURI"}), and the
// all-services list the domain-api page shows as its example
// ({"baseURIs":[…]}).
type domainAnswer struct {
	domainEntry
	BaseURIs []domainEntry `json:"baseURIs"`
}

// lookupService asks the Domain API for service s of the account. found is
// false when it answers 4xx (it does not know the service, or there is no
// Domain API there); any other failure is an error, since the fallback
// could only hide it.
func lookupService(ctx context.Context, cl *http.Client, root *url.URL, account, accountID string, s Service, allowInsecure bool) (base string, found bool, err error) {
	u := account + "/service/" + url.PathEscape(string(s)) + "/baseURI.json?version=1.0"
	resp, body, elapsed, err := get(ctx, cl, u)
	if err != nil {
		return "", false, fmt.Errorf("discover: Domain API for %s: %w", s, err)
	}
	switch st := resp.StatusCode; {
	case st >= 400 && st < 500:
		return "", false, nil
	case st < 200 || st > 299:
		r := &Response{Status: st, Header: resp.Header, Body: body, ContentType: resp.Header.Get("Content-Type"), Elapsed: elapsed}
		return "", false, fmt.Errorf("discover: Domain API for %s: %w", s, newAPIError(r))
	}
	var a domainAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return "", false, fmt.Errorf("discover: Domain API for %s: %w: %v", s, ErrDomainAPI, err)
	}
	e := a.domainEntry
	if a.BaseURIs != nil {
		e = domainEntry{}
		for _, x := range a.BaseURIs {
			if x.Service == string(s) {
				e = x
				break
			}
		}
		if e.BaseURI == "" {
			return "", false, nil // the list does not name this service
		}
	}
	if e.Service != "" && e.Service != string(s) {
		return "", false, fmt.Errorf("discover: Domain API for %s answered for service %q: %w", s, e.Service, ErrDomainAPI)
	}
	if e.Account != "" && e.Account != accountID {
		return "", false, fmt.Errorf("discover: Domain API for %s answered for account %q: %w", s, e.Account, ErrDomainAPI)
	}
	host, err := serviceHost(e.BaseURI, root.Scheme)
	if err != nil {
		return "", false, fmt.Errorf("discover: Domain API for %s: %w", s, err)
	}
	if InsecureURL(host) && !allowInsecure {
		return "", false, fmt.Errorf("discover: Domain API puts %s on %s: %w", s, host.Host, ErrInsecureHTTP)
	}
	return host.String() + "/api/account/" + url.PathEscape(accountID), true, nil
}

// serviceHost reads a baseURI: a bare host[:port], as LivePerson gives it,
// which takes the scheme the Domain API was asked with, or the same with
// its scheme. Nothing else (a path, query or user) is accepted.
func serviceHost(baseURI, scheme string) (*url.URL, error) {
	raw := strings.TrimSuffix(strings.TrimSpace(baseURI), "/")
	if raw == "" {
		return nil, fmt.Errorf("%w: empty baseURI", ErrDomainAPI)
	}
	if !strings.Contains(raw, "://") {
		raw = scheme + "://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("%w: baseURI %q is not a host[:port]", ErrDomainAPI, baseURI)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}
