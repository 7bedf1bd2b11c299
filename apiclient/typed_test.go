package apiclient

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

func TestEncodeTypedURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// The examples.
		{"chat/availability?skill=Sales and Support&NC=true", "chat/availability?skill=Sales%20and%20Support&NC=true"},
		{"chat/availability?skill=100%", "chat/availability?skill=100%25"},
		{"chat/availability?skill=Ventes été", "chat/availability?skill=Ventes%20%C3%A9t%C3%A9"},
		{"skills?name=[VIP] Sales", "skills?name=%5BVIP%5D%20Sales"},
		// Valid escapes are kept as typed, lower-case hex too.
		{"chat/availability?skill=Sales%20and%20Support", "chat/availability?skill=Sales%20and%20Support"},
		{"users/a%2Fb?x=%2f%2B", "users/a%2Fb?x=%2f%2B"},
		// '%' that does not start an escape.
		{"x?p=100%zz&q=%2&r=%", "x?p=100%25zz&q=%252&r=%25"},
		{"x?p=%%41", "x?p=%25%41"},
		// '+' is data: kept (the platform reads it as a space).
		{"chat/availability?skill=Sales+and+Support", "chat/availability?skill=Sales+and+Support"},
		{"x?tz=+02:00&c=C++", "x?tz=+02:00&c=C++"},
		// The path too.
		{"users/Jean Dupré/skills", "users/Jean%20Dupr%C3%A9/skills"},
		{"skills/[1]", "skills/%5B1%5D"},
		{"a:b@c/!$&'()*,;=", "a:b@c/!$&'()*,;="},
		// Characters RFC 3986 never allows.
		{"x?q=\"<>\\^`{|}", "x?q=%22%3C%3E%5C%5E%60%7B%7C%7D"},
		{"x?q=a\tb\nc\x7f", "x?q=a%09b%0Ac%7F"},
		{"x?q=😀", "x?q=%F0%9F%98%80"},
		// '?' after the first is data in the query; '#' starts the fragment,
		// and a second '#' is data there.
		{"x?a=b?c/d", "x?a=b?c/d"},
		{"x?a=1#frag ment#2", "x?a=1#frag%20ment%232"},
		{"x y#z", "x%20y#z"},
		// Absolute URLs: scheme and authority as given.
		{"http://[::1]:8080/x y?a=b c", "http://[::1]:8080/x%20y?a=b%20c"},
		{"HTTPS://Host.example/a b", "HTTPS://Host.example/a%20b"},
		{"https://host.example", "https://host.example"},
		{"https://host.example?q=a b", "https://host.example?q=a%20b"},
		// Nothing to do.
		{"", ""},
		{"skills", "skills"},
		{"agentSession/1/chat/2/events?from=3&v=1&NC=true", "agentSession/1/chat/2/events?from=3&v=1&NC=true"},
	} {
		if got := EncodeTypedURL(tc.in); got != tc.want {
			t.Errorf("EncodeTypedURL(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// What EncodeTypedURL returns parses as a URL and as a query, means what
// was typed, and comes back unchanged (an href is never re-encoded).
func FuzzEncodeTypedURL(f *testing.F) {
	for _, s := range []string{"chat/availability?skill=Sales and Support&NC=true", "x?p=100%", "a/[b]?c=été#d e",
		"http://127.0.0.1:1/a b?c=%zz", "%", "?#?#", "x?q=%2B+%20"} {
		f.Add(s, "Ventes été 100% [VIP]")
	}
	f.Fuzz(func(t *testing.T, typed, value string) {
		enc := EncodeTypedURL(typed)
		if again := EncodeTypedURL(enc); again != enc {
			t.Fatalf("not idempotent: %q → %q → %q", typed, enc, again)
		}
		if !strings.HasPrefix(strings.ToLower(typed), "http") {
			// Resolution joins the path under the base with one slash:
			// leading slashes typed are not an authority.
			if _, err := url.Parse("/" + strings.TrimLeft(enc, "/")); err != nil {
				t.Fatalf("%q → %q does not parse: %v", typed, enc, err)
			}
			_, q, _ := strings.Cut(enc, "?")
			q, _, _ = strings.Cut(q, "#")
			if _, err := oauthsig.ParseForm(q); err != nil {
				t.Fatalf("%q → query %q does not parse: %v", typed, q, err)
			}
		}
		// A value typed without the characters that have a meaning in a
		// query ('&', '=', '#', '+', a valid escape) reaches the server
		// as typed.
		if !utf8.ValidString(value) || strings.ContainsAny(value, "&=#+%") {
			return
		}
		enc = EncodeTypedURL("chat/availability?skill=" + value)
		_, q, _ := strings.Cut(enc, "?")
		ps, err := oauthsig.ParseForm(q)
		if value == "" {
			if err != nil || len(ps) != 1 || ps[0].Value != "" {
				t.Fatalf("empty value: %v %v", ps, err)
			}
			return
		}
		if err != nil || len(ps) != 1 || ps[0].Key != "skill" || ps[0].Value != value {
			t.Fatalf("skill=%q typed, server reads %v (%v) from %q", value, ps, err, enc)
		}
	})
}
