package apiclient

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ErrInsecureHTTP is returned, before anything is sent, for a plain-http URL
// on a host that is not loopback when plain http was not explicitly allowed
// (Config.AllowInsecureHTTP, `--insecure-http`): a signed request, and the
// token exchange before it, can be read and replayed by anyone on the path.
var ErrInsecureHTTP = errors.New("plain http is refused for a host that is not loopback (127.0.0.1, ::1, localhost): " +
	"use https, or allow it explicitly with --insecure-http")

// ErrInsecureTLS is returned by New and SecureTransport for a transport that
// skips certificate verification. lpdesk has no switch to turn verification
// off: a server with a private CA belongs in the system trust store.
var ErrInsecureTLS = errors.New("a transport that skips TLS certificate verification is refused")

// MinTLSVersion is the oldest TLS version lpdesk's transports negotiate.
const MinTLSVersion = tls.VersionTLS12

// MaxIdleConnsPerHost is how many idle connections NewTransport keeps to
// one host.
const MaxIdleConnsPerHost = 16

// NewTransport returns the transport lpdesk uses by default: a clone of
// http.DefaultTransport (keep-alive, proxy from the environment) with TLS 1.2
// as the minimum version, certificate verification on and up to
// MaxIdleConnsPerHost idle connections per host. The TLS minimum is set
// explicitly rather than left to crypto/tls's default, which a GODEBUG
// setting can lower.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{MinVersion: MinTLSVersion}
	// net/http keeps only 2 idle connections per host by default; a Client
	// used from several goroutines against one API host would then close
	// and redial most connections after each burst.
	t.MaxIdleConnsPerHost = MaxIdleConnsPerHost
	return t
}

// SecureTransport checks a caller's transport against lpdesk's TLS rules.
// nil yields NewTransport(). An *http.Transport that skips certificate
// verification is refused with ErrInsecureTLS; one whose minimum TLS version
// is unset or below 1.2 is cloned with the minimum raised (the caller's TLS
// settings are left as they were). Other RoundTrippers (test doubles, wrappers)
// cannot be inspected and are returned as they are.
func SecureTransport(rt http.RoundTripper) (http.RoundTripper, error) {
	if rt == nil {
		return NewTransport(), nil
	}
	t, ok := rt.(*http.Transport)
	if !ok {
		return rt, nil
	}
	tc := t.TLSClientConfig
	if tc != nil && tc.InsecureSkipVerify {
		return nil, ErrInsecureTLS
	}
	if tc != nil && tc.MinVersion >= MinTLSVersion {
		return t, nil
	}
	cp := t.Clone()
	if cp.TLSClientConfig == nil {
		cp.TLSClientConfig = &tls.Config{}
	}
	cp.TLSClientConfig.MinVersion = MinTLSVersion
	return cp, nil
}

// InsecureURL reports whether u is plain http to a host that is not a
// loopback address: the one kind of URL that needs AllowInsecureHTTP.
func InsecureURL(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, "http") && !IsLoopback(u.Hostname())
}

// IsLoopback reports whether host (a name or an IP literal, without port)
// is "localhost" or a loopback address. Names other than localhost are not
// resolved: a resolver could point them anywhere.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// InsecureWarning is the warning lpdesk prints every time plain http to a
// non-loopback host is allowed. host is the server it applies to.
func InsecureWarning(host string) string {
	if host == "" {
		host = "the server"
	}
	return fmt.Sprintf("WARNING: --insecure-http: requests and the token exchange go over plain http to %s; "+
		"anyone on the network can read and replay them", host)
}
