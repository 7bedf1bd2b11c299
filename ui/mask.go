package ui

// maskToken shows enough of a token to recognise it: abcd…wxyz.
func maskToken(t string) string {
	r := []rune(t)
	switch {
	case len(r) == 0:
		return "(none)"
	case len(r) <= 8:
		return string(r[:min(2, len(r))]) + "…"
	}
	return string(r[:4]) + "…" + string(r[len(r)-4:])
}
