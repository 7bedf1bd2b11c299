package apiclient

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// The per-Client signer must produce exactly what the reference helpers in
// oauthsig produce from the same nonce and timestamp.
func TestSignerMatchesOAuthsig(t *testing.T) {
	for _, method := range []oauthsig.Method{oauthsig.HMACSHA1, oauthsig.HMACSHA256} {
		for _, cr := range []Credentials{
			{ConsumerKey: "key one", ConsumerSecret: "s&cret=", Token: "tok/+", TokenSecret: "ts%"},
			{ConsumerKey: "k", ConsumerSecret: "s"}, // two-legged: no token
		} {
			for _, rawURL := range []string{
				"https://Example.COM:443/api/account/1/skills?v=1&b=2&a=%20x&a=1&realm=r&oauth_signature=drop",
				"http://127.0.0.1:8080/a%2Fb/users",
				"http://[::1]:80/x?q=%7e%7E%2a+%41&e=&n",
				"HTTPS://h%C3%A9.example/p?%E2%82%AC=1",
			} {
				for _, query := range []bool{false, true} {
					for _, cached := range []bool{false, true} {
						form := []oauthsig.Param{{Key: "z", Value: "ü ~"}, {Key: "a", Value: "0"}}
						checkAgainstOAuthsig(t, method, cr, rawURL, form, query, cached)
					}
				}
			}
		}
	}
}

