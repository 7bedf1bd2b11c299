package oauthsig

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/dghubble/oauth1"
)

type vectorFile struct {
	Vectors []struct {
		Name           string            `json:"name"`
		Method         string            `json:"method"`
		URL            string            `json:"url"`
		Form           *string           `json:"form"`
		OAuth          map[string]string `json:"oauth"`
		ConsumerSecret string            `json:"consumer_secret"`
		TokenSecret    string            `json:"token_secret"`
		BaseString     string            `json:"base_string"`
		Signature      string            `json:"signature"`
		SignatureS256  string            `json:"signature_hmac_sha256"`
	} `json:"vectors"`
	PercentEncoding [][2]string `json:"percent_encoding"`
}

// loadVectors reads the shared vectors; the repo keeps a copy under testdata
// so a clone without ../shared still tests them.
func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(self), "..", "..", "testdata", "oauth1-vectors.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read vectors: %v", err)
	}
	var vf vectorFile
	if err := json.Unmarshal(raw, &vf); err != nil {
		t.Fatalf("parse vectors: %v", err)
	}
	if len(vf.Vectors) == 0 {
		t.Fatal("no vectors")
	}
	return vf
}

func TestVectors(t *testing.T) {
	vf := loadVectors(t)
	for _, v := range vf.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			u, err := url.Parse(v.URL)
			if err != nil {
				t.Fatal(err)
			}
			var form []Param
			if v.Form != nil {
				if form, err = ParseForm(*v.Form); err != nil {
					t.Fatal(err)
				}
			}
			var proto []Param
			for k, val := range v.OAuth {
				proto = append(proto, Param{k, val})
			}
			base, err := BaseString(v.Method, u, form, proto)
			if err != nil {
				t.Fatal(err)
			}
			if v.BaseString != "" && base != v.BaseString {
				t.Errorf("base string\n got %s\nwant %s", base, v.BaseString)
			}
			sig, err := Sign(HMACSHA1, v.ConsumerSecret, v.TokenSecret, base)
			if err != nil {
				t.Fatal(err)
			}
			if sig != v.Signature {
				t.Errorf("signature got %s want %s", sig, v.Signature)
			}
			if v.SignatureS256 != "" {
				sig, _ := Sign(HMACSHA256, v.ConsumerSecret, v.TokenSecret, base)
				if sig != v.SignatureS256 {
					t.Errorf("HMAC-SHA256 signature got %s want %s", sig, v.SignatureS256)
				}
			}
		})
	}
}

func TestPercentEncodingVectors(t *testing.T) {
	for _, pe := range loadVectors(t).PercentEncoding {
		if got := PercentEncode(pe[0]); got != pe[1] {
			t.Errorf("PercentEncode(%q) = %q, want %q", pe[0], got, pe[1])
		}
	}
}

// oauth_signature is never signed; realm only when it is the Authorization
// header's (RFC 5849 §3.4.1.3.1), not as a query or form parameter.
func TestRealmAndSignatureExcluded(t *testing.T) {
	got := NormalizeParams([]Param{{"realm", "x"}, {"oauth_signature", "s"}, {"b", "2"}, {"a", "1"}, {"a", "0"}})
	if got != "a=0&a=1&b=2&realm=x" {
		t.Fatalf("got %q", got)
	}
	u, _ := url.Parse("http://h/p?realm=q")
	base, err := BaseString("GET", u, []Param{{"realm", "f"}}, []Param{{"realm", "header"}, {"oauth_nonce", "n"}})
	if err != nil || base != "GET&http%3A%2F%2Fh%2Fp&oauth_nonce%3Dn%26realm%3Df%26realm%3Dq" {
		t.Fatalf("base %q %v", base, err)
	}
}

