package apiclient

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// CrossOriginRedirectError is returned when a redirect points a request at
// another origin (scheme, host and port) than the one it was sent to, and
// following it would carry the request's credentials (an OAuth signature
// made with the token, or in appKey mode the whole credential) or its body
// there. Nothing is sent to Target.
//
// A move to another origin is not followed silently: a caller that trusts
// the new origin roots a Client there (Discover, which sends no
// credentials, is the way to learn an account's own server).
type CrossOriginRedirectError struct {
	// Status is the redirect's status (301, 302, 303, 307 or 308); 0 when
	// the request did not come from a redirect.
	Status int
	// Origin is where the request was meant to go, as scheme://host[:port].
	Origin string
	// Target is where the redirect pointed, without oauth_* and appKey
	// parameters or user info.
	Target string
	// Credentials and Body say what would have left the origin.
	Credentials, Body bool
}

func (e *CrossOriginRedirectError) Error() string {
	var what string
	switch {
	case e.Credentials && e.Body:
		what = "credentials and body"
	case e.Credentials:
		what = "credentials"
	default:
		what = "body"
	}
	status := "redirect"
	if e.Status != 0 {
		status = fmt.Sprintf("%d redirect", e.Status)
	}
	return fmt.Sprintf("%s refused: it points from %s to another origin, %s, and the request's %s stay with the origin they were meant for",
		status, e.Origin, e.Target, what)
}

// SameOrigin reports whether a and b have the same scheme, host and
// effective port: the unit a credential is meant for.
func SameOrigin(a, b *url.URL) bool {
	if a.Scheme == b.Scheme && a.Host == b.Host {
		return true // every request's own hop: no need to take Host apart
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// originOf is u reduced to its origin, for authSpec and error messages.
func originOf(u *url.URL) *url.URL {
	return &url.URL{Scheme: strings.ToLower(u.Scheme), Host: u.Host}
}

// checkOrigin refuses an attempt that left spec's origin while carrying
// credentials or a body. It runs in the transport, where credentials are
// added, so that no path to the wire (a redirect, or anything later) can
// sign for another origin. A credential-less GET may still follow a
// redirect anywhere redirectPolicy allows (it strips caller-set
// Authorization and Cookie there).
func (spec authSpec) checkOrigin(r *http.Request) error {
	if spec.origin == nil || SameOrigin(r.URL, spec.origin) {
		return nil
	}
	e := &CrossOriginRedirectError{
		Origin:      spec.origin.String(),
		Target:      redactCredentials(r.URL),
		Credentials: spec.auth != AuthNone,
		Body:        r.Body != nil && r.Body != http.NoBody,
	}
	if !e.Credentials && !e.Body {
		return nil
	}
	if r.Response != nil {
		e.Status = r.Response.StatusCode
	}
	return e
}

// redactCredentials is redactURL that also drops appKey, which in appKey
// mode is the whole credential (a redirect may echo it back).
func redactCredentials(u *url.URL) string {
	cp := *u
	cp.RawQuery = dropParams(cp.RawQuery, func(k string) bool { return k == "appKey" })
	return redactURL(&cp)
}
