package ui

import "testing"

func TestMaskToken(t *testing.T) {
	for in, want := range map[string]string{
		"abcdef0123456789wxyz": "abcd…wxyz",
		"short":                "sh…",
		"":                     "(none)",
	} {
		if got := maskToken(in); got != want {
			t.Errorf("maskToken(%q) = %q, want %q", in, got, want)
		}
	}
}
