package apiclient

import "strings"

// EncodeTypedURL turns a path or URL as a person typed it (`lpdesk api`,
// the window's address bar) into the form RFC 3986 allows on the wire, as
// the platform asks: "special characters such as spaces, percent signs and
// non-ASCII characters are encoded as octets according to UTF-8 and then
// percent-encoded". Call it on typed input only, before Client.Do: links
// from responses are sent exactly as the server wrote them.
//
// In the path, query and fragment, every byte that RFC 3986 does not allow
// there becomes %XX (upper-case hex): spaces, '"', '<', '>', '\', '^', '`',
// '{', '|', '}', '[' and ']', control bytes, a '%' that does not start a
// valid escape, and every byte of a non-ASCII character's UTF-8 encoding.
// What RFC 3986 allows is kept as typed: a valid escape (%20, %2F, even
// lower-case %2f), the separators '/', '?', '&', '=', and '+'. The first
// '?' starts the query and the first '#' the fragment (which is not sent).
// Of an absolute http(s) URL, the scheme and authority are kept as they
// are (an IPv6 literal's brackets belong there).
//
// A '+' in a query is kept, so the platform reads it as a space, as
// browsers, curl and gh api leave it and as the OAuth 1.0a base string
// (RFC 5849 §3.4.1.3.1) decodes it; type %2B for a plus sign. Keeping it
// makes the function idempotent: a URL it returned, or any valid URL such as
// a link's href, comes back unchanged, so re-sending an address never
// changes what it means.
func EncodeTypedURL(s string) string {
	head, rest := "", s
	if lower := strings.ToLower(s); strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		i := strings.Index(s, "://") + len("://")
		end := strings.IndexAny(s[i:], "/?#")
		if end < 0 {
			return s
		}
		head, rest = s[:i+end], s[i+end:]
	}
	var b []byte // nil until a byte must be encoded: most input is returned as it is
	part := inPath
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		encode := false
		switch {
		case c == '?' && part == inPath:
			part = inQuery
		case c == '#' && part != inFragment:
			part = inFragment
		case c == '%':
			encode = !validEscapeAt(rest, i)
		default:
			encode = !allowedIn(c, part)
		}
		if encode && b == nil {
			b = make([]byte, 0, len(s)+len(rest)/2)
			b = append(append(b, head...), rest[:i]...)
		}
		switch {
		case encode:
			b = appendEncodedByte(b, c)
		case b != nil:
			b = append(b, c)
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

// uriPart is where EncodeTypedURL is in the URL: each part allows its own
// characters.
type uriPart int

const (
	inPath uriPart = iota
	inQuery
	inFragment
)

// allowedIn reports whether c may stand unescaped in part: pchar (RFC 3986
// §3.3) and '/', plus '?' in the query and the fragment (§3.4, §3.5).
func allowedIn(c byte, part uriPart) bool {
	switch {
	case unreservedByte[c]:
		return true
	case strings.IndexByte("!$&'()*+,;=:@/", c) >= 0: // sub-delims, ':', '@', '/'
		return true
	case c == '?':
		return part != inPath // in the path a '?' starts the query instead
	}
	return false
}

func validEscapeAt(s string, i int) bool {
	return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
}
