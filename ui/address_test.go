package ui

import "testing"

func TestRelativeAddress(t *testing.T) {
	base := "http://h/api/account/1"
	for href, want := range map[string]string{
		"http://h/api/account/1":                    "",
		"http://h/api/account/1/skills?v=1":         "skills",
		"http://h/api/account/1/chat/x?from=2&v=1":  "chat/x?from=2",
		"http://h/api/account/12/skills":            "http://h/api/account/12/skills",
		"http://other/api/account/1/skills":         "http://other/api/account/1/skills",
		"http://h/api/account/1/events?v=1&from=20": "events?from=20",
		// The server's order and escapes are kept: the link is sent as written.
		"http://h/api/account/1/chat/availability?v=1&skill=Sales%20and%20Support&NC=true": "chat/availability?skill=Sales%20and%20Support&NC=true",
		"http://h/api/account/1/a?z=1&b=2&z=0":                                             "a?z=1&b=2&z=0",
	} {
		if got := relativeAddress(base, href, false); got != want {
			t.Errorf("relativeAddress(%q) = %q, want %q", href, got, want)
		}
	}
}

// Another provider's v is a parameter of its own, kept where it stands.
func TestRelativeAddressKeepsVersionForOtherProviders(t *testing.T) {
	base := "https://api.example.com/2"
	for href, want := range map[string]string{
		"https://api.example.com/2/items?v=3&page=2": "items?v=3&page=2",
		"https://api.example.com/2/items?page=2&v":   "items?page=2&v",
	} {
		if got := relativeAddress(base, href, true); got != want {
			t.Errorf("relativeAddress(%q) = %q, want %q", href, got, want)
		}
	}
}

func TestAddressPath(t *testing.T) {
	for addr, want := range map[string]string{
		"skills/1?fields=name": "skills/1",
		"skills":               "skills",
		"":                     "",
	} {
		if got := addressPath(addr); got != want {
			t.Errorf("addressPath(%q) = %q, want %q", addr, got, want)
		}
	}
}
