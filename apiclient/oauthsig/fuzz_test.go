package oauthsig

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Fuzz targets for the signing primitives. Seeds live in
// testdata/fuzz/<target>/; `go test` runs them as unit tests and
// scripts/fuzz.sh runs the fuzzer briefly.

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

// FuzzPercentEncode: the output holds only unreserved characters and %XX
// with upper-case hex, and decodes back to the input byte for byte.
func FuzzPercentEncode(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		enc := PercentEncode(s)
		for i := 0; i < len(enc); i++ {
			c := enc[i]
			if c == '%' {
				if i+2 >= len(enc) || !isUpperHex(enc[i+1]) || !isUpperHex(enc[i+2]) {
					t.Fatalf("PercentEncode(%q) = %q: bad escape at %d", s, enc, i)
				}
				i += 2
				continue
			}
			if !isUnreserved(c) {
				t.Fatalf("PercentEncode(%q) = %q: %q left unescaped", s, enc, c)
			}
		}
		dec, err := url.PathUnescape(enc)
		if err != nil || dec != s {
			t.Fatalf("PercentEncode(%q) = %q decodes to %q, %v", s, enc, dec, err)
		}
		// Nothing unreserved is escaped: the encoding is the canonical one.
		if len(enc) != len(s)+2*countReserved(s) {
			t.Fatalf("PercentEncode(%q) = %q is not minimal", s, enc)
		}
	})
}

func countReserved(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) {
			n++
		}
	}
	return n
}

// encodeForm renders params the way a client puts them on the wire.
func encodeForm(ps []Param) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = PercentEncode(p.Key) + "=" + PercentEncode(p.Value)
	}
	return strings.Join(parts, "&")
}

// FuzzParseForm: ParseForm never panics, and parameters encoded with
// PercentEncode parse back exactly, repeated keys and order included.
func FuzzParseForm(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string) {
		ps, err := ParseForm(raw)
		if err != nil {
			return
		}
		again, err := ParseForm(encodeForm(ps))
		if err != nil || !slices.Equal(again, ps) {
			t.Fatalf("ParseForm(%q) = %q; re-encoded it parses to %q, %v", raw, ps, again, err)
		}
	})
}

// FuzzBaseString: BaseString never panics, is deterministic, does not
// depend on the order of the parameters, has the RFC 5849 §3.4.1.1 shape
// (METHOD&enc(base URI)&enc(params)), and the signature over it changes
// when any parameter's value does.
func FuzzBaseString(f *testing.F) {
	f.Fuzz(func(t *testing.T, method, rawURL, form, protocol, secret string) {
		u, err := url.Parse(rawURL)
		if err != nil {
			return
		}
		fp, err1 := ParseForm(form)
		pp, err2 := ParseForm(protocol)
		if err1 != nil || err2 != nil {
			return
		}
		method = strings.Map(func(r rune) rune {
			if r == '&' {
				return -1
			}
			return r
		}, method)
		base, err := BaseString(method, u, fp, pp)
		if err != nil {
			if _, qerr := ParseForm(u.RawQuery); qerr == nil {
				t.Fatalf("BaseString failed on a parsable query: %v", err)
			}
			return
		}
		again, _ := BaseString(method, u, fp, pp)
		if again != base {
			t.Fatalf("not deterministic:\n%s\n%s", base, again)
		}
		rev, _ := BaseString(method, u, reversed(fp), reversed(pp))
		if rev != base {
			t.Fatalf("depends on parameter order:\n%s\n%s", base, rev)
		}
		parts := strings.Split(base, "&")
		if len(parts) != 3 || parts[0] != asciiUpper(method) || parts[1] != PercentEncode(BaseURI(u)) {
			t.Fatalf("base string shape: %q", base)
		}
		sig, err := Sign(HMACSHA1, secret, "ts", base)
		if err != nil {
			t.Fatal(err)
		}
		// Changing one protocol parameter's value changes the signature
		// (oauth_signature and realm are excluded by design).
		for i, p := range pp {
			if p.Key == "oauth_signature" || p.Key == "realm" {
				continue
			}
			mut := slices.Clone(pp)
			mut[i].Value += "x"
			mb, _ := BaseString(method, u, fp, mut)
			ms, _ := Sign(HMACSHA1, secret, "ts", mb)
			if Equal(ms, sig) {
				t.Fatalf("changing %s did not change the signature", p.Key)
			}
			break
		}
	})
}

// asciiUpper upper-cases a-z only: HTTP methods are ASCII tokens (net/http
// refuses others), and BaseString leaves other bytes as they are.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}

func reversed(ps []Param) []Param {
	out := slices.Clone(ps)
	slices.Reverse(out)
	return out
}

// FuzzHeaderRoundTrip: ParseHeader(Header(ps)) gives back ps (sorted by
// name, as Header renders them), whatever the names and values hold; and
// signing then verifying through the header round-trips.
func FuzzHeaderRoundTrip(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw, consumerSecret, tokenSecret string) {
		ps, err := ParseForm(raw)
		if err != nil || len(ps) == 0 {
			return
		}
		want := slices.Clone(ps)
		sort.SliceStable(want, func(i, j int) bool { return want[i].Key < want[j].Key })
		h := Header(ps)
		got, err := ParseHeader(h)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("ParseHeader(Header(%q)) = %q, %v; header %q", ps, got, err, h)
		}

		u, _ := url.Parse("https://api.example/api/account/1/skills?v=1")
		base, _ := BaseString("POST", u, nil, ps)
		sig, err := Sign(HMACSHA256, consumerSecret, tokenSecret, base)
		if err != nil {
			t.Fatal(err)
		}
		recv, err := ParseHeader(Header(append(slices.Clone(ps), Param{"oauth_signature", sig})))
		if err != nil {
			t.Fatal(err)
		}
		var proto []Param
		var gotSig string
		for _, p := range recv {
			switch {
			case p.Key == "oauth_signature" && gotSig == "" && p.Value == sig:
				gotSig = p.Value
			default:
				proto = append(proto, p)
			}
		}
		vb, _ := BaseString("POST", u, nil, proto)
		want2, _ := Sign(HMACSHA256, consumerSecret, tokenSecret, vb)
		if !Equal(want2, gotSig) {
			t.Fatalf("signature did not verify after the header round trip:\n%s\n%s", base, vb)
		}
		if Equal(want2, mustSign(t, consumerSecret+"x", tokenSecret, vb)) {
			t.Fatal("another consumer secret verified")
		}
	})
}

func mustSign(t *testing.T, cs, ts, base string) string {
	t.Helper()
	s, err := Sign(HMACSHA256, cs, ts, base)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