// checkAgainstOAuthsig signs rawURL with the Client's signer and checks the
// signature against the shared oauthsig builder the sandbox verifies with:
// the two must never disagree.
func checkAgainstOAuthsig(t *testing.T, method oauthsig.Method, cr Credentials, rawURL string, form []oauthsig.Param, query, cached bool) {
	t.Helper()
	now := time.Unix(1_700_000_000, 0)
	u, _ := url.Parse(rawURL)
	r := &http.Request{Method: "post", URL: u, Header: http.Header{}}
	s := newSigner(method, cr)
	origQuery := u.RawQuery
	// The query and the base URI read in advance (as prepare reads them)
	// and read by the signer itself must sign alike.
	var q parsedQuery
	var encURI string
	if cached {
		encURI = encodedBaseURI(u)
		ps, err := appendQueryParams(nil, origQuery, "oauth_signature")
		if err != nil {
			t.Fatal(err)
		}
		q = parsedQuery{raw: origQuery, params: ps}
	}
	if _, err := s.sign(r, q, form, now, query, encURI); err != nil {
		t.Fatal(err)
	}
	var got []oauthsig.Param
	if query {
		all, err := oauthsig.ParseForm(r.URL.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range all {
			if strings.HasPrefix(p.Key, "oauth_") {
				got = append(got, p)
			}
		}
		if !strings.HasPrefix(r.URL.RawQuery, origQuery) {
			t.Errorf("query %q lost its original %q", r.URL.RawQuery, origQuery)
		}
	} else {
		var err error
		if got, err = oauthsig.ParseHeader(r.Header.Get("Authorization")); err != nil {
			t.Fatal(err)
		}
		if want := oauthsig.Header(got); r.Header.Get("Authorization") != want {
			t.Errorf("header %q, oauthsig renders %q", r.Header.Get("Authorization"), want)
		}
	}
	var sig, nonce string
	var protocol []oauthsig.Param
	for _, p := range got {
		switch p.Key {
		case "oauth_signature":
			sig = p.Value
			continue
		case "oauth_nonce":
			nonce = p.Value
		}
		protocol = append(protocol, p)
	}
	if len(nonce) != 32 || !strings.Contains(r.Header.Get("Authorization")+r.URL.RawQuery, "oauth_timestamp") {
		t.Fatalf("protocol parameters %v", got)
	}
	u2, _ := url.Parse(rawURL)
	ref := &url.URL{Scheme: u2.Scheme, Host: u2.Host, RawPath: u2.RawPath, Path: u2.Path, RawQuery: origQuery}
	ref.RawQuery = dropParams(ref.RawQuery, isOAuthParam)
	base, err := oauthsig.BaseString("POST", ref, form, protocol)
	if err != nil {
		t.Fatal(err)
	}
	want, err := oauthsig.Sign(method, cr.ConsumerSecret, cr.TokenSecret, base)
	if err != nil {
		t.Fatal(err)
	}
	if sig != want {
		t.Errorf("%s %s query=%v token=%q: signature %q, oauthsig %q", method, rawURL, query, cr.Token, sig, want)
	}
}

// FuzzSignerMatchesOAuthsig holds the optimised signer to oauthsig over
// arbitrary paths, queries and form bodies.
func FuzzSignerMatchesOAuthsig(f *testing.F) {
	f.Add("/api/account/1/skills", "v=1&b=2&a=%20x&a=1&realm=r", "z=%C3%BC+~&a=0", true, false)
	f.Add("/a%2Fb/users", "q=%7e%7E%2a+%41&e=&n", "", false, true)
	f.Add("/p", "%E2%82%AC=1&x=!*'()", "c2&a3=2+q", true, true)
	f.Fuzz(func(t *testing.T, path, rawQuery, rawForm string, query, cached bool) {
		u, err := url.Parse("https://h.example" + path + "?" + rawQuery)
		if err != nil || u.Host != "h.example" || u.Opaque != "" || u.Fragment != "" {
			t.Skip()
		}
		if _, err := oauthsig.ParseForm(u.RawQuery); err != nil {
			t.Skip()
		}
		form, err := oauthsig.ParseForm(rawForm)
		if err != nil {
			t.Skip()
		}
		checkAgainstOAuthsig(t, oauthsig.HMACSHA1, Credentials{ConsumerKey: "k", ConsumerSecret: "cs", Token: "t", TokenSecret: "ts"}, u.String(), form, query, cached)
	})
}

// BenchmarkSigner times the signer alone on the bench's typical GET, next
// to the floor it is measured against (HMAC-SHA1 of a precomputed base).
func BenchmarkSigner(b *testing.B) {
	cr := Credentials{ConsumerKey: "bench-consumer-key-0123456789abcdef", ConsumerSecret: "bench-consumer-secret-fedcba9876543210",
		Token: "bench-token-00112233445566778899aabb", TokenSecret: "bench-token-secret-ccddeeff0011223344"}
	u, _ := url.Parse("http://127.0.0.1:8088/api/account/12345678/skills?v=1&skill=Support+Team&maxWaitTime=20&serviceQueue=chat&lang=en-US&visitorName=Ada+Lovelace")
	s := newSigner(oauthsig.HMACSHA1, cr)
	now := time.Now()
	b.Run("header", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := &http.Request{Method: "GET", URL: &url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawQuery: u.RawQuery}, Header: http.Header{}}
			if _, err := s.sign(r, parsedQuery{}, nil, now, false, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		r := &http.Request{Method: "GET", URL: u, Header: http.Header{}}
		_, _ = s.sign(r, parsedQuery{}, nil, now, false, "")
		base, _ := oauthsig.BaseString("GET", u, nil, []oauthsig.Param{{Key: "oauth_nonce", Value: "x"}})
		for b.Loop() {
			if _, err := oauthsig.Sign(oauthsig.HMACSHA1, cr.ConsumerSecret, cr.TokenSecret, base); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestDropParams(t *testing.T) {
	for raw, want := range map[string]string{
		"":                            "",
		"v=1&a=2":                     "v=1&a=2",
		"oauth_nonce=x&v=1":           "v=1",
		"v=1&oauth%5Fsignature=s&&b":  "v=1&b",
		"a=1&oauth_token=t&b=%zz":     "a=1&b=%zz",
		"oauth_a=1&oauth_b=2":         "",
		"%zz=1&oauth+x=2&oauth_x=3&c": "%zz=1&oauth+x=2&c",
	} {
		if got := dropParams(raw, isOAuthParam); got != want {
			t.Errorf("dropParams(%q) = %q, want %q", raw, got, want)
		}
	}
}
