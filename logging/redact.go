package logging

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Redacted replaces every secret the package finds.
const Redacted = "REDACTED"

// MinSecretLen is the shortest string RegisterSecret accepts: a shorter one
// would blank out ordinary words all over the logs, and no credential lpdesk
// handles is that short.
const MinSecretLen = 6

// sensitiveWords are matched against a key with case, '-', '_', '.' and
// spaces ignored, so "oauth_token_secret", "TokenSecret" and
// "Proxy-Authorization" all hit. "token" alone is not here: oauth_token is
// the public half of the access token and worth seeing when debugging.
var sensitiveWords = []string{
	"authorization", "signature", "secret", "verifier", "password", "passwd",
	"cookie", "bearer", "appkey", "apikey", "credential",
}

// harmlessKeys contain a sensitive word but carry no secret.
var harmlessKeys = map[string]bool{
	"oauthsignaturemethod": true,
	"signaturemethod":      true,
}

// SensitiveKey reports whether an attribute key, header name or parameter
// name names a secret (see the package documentation for the list).
func SensitiveKey(key string) bool {
	// Every attribute of every log line comes here: a short key is
	// normalized on the stack, so the common case allocates nothing.
	var buf [64]byte
	var n []byte
	if len(key) <= len(buf) {
		n = appendNormalizedKey(buf[:0], key)
	} else {
		n = []byte(normalizeKey(key))
	}
	if len(n) == 0 || harmlessKeys[string(n)] {
		return false
	}
	for _, w := range sensitiveWords {
		if bytes.Contains(n, []byte(w)) {
			return true
		}
	}
	return false
}

// appendNormalizedKey appends normalizeKey(k) to dst.
func appendNormalizedKey(dst []byte, k string) []byte {
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c == '-' || c == '_' || c == '.' || c == ' ':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func normalizeKey(k string) string {
	var b strings.Builder
	b.Grow(len(k))
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c == '-' || c == '_' || c == '.' || c == ' ':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// triggers are the lower-case substrings without which no pattern below can
// match: a string containing none of them (and no registered secret) is
// returned without running a regular expression.
var triggers = []string{
	"oauth", "bearer", "liveperson", "authorization", "cookie",
	"secret", "password", "passwd", "verifier", "signature", "appkey", "apikey", "credential",
}

var (
	// "Authorization: Basic …", "Proxy-Authorization: Bearer …" written out
	// as a header line in free text: everything after the name goes.
	headerLineRE = regexp.MustCompile(`(?i)\b((?:proxy-)?authorization\s*:\s*)(?:oauth|bearer|basic|digest|liveperson|token)\b[^\r\n]*`)
	// Cookie and Set-Cookie header lines carry session credentials whole.
	cookieLineRE = regexp.MustCompile(`(?i)\b((?:set-)?cookie\s*:\s*)[^\r\n]+`)
	// An OAuth Authorization value: the scheme, then its parameters to the
	// end of the line.
	oauthHeaderRE = regexp.MustCompile(`(?i)\b(oauth\s+)(?:realm|oauth_[a-z_]+)\s*=[^\r\n]*`)
	// The platform's unsigned header value "LivePerson appKey=KEY".
	appKeyHeaderRE = regexp.MustCompile(`(?i)\b(liveperson\s+appkey\s*=\s*)"?[^\s,;"']+"?`)
	// "Bearer TOKEN"; see bearerLooksLikeToken for what counts as a token.
	bearerRE = regexp.MustCompile(`(?i)\b(bearer\s+)([A-Za-z0-9\-._~+/]+=*)`)
	// name=value (query strings, form bodies, %+v of structs) and
	// "name":"value" (JSON) where name contains a sensitive word: only the
	// value goes, the rest of the URL or text stays readable. A colon
	// followed by a space is prose ("bad signature: the base string …"),
	// not a pair, and is left alone.
	pairRE = regexp.MustCompile(`(?i)([A-Za-z0-9_.\-]*(?:secret|password|passwd|verifier|signature|appkey|apikey|credential|bearer)[A-Za-z0-9_.\-]*)(=|"\s*:\s*"?|:)("?)([^\s&"',;}\])<>]+)`)
)

// RedactString returns s with every secret the package recognizes replaced
// by Redacted: Authorization/Cookie header lines, OAuth, LivePerson appKey
// and Bearer credentials, name=value pairs (query strings, form bodies) and
// JSON "name":"value" pairs whose name is sensitive (oauth_signature,
// oauth_verifier, oauth_token_secret, appKey, password, …), and every
// registered secret, plain or percent-encoded. Use it for error strings and
// anything else that leaves the process.
func RedactString(s string) string {
	if s == "" {
		return s
	}
	if mayMatch(s) {
		s = headerLineRE.ReplaceAllString(s, "${1}"+Redacted)
		s = cookieLineRE.ReplaceAllString(s, "${1}"+Redacted)
		s = oauthHeaderRE.ReplaceAllString(s, "${1}"+Redacted)
		s = appKeyHeaderRE.ReplaceAllString(s, "${1}"+Redacted)
		s = replaceSubmatch(bearerRE, s, func(m []string) string {
			if !bearerLooksLikeToken(m[2]) {
				return m[0]
			}
			return m[1] + Redacted
		})
		s = replaceSubmatch(pairRE, s, func(m []string) string {
			if harmlessKeys[normalizeKey(m[1])] || m[4] == Redacted {
				return m[0]
			}
			return m[1] + m[2] + m[3] + Redacted
		})
	}
	return replaceSecrets(s)
}

// bearerLooksLikeToken keeps prose such as "Bearer realm" or "bearer token
// missing" readable: a real token is long or has digits or punctuation.
func bearerLooksLikeToken(w string) bool {
	if len(w) >= 16 {
		return true
	}
	if strings.EqualFold(w, Redacted) {
		return false
	}
	return strings.ContainsAny(w, "0123456789-._~+/=")
}

func mayMatch(s string) bool {
	lower := strings.ToLower(s)
	for _, t := range triggers {
		if strings.Contains(lower, t) {
			return true
		}
	}
	return false
}

// replaceSubmatch is ReplaceAllStringFunc with the submatches at hand.
func replaceSubmatch(re *regexp.Regexp, s string, f func(m []string) string) string {
	idx := re.FindAllStringSubmatchIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, loc := range idx {
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		b.WriteString(s[last:loc[0]])
		b.WriteString(f(m))
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// RedactURL renders a URL (absolute, relative or a bare query string) with
// sensitive query parameters' values and any userinfo password replaced.
func RedactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), Redacted)
			raw = u.String()
		}
	}
	return RedactString(raw)
}

