package oauthsig

import "testing"

func TestIsForm(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/x-www-form-urlencoded":                true,
		"Application/X-WWW-Form-Urlencoded; charset=utf-8": true,
		"application/json":                                 false,
		"multipart/form-data; boundary=x":                  false,
		"":                                                 false,
		"application/x-www-form-urlencoded; =bad":          false,
	} {
		if got := IsForm(ct); got != want {
			t.Errorf("IsForm(%q) = %v", ct, got)
		}
	}
}
