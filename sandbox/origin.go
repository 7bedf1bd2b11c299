package sandbox

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The gate decides two things from headers alone, before any handler runs.
//
// Which requests the sandbox answers at all: only those addressed to one of
// its own names. A web page whose name its owner re-points at 127.0.0.1 (DNS
// rebinding) reaches the sandbox from the admin's browser as a same-origin
// page; its requests still carry the page's name in Host, and are refused.
//
// Which state-changing requests came from the console itself: a request
// that shows any sign of a browser is judged by where the browser says it
// comes from, and needs a session and its CSRF token; HTTP Basic alone is
// for scripts, which send none of those signs.

// gateInput is what the gate reads from a request and the configuration.
type gateInput struct {
	Host   string // the Host header as received (r.Host)
	Local  string // address the connection arrived on (host:port); "" when unknown
	Scheme string // "http" or "https": the scheme the client addressed

	Origin       string
	Referer      string
	SecFetchSite string
	SecFetch     bool // any Sec-Fetch-* header, Sec-Fetch-Site included
	Cookie       bool // any Cookie header

	// Allowed are further names (lower case, from allowedHost) the operator
	// gave for a deliberate non-loopback deployment.
	Allowed []allowedHost
}

// gateVerdict is the gate's decision.
type gateVerdict struct {
	// Misdirected: Host is not one of the sandbox's names. Every route
	// answers 421 and does nothing else.
	Misdirected bool
	// Browser: the request shows a sign of a browser (Origin, Referer, a
	// Sec-Fetch-* header or a cookie), so HTTP Basic alone does not
	// authenticate a state-changing request and no Basic challenge is sent.
	Browser bool
	// CrossSite, when not empty, says why a state-changing request is taken
	// as sent on another site's behalf (answered 403).
	CrossSite string
}

// allowedHost is one name a sandbox answers to besides its loopback names:
// a host name or IP address (lower case, IPv6 without brackets), and a port
// that must match when not empty.
type allowedHost struct{ name, port string }

func (h allowedHost) String() string {
	name := h.name
	if strings.Contains(name, ":") {
		name = "[" + name + "]"
	}
	if h.port != "" {
		return name + ":" + h.port
	}
	return name
}

// parseAllowedHost reads NAME, NAME:PORT, IPv4[:PORT], [IPv6][:PORT] or a
// bare IPv6 address.
func parseAllowedHost(s string) (allowedHost, error) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return allowedHost{name: a.Unmap().String()}, nil
	}
	name, port, ok := splitHost(s)
	if !ok || strings.ContainsAny(name, "*/@?#") {
		return allowedHost{}, fmt.Errorf("allowed host %q is not a host name or address with an optional :port", s)
	}
	return allowedHost{name: name, port: port}, nil
}

// splitHost splits a Host header into its name (lower case, IPv6 without
// brackets) and port. ok is false for anything that is not one name or
// address with an optional decimal port.
func splitHost(host string) (name, port string, ok bool) {
	if host == "" {
		return "", "", false
	}
	if rest, isV6 := strings.CutPrefix(host, "["); isV6 {
		addr, after, closed := strings.Cut(rest, "]")
		if !closed {
			return "", "", false
		}
		a, err := netip.ParseAddr(addr)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return "", "", false
		}
		name = a.Unmap().String()
		if after != "" {
			if port, ok = strings.CutPrefix(after, ":"); !ok {
				return "", "", false
			}
		}
	} else {
		name, port, _ = strings.Cut(host, ":")
		if strings.Contains(port, ":") || name == "" {
			return "", "", false
		}
		for _, c := range []byte(name) {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
				return "", "", false
			}
		}
		if a, err := netip.ParseAddr(name); err == nil {
			name = a.Unmap().String()
		}
		name = strings.ToLower(name)
	}
	if len(port) > 5 || strings.Trim(port, "0123456789") != "" {
		return "", "", false
	}
	return name, port, true
}

// hostIsOurs reports whether Host names the sandbox: "localhost", a loopback
// address, the address the connection arrived on, or an allowed name.
func hostIsOurs(in gateInput) bool {
	name, port, ok := splitHost(in.Host)
	if !ok {
		return false
	}
	if name == "localhost" {
		return true
	}
	if a, err := netip.ParseAddr(name); err == nil {
		if a.IsLoopback() {
			return true
		}
		// An address is no DNS name: a page cannot be served from it but
		// by whatever listens there, so the address we were reached on is
		// ours whatever interface it is.
		if local, err := netip.ParseAddrPort(in.Local); err == nil && local.Addr().Unmap() == a {
			return true
		}
	}
	for _, h := range in.Allowed {
		if h.name == name && (h.port == "" || h.port == port) {
			return true
		}
	}
	return false
}