// RedactHeader returns a copy of h in which sensitive headers
// (Authorization, Proxy-Authorization, Cookie, Set-Cookie, anything naming a
// secret, signature or key) have their values replaced, and every other
// value went through RedactString.
func RedactHeader(h http.Header) http.Header { return redactMultimap(h) }

// RedactValues is RedactHeader for query or form parameters.
func RedactValues(v url.Values) url.Values { return redactMultimap(v) }

// redactMultimap is RedactHeader for any map of names to values.
func redactMultimap[M ~map[string][]string](m M) M {
	if m == nil {
		return nil
	}
	out := make(M, len(m))
	for k, vs := range m {
		sensitive := SensitiveKey(k)
		cp := make([]string, len(vs))
		for i, v := range vs {
			if sensitive {
				cp[i] = Redacted
			} else {
				cp[i] = RedactString(v)
			}
		}
		out[k] = cp
	}
	return out
}

// The registry of known secret strings. Reads (every logged string) vastly
// outnumber writes (a few at start-up), so readers load an immutable slice.
var (
	secretsMu sync.Mutex
	secrets   atomic.Pointer[[]string] // longest first, so a secret containing another goes whole
)

// RegisterSecret makes every logger built by this package (and RedactString)
// replace s wherever it appears, also in its percent-encoded forms, for the
// rest of the process's life. Register the consumer secret and a loaded
// token secret as soon as they are read. Strings shorter than MinSecretLen
// are ignored. Safe for concurrent use.
func RegisterSecret(s string) {
	if len(s) < MinSecretLen {
		return
	}
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s), percentEncode(s)}
	secretsMu.Lock()
	defer secretsMu.Unlock()
	var cur []string
	if p := secrets.Load(); p != nil {
		cur = *p
	}
	next := append([]string(nil), cur...)
	for _, f := range forms {
		dup := false
		for _, have := range next {
			if have == f {
				dup = true
				break
			}
		}
		if !dup {
			next = append(next, f)
		}
	}
	sort.SliceStable(next, func(i, j int) bool { return len(next[i]) > len(next[j]) })
	secrets.Store(&next)
}

func replaceSecrets(s string) string {
	p := secrets.Load()
	if p == nil {
		return s
	}
	for _, sec := range *p {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	return s
}

// percentEncode is RFC 3986 encoding as OAuth 1.0a uses it (unreserved
// characters kept, everything else %XX), the form a secret takes inside a
// signature base string or a signed query.
func percentEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
