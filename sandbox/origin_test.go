package sandbox

import (
	"net"
	"net/url"
	"strings"
	"testing"
)

func TestJudgeHost(t *testing.T) {
	sandboxLan, _ := parseAllowedHost("Sandbox.LAN")
	pinned, _ := parseAllowedHost("pinned.lan:8088")
	v6, _ := parseAllowedHost("fd00::7")
	allowed := []allowedHost{sandboxLan, pinned, v6}
	for _, c := range []struct {
		host, local string
		ours        bool
	}{
		{"127.0.0.1:8088", "", true},
		{"127.0.0.1", "", true},
		{"127.9.9.9:1", "", true},
		{"localhost:8088", "", true},
		{"LocalHost", "", true},
		{"[::1]:8088", "", true},
		{"[::1]", "", true},
		{"[::ffff:127.0.0.1]:8088", "", true},
		{"10.0.0.5:8088", "10.0.0.5:8088", true}, // the address the connection arrived on
		{"10.0.0.5:9000", "10.0.0.5:8088", true}, // forwarded port: still that address
		{"sandbox.lan:8088", "", true},
		{"SANDBOX.lan", "", true},
		{"pinned.lan:8088", "", true},
		{"[fd00::7]:1", "", true},

		{"evil.example:8088", "127.0.0.1:8088", false}, // DNS rebinding
		{"evil.example", "", false},
		{"localhost.evil.example", "", false},
		{"127.0.0.1.nip.io:8088", "", false},
		{"localhost.:8088", "", false},
		{"pinned.lan:9000", "", false}, // the port was pinned
		{"sandbox.lan.evil.example", "", false},
		{"10.0.0.5:8088", "127.0.0.1:8088", false},
		{"0.0.0.0:8088", "127.0.0.1:8088", false},
		{"", "", false},
		{"::1", "", false},
		{"[::1", "", false},
		{"[::1]x", "", false},
		{"[127.0.0.1]", "", false},
		{"[fe80::1%25eth0]:80", "", false},
		{"127.0.0.1:80:80", "", false},
		{"127.0.0.1:8o", "", false},
		{"127.0.0.1:123456", "", false},
		{"127.1:8088", "", false}, // not a canonical address: a name, and not ours
		{"user@127.0.0.1:8088", "", false},
		{"local host", "", false},
	} {
		v := judge(gateInput{Host: c.host, Local: c.local, Scheme: "http", Allowed: allowed})
		if v.Misdirected == c.ours {
			t.Errorf("Host %q (local %q): misdirected=%v, want %v", c.host, c.local, v.Misdirected, !c.ours)
		}
	}
}

func TestJudgeBrowserAndCrossSite(t *testing.T) {
	const host = "127.0.0.1:8088"
	for _, c := range []struct {
		name       string
		in         gateInput
		browser    bool
		cross      bool
		crossNames string // in the reason
	}{
		{name: "script: no signs", in: gateInput{}},
		{name: "same Origin", in: gateInput{Origin: "http://127.0.0.1:8088"}, browser: true},
		{name: "same Origin, other case", in: gateInput{Origin: "HTTP://127.0.0.1:8088"}, browser: true},
		{name: "foreign Origin", in: gateInput{Origin: "http://evil.example"}, browser: true, cross: true, crossNames: "evil.example"},
		{name: "other port", in: gateInput{Origin: "http://127.0.0.1:9999"}, browser: true, cross: true},
		{name: "other scheme", in: gateInput{Origin: "https://127.0.0.1:8088"}, browser: true, cross: true},
		{name: "opaque Origin", in: gateInput{Origin: "null"}, browser: true, cross: true},
		{name: "opaque Origin from another site", in: gateInput{Origin: "null", SecFetchSite: "cross-site", SecFetch: true}, browser: true, cross: true},
		{name: "Origin hidden by a no-referrer policy, same-origin", in: gateInput{Origin: "null", SecFetchSite: "same-origin", SecFetch: true}, browser: true},
		{name: "Sec-Fetch-Site cross-site", in: gateInput{SecFetchSite: "cross-site", SecFetch: true}, browser: true, cross: true, crossNames: "cross-site"},
		{name: "Sec-Fetch-Site same-site", in: gateInput{SecFetchSite: "same-site", SecFetch: true}, browser: true, cross: true},
		{name: "Sec-Fetch-Site unknown", in: gateInput{SecFetchSite: "elsewhere", SecFetch: true}, browser: true, cross: true},
		{name: "Sec-Fetch-Site same-origin", in: gateInput{SecFetchSite: "same-origin", SecFetch: true}, browser: true},
		{name: "Sec-Fetch-Site none (typed by the user)", in: gateInput{SecFetchSite: "none", SecFetch: true}, browser: true},
		{name: "Sec-Fetch-Mode only", in: gateInput{SecFetch: true}, browser: true},
		{name: "cookie only", in: gateInput{Cookie: true}, browser: true},
		{name: "same Referer", in: gateInput{Referer: "http://127.0.0.1:8088/console?x=1"}, browser: true},
		{name: "foreign Referer", in: gateInput{Referer: "http://evil.example/page"}, browser: true, cross: true, crossNames: "evil.example"},
		{name: "Referer on another port", in: gateInput{Referer: "http://127.0.0.1:8089/"}, browser: true, cross: true},
		{name: "relative Referer", in: gateInput{Referer: "/console"}, browser: true, cross: true},
		{name: "same Origin, foreign Sec-Fetch-Site", in: gateInput{Origin: "http://127.0.0.1:8088", SecFetchSite: "cross-site", SecFetch: true}, browser: true, cross: true},
	} {
		c.in.Host, c.in.Scheme = host, "http"
		v := judge(c.in)
		if v.Misdirected {
			t.Fatalf("%s: misdirected", c.name)
		}
		if v.Browser != c.browser || (v.CrossSite != "") != c.cross || !strings.Contains(v.CrossSite, c.crossNames) {
			t.Errorf("%s: browser=%v crossSite=%q, want browser=%v cross=%v naming %q", c.name, v.Browser, v.CrossSite, c.browser, c.cross, c.crossNames)
		}
	}
}

