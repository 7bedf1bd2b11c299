package store

// MaskToken is how lpdesk shows an access token's public half (the CLI's
// status, the window's settings): its first and last four characters,
// enough to tell tokens apart and to find one in the admin console, while
// a screenshot or a shared terminal does not carry the whole. A token too
// short for that to hide most of it is not shown at all.
func MaskToken(t string) string {
	r := []rune(t)
	switch {
	case len(r) == 0:
		return "(none)"
	case len(r) < 12:
		return "…"
	}
	return string(r[:4]) + "…" + string(r[len(r)-4:])
}
