package store

import "testing"

func TestMaskToken(t *testing.T) {
	for in, want := range map[string]string{
		"abcdef0123456789wxyz": "abcd…wxyz",
		"ab日本cdef56789wxyz":    "ab日本…wxyz",
		"123456789012":         "1234…9012",
		"12345678901":          "…",
		"short":                "…",
		"":                     "(none)",
	} {
		if got := MaskToken(in); got != want {
			t.Errorf("MaskToken(%q) = %q, want %q", in, got, want)
		}
	}
}