func TestParseAllowedHost(t *testing.T) {
	for in, want := range map[string]string{
		"sandbox.lan": "sandbox.lan", "Sandbox.LAN:8088": "sandbox.lan:8088", "10.0.0.5": "10.0.0.5",
		"fd00::7": "[fd00::7]", "[FD00::7]:80": "[fd00::7]:80", " box ": "box",
	} {
		h, err := parseAllowedHost(in)
		if err != nil || h.String() != want {
			t.Errorf("%q: %v %v, want %s", in, h, err, want)
		}
	}
	for _, bad := range []string{"", "*", "*.lan", "http://box", "box/x", "box:port", "a@b", "box:1:2", "[::1"} {
		if h, err := parseAllowedHost(bad); err == nil {
			t.Errorf("%q accepted as %v", bad, h)
		}
	}
	if _, err := New(Config{AllowedHosts: []string{"http://box/"}}); err == nil {
		t.Error("New accepted an allowed host that is a URL")
	}
}

// FuzzGate checks the gate's promises over arbitrary headers: it never
// panics; a Host passes only when it names localhost, a loopback address,
// the local address or an allowed name (read by an independent parser);
// every sign of a browser makes the request a browser's; a foreign Origin
// (but "null" with Sec-Fetch-Site: same-origin) or a cross-site or
// same-site Sec-Fetch-Site is always refused; a sign of another site added
// to any request makes it refused; and ASCII case does not matter in names.
func FuzzGate(f *testing.F) {
	f.Add("127.0.0.1:8088", "127.0.0.1:8088", "", false, "", "", "", false, false)
	f.Add("evil.example:8088", "127.0.0.1:8088", "", false, "http://evil.example:8088", "", "same-origin", true, false)
	f.Add("box.lan:8088", "10.0.0.5:8088", "box.lan", false, "http://box.lan:8088", "http://box.lan:8088/console", "same-origin", true, true)
	f.Add("[::1]:8088", "[::1]:8088", "", true, "https://[::1]:8088", "", "none", true, true)
	f.Add("LOCALHOST", "", "pinned.lan:1", false, "null", "http://evil/", "cross-site", false, true)
	f.Add("10.0.0.5:1", "10.0.0.5:8088", "fd00::7,[fd00::8]:9", false, "", "", "same-site", true, false)
	f.Fuzz(func(t *testing.T, host, local, allowedList string, https bool, origin, referer, site string, secFetch, cookie bool) {
		var allowed []allowedHost
		var allowedNames []string
		for _, a := range strings.Split(allowedList, ",") {
			if h, err := parseAllowedHost(a); err == nil {
				allowed = append(allowed, h)
				allowedNames = append(allowedNames, strings.TrimSpace(a))
			}
		}
		scheme := "http"
		if https {
			scheme = "https"
		}
		in := gateInput{Host: host, Local: local, Scheme: scheme, Origin: origin, Referer: referer,
			SecFetchSite: site, SecFetch: secFetch, Cookie: cookie, Allowed: allowed}
		v := judge(in)

		if !v.Misdirected && !oracleOurs(host, local, allowedNames) {
			t.Fatalf("Host %q (local %q, allowed %q) passed the gate", host, local, allowedList)
		}
		if upper := judge(withHost(in, asciiUpper(host))); upper.Misdirected != v.Misdirected {
			t.Fatalf("Host %q and %q judged differently", host, asciiUpper(host))
		}
		signs := origin != "" || referer != "" || site != "" || secFetch || cookie
		if v.Browser != signs {
			t.Fatalf("browser=%v for signs=%v (%+v)", v.Browser, signs, in)
		}
		if v.Misdirected {
			return
		}
		hidden := origin == "null" && strings.EqualFold(site, "same-origin")
		if origin != "" && !hidden && !strings.EqualFold(origin, scheme+"://"+host) && v.CrossSite == "" {
			t.Fatalf("Origin %q accepted for %s://%s", origin, scheme, host)
		}
		if s := strings.ToLower(site); (s == "cross-site" || s == "same-site") && v.CrossSite == "" {
			t.Fatalf("Sec-Fetch-Site %q accepted", site)
		}
		for _, add := range []func(gateInput) gateInput{
			func(in gateInput) gateInput { in.Origin = in.Scheme + "://" + in.Host + ".evil.example"; return in },
			func(in gateInput) gateInput { in.Origin, in.SecFetchSite = "null", ""; return in },
			func(in gateInput) gateInput { in.SecFetchSite, in.SecFetch = "cross-site", true; return in },
		} {
			if w := judge(add(in)); w.CrossSite == "" || !w.Browser {
				t.Fatalf("a sign of another site did not refuse %+v: %+v", add(in), w)
			}
		}
	})
}