// judge is the gate: a pure function of the request's headers.
func judge(in gateInput) gateVerdict {
	v := gateVerdict{
		Misdirected: !hostIsOurs(in),
		Browser:     in.Origin != "" || in.Referer != "" || in.SecFetch || in.SecFetchSite != "" || in.Cookie,
	}
	// Host may be trusted now: Misdirected requests go no further. A
	// browser sends Origin and Referer in the form scheme://host[:port],
	// lower case, default port left out, as it sends Host.
	self := in.Scheme + "://" + in.Host
	site := strings.ToLower(in.SecFetchSite)
	// A browser hides a same-origin POST's origin as "null" when a referrer
	// policy says no-referrer; Sec-Fetch-Site, which no page can set, then
	// still tells where it came from. Without it, "null" is a sandboxed
	// frame's, a data: URL's or a redirect's: refused.
	hidden := in.Origin == "null" && site == "same-origin"
	switch {
	case in.Origin != "" && !hidden && !strings.EqualFold(in.Origin, self):
		v.CrossSite = fmt.Sprintf("the request comes from %s, not from this console (%s)", quoteHeader(in.Origin), self)
	case site != "" && site != "same-origin" && site != "none":
		// same-site is refused too: another port of localhost is another
		// site's page for us.
		v.CrossSite = fmt.Sprintf("the browser says the request comes from another site (Sec-Fetch-Site: %s)", quoteHeader(in.SecFetchSite))
	case in.Referer != "" && !sameOrigin(in.Referer, self):
		v.CrossSite = fmt.Sprintf("the request was sent from a page of another origin (Referer %s)", quoteHeader(in.Referer))
	}
	return v
}

// sameOrigin reports whether URL ref is on origin self (scheme://host).
func sameOrigin(ref, self string) bool {
	u, err := url.Parse(ref)
	return err == nil && u.Scheme != "" && u.Opaque == "" && strings.EqualFold(u.Scheme+"://"+u.Host, self)
}

// quoteHeader shows a header value in a message: quoted, control
// characters escaped, cut short.
func quoteHeader(v string) string {
	if len(v) > 120 {
		v = v[:120] + "…"
	}
	return fmt.Sprintf("%q", v)
}

// gateOf gathers r's gate input.
func (s *Server) gateOf(r *http.Request) gateInput {
	in := gateInput{
		Host:         r.Host,
		Scheme:       "http",
		Origin:       r.Header.Get("Origin"),
		Referer:      r.Header.Get("Referer"),
		SecFetchSite: r.Header.Get("Sec-Fetch-Site"),
		Cookie:       len(r.Header.Values("Cookie")) > 0,
		Allowed:      s.allowedHosts,
	}
	if strings.HasPrefix(requestBase(r), "https:") {
		in.Scheme = "https"
	}
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		in.Local = a.String()
	}
	for k := range r.Header {
		if strings.HasPrefix(k, "Sec-Fetch-") {
			in.SecFetch = true
		}
	}
	return in
}

// misdirected answers a request whose Host is not one of ours: 421, in the
// platform's error format on the API and OAuth routes and as plain text on
// the console's, and nothing else happens.
func (s *Server) misdirected(w *recorder, r *http.Request) {
	msg := fmt.Sprintf("Host %s is not one of this sandbox's names", quoteHeader(r.Host))
	why := "it answers to localhost, 127.0.0.1 (any 127.x address), [::1] and the address it listens on; " +
		"to serve another name on purpose, start it with --allow-host NAME (this refusal defends against DNS rebinding)"
	p := r.URL.Path
	if p == "/" || p == "/console" || strings.HasPrefix(p, "/console/") {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		writeText(w, http.StatusMisdirectedRequest, msg+": "+why+".\n")
		return
	}
	f, ok := acceptFormat(r.Header.Get("Accept"))
	if !ok {
		f = wire.JSON
	}
	s.writeError(w, f, errorf(http.StatusMisdirectedRequest, wire.CodeMisdirected, "%s", msg).why(why))
}
