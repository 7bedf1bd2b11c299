package apiclient

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// ErrVersionConflict is returned, before anything is sent, when a request
// carries a v parameter other than 1.
var ErrVersionConflict = errors.New("the platform only serves v=1")

// encParam is a query or form parameter in its RFC 5849 §3.4.1.3.2 form:
// decoded as a form, then percent-encoded. The signature base string sorts
// and joins parameters in this form, and since it leaves unreserved
// characters as they are, a name is compared in it as well as decoded
// ("v", "oauth_…").
type encParam struct{ k, v string }

// parsedQuery is a request's query as prepare read it: the raw query and
// its parameters, so that the signer need not read it again.
type parsedQuery struct {
	raw    string
	params []encParam
}

// readQuery reads a request's query once, for every rule that looks into
// it: v must be 1 and is added when missing (version), and with auth
// oauth the oauth_* names belong to the signature. It returns the query to
// send and its parameters.
func readQuery(raw string, a Auth) (parsedQuery, error) {
	return readQueryAs(raw, a, DialectLivePerson)
}

// readQueryAs is readQuery for a dialect: only the LivePerson-style
// platform's query gets the version rule.
func readQueryAs(raw string, a Auth, d Dialect) (parsedQuery, error) {
	ps, err := appendQueryParams(make([]encParam, 0, strings.Count(raw, "&")+2), raw, "")
	if err != nil {
		return parsedQuery{}, fmt.Errorf("apiclient: query: %w", err)
	}
	if a == AuthOAuth {
		for _, p := range ps {
			if strings.HasPrefix(p.k, "oauth_") {
				return parsedQuery{}, fmt.Errorf("apiclient: query parameter %q is reserved for the signature", p.k)
			}
		}
	}
	q := parsedQuery{raw: raw, params: ps}
	if d == DialectGeneric {
		return q, nil
	}
	return q, q.version()
}

// version is the platform's version rule, in one place for the request and
// its redirects: the legacy REST API serves v=1 and nothing else, and a
// request without v is refused, so a v other than 1 is an error and a
// missing one is added.
func (q *parsedQuery) version() error {
	hasV := false
	for _, p := range q.params {
		if p.k == "v" {
			if p.v != "1" {
				return fmt.Errorf("apiclient: query has v=%q: %w", p.v, ErrVersionConflict)
			}
			hasV = true
		}
	}
	if hasV {
		return nil
	}
	q.raw = appendRaw(q.raw, "v", "1")
	q.params = append(q.params, encParam{"v", "1"})
	return nil
}

// appendQueryParams appends the pairs of a raw query to dst in encParam
// form, leaving out empty pairs and any named skip.
func appendQueryParams(dst []encParam, raw, skip string) ([]encParam, error) {
	for rest := raw; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		ek, ok1 := reencode(k)
		ev, ok2 := reencode(v)
		if !ok1 || !ok2 {
			// A malformed escape: let the reference parser word the error.
			_, err := oauthsig.ParseForm(raw)
			if err == nil {
				err = fmt.Errorf("malformed escape in %q", pair)
			}
			return nil, err
		}
		if ek != skip || skip == "" {
			dst = append(dst, encParam{ek, ev})
		}
	}
	return dst, nil
}

// reencode turns one raw query component into its RFC 5849 encoding (decode
// as a query component, then percent-encode) in one pass; a component that
// is already in that form is returned as it is, without allocating. ok is
// false for a malformed escape.
func reencode(raw string) (string, bool) {
	clean := true
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '%' {
			if i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2]) {
				return "", false
			}
			if d := unhex(raw[i+1])<<4 | unhex(raw[i+2]); unreservedByte[d] || raw[i+1] >= 'a' || raw[i+2] >= 'a' {
				clean = false // an escaped unreserved byte, or lower-case hex
			}
			i += 2
			continue
		}
		if !unreservedByte[c] {
			clean = false
		}
	}
	if clean {
		return raw, true
	}
	out := make([]byte, 0, len(raw)+len(raw)/2)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '+':
			out = append(out, "%20"...)
		case '%':
			out = appendEncodedByte(out, unhex(raw[i+1])<<4|unhex(raw[i+2]))
			i += 2
		default:
			out = appendEncodedByte(out, c)
		}
	}
	return string(out), true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