func withHost(in gateInput, host string) gateInput { in.Host = host; return in }

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// oracleOurs is the host rule written another way, with net/url's parser:
// localhost, a loopback IP, the local address's IP, or an allowed name.
func oracleOurs(host, local string, allowed []string) bool {
	u, err := url.Parse("http://" + host + "/")
	if err != nil || u.Host != host || u.User != nil {
		return false
	}
	name := strings.ToLower(u.Hostname())
	if name == "localhost" {
		return true
	}
	if ip := net.ParseIP(name); ip != nil {
		if ip.IsLoopback() {
			return true
		}
		if lh, _, err := net.SplitHostPort(local); err == nil {
			if lip := net.ParseIP(lh); lip != nil && lip.Equal(ip) {
				return true
			}
		}
	}
	for _, a := range allowed {
		an, ap := a, ""
		if h, p, err := net.SplitHostPort(a); err == nil {
			an, ap = h, p
		}
		if aip, hip := net.ParseIP(an), net.ParseIP(name); aip != nil && hip != nil && aip.Equal(hip) ||
			strings.EqualFold(an, name) {
			if ap == "" || ap == u.Port() {
				return true
			}
		}
	}
	return false
}

// TestAllowedHostsServed: names given for a deliberate deployment, and the
// discovery target's host, are served; others still get 421.
func TestAllowedHostsServed(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.AllowedHosts = []string{"sandbox.test", "pinned.test:1"}
		c.DiscoveryTarget = "http://accounts.test:2/api/account/12345678"
	})
	_, port, _ := net.SplitHostPort(e.ts.Listener.Addr().String())
	for host, want := range map[string]int{
		"sandbox.test:" + port: 200, "sandbox.test": 200, "pinned.test:1": 200, "accounts.test:2": 200,
		"pinned.test:" + port: 421, "accounts.test:" + port: 421, "other.test:" + port: 421,
	} {
		req := e.newReq(call{path: "/console"})
		req.Host = host
		resp, body := e.send(req)
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d: %s", host, resp.StatusCode, want, body)
		}
	}
	if b := e.srv.Banner(e.ts.URL); !strings.Contains(b, "sandbox.test, pinned.test:1, accounts.test:2") {
		t.Errorf("banner does not list the names served:\n%s", b)
	}
}