func TestBaseURI(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://Example.COM:80/r%20v/X?id=123": "http://example.com/r%20v/X",
		"https://www.example.net:8080/?q=1":    "https://www.example.net:8080/",
		"https://example.net:443":              "https://example.net/",
		"http://[::1]:8088/api":                "http://[::1]:8088/api",
	} {
		u, _ := url.Parse(in)
		if got := BaseURI(u); got != want {
			t.Errorf("BaseURI(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	in := []Param{{"oauth_consumer_key", "k y"}, {"oauth_signature", "a+b/c="}, {"oauth_nonce", "ñ"}}
	h := Header(in)
	out, err := ParseHeader(h)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 3 {
		t.Fatalf("got %v", out)
	}
	m := map[string]string{}
	for _, p := range out {
		m[p.Key] = p.Value
	}
	for _, p := range in {
		if m[p.Key] != p.Value {
			t.Errorf("%s: got %q want %q", p.Key, m[p.Key], p.Value)
		}
	}
	if _, err := ParseHeader(`LivePerson appKey=abc`); err != ErrNotOAuth {
		t.Errorf("LivePerson scheme: got %v", err)
	}
	if _, err := ParseHeader(`OAuth oauth_nonce=unquoted`); err == nil {
		t.Error("unquoted value accepted")
	}
}

func TestSignUnsupported(t *testing.T) {
	if _, err := Sign("RSA-MD5", "a", "b", "c"); err == nil {
		t.Fatal("RSA-MD5 accepted")
	}
}

// Our encoder must stay byte-for-byte dghubble/oauth1's, which it replaces
// only for speed.
func TestPercentEncodeMatchesDghubble(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
		if got, want := PercentEncode(string(all[i:i+1])), oauth1.PercentEncode(string(all[i:i+1])); got != want {
			t.Errorf("byte %#x: %q, want %q", i, got, want)
		}
	}
	for _, s := range []string{string(all), "", "plain", "a b+c&d=e%f", "ñ日本語~-._", "\x00\xff"} {
		if got, want := PercentEncode(s), oauth1.PercentEncode(s); got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
}

func BenchmarkBaseString(b *testing.B) {
	u, _ := url.Parse("https://server.example/api/account/12345678/chat/availability?v=1&skill=Support%20Team&maxWaitTime=20&agent=a%2Bb&x=1&y=%E2%9C%93")
	proto := []Param{{"oauth_consumer_key", "lpdesk-demo-app"}, {"oauth_nonce", Nonce()}, {"oauth_signature_method", string(HMACSHA1)},
		{"oauth_timestamp", "1700000000"}, {"oauth_token", "0123456789abcdef0123456789abcdef"}, {"oauth_version", "1.0"}}
	b.ReportAllocs()
	for b.Loop() {
		base, _ := BaseString("GET", u, nil, proto)
		Sign(HMACSHA1, "consumer-secret", "token-secret", base)
		Header(proto)
	}
}

// Sign computes its HMACs itself now; it must stay byte-for-byte what
// dghubble/oauth1's signers give, secrets with reserved and non-ASCII bytes
// included (they are percent-encoded into the key).
func TestSignMatchesDghubble(t *testing.T) {
	base := "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fapi%2Faccount%2F1&a%3D%2520b%26v%3D1"
	for _, sec := range [][2]string{{"cs", "ts"}, {"c s&+/=%é", ""}, {"", "t~o.k-e_n"}, {"kd94hf93k423kf44", "pfkkdhi9sl3r4s00"}} {
		for _, tc := range []struct {
			method Method
			theirs oauth1.Signer
		}{
			{HMACSHA1, &oauth1.HMACSigner{ConsumerSecret: sec[0]}},
			{HMACSHA256, &oauth1.HMAC256Signer{ConsumerSecret: sec[0]}},
		} {
			got, err := Sign(tc.method, sec[0], sec[1], base)
			if err != nil {
				t.Fatal(err)
			}
			want, err := tc.theirs.Sign(sec[1], base)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s with %q: got %s, dghubble %s", tc.method, sec, got, want)
			}
		}
	}
}

// Sign reuses keyed HMACs per key: many keys (past the cache's bound, so it
// starts over), each used from several goroutines at once, must still give
// every key its own signature.
func TestSignKeyCache(t *testing.T) {
	old := maxMACKeys
	maxMACKeys = 8
	defer func() { maxMACKeys = old }()
	base := "GET&http%3A%2F%2Fexample.com%2F&v%3D1"
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				ts := fmt.Sprintf("token-secret-%d", (i+g)%20)
				got, err := Sign(HMACSHA1, "cs", ts, base)
				if err != nil {
					t.Error(err)
					return
				}
				want, _ := (&oauth1.HMACSigner{ConsumerSecret: "cs"}).Sign(ts, base)
				if got != want {
					t.Errorf("key %s: got %s, want %s", ts, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// AppendBaseString sorts its three sources apart and merges them: for any
// mix of query, form and protocol pairs (repeated names, empty values,
// unsorted protocol) it must equal one sort of everything.
func TestBaseStringMergeEqualsOneSort(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:8080/api/account/1/skills")
	rnd := rand.New(rand.NewPCG(1, 2))
	pick := func(n int) []Param {
		names := []string{"v", "a", "oauth_nonce", "skill", "oauth_token", "Z", "oauth_signature", "b b", "é", ""}
		var ps []Param
		for range rnd.IntN(n) {
			ps = append(ps, Param{names[rnd.IntN(len(names))], names[rnd.IntN(len(names))]})
		}
		return ps
	}
	for range 500 {
		query, form, proto := pick(8), pick(4), pick(9)
		var all []Param
		all = append(all, query...)
		all = append(all, form...)
		for _, p := range proto {
			if p.Key != "realm" {
				all = append(all, p)
			}
		}
		want := "GET&" + PercentEncode(BaseURI(u)) + "&" + PercentEncode(NormalizeParams(all))
		if got := string(AppendBaseString(nil, "GET", u, query, form, proto)); got != want {
			t.Fatalf("query %v form %v protocol %v:\n got %s\nwant %s", query, form, proto, got, want)
		}
	}
}
