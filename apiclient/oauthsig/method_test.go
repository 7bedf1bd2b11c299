package oauthsig

import (
	"errors"
	"os"
	"testing"
)

// The base string of the RSA-SHA1 example on the OAuth wiki's test cases;
// the signatures were made with openssl (dgst -sign) over the key in
// testdata, independently of this package.
const (
	rsaBase       = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacaciones.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D13917289812797014437%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1196666512%26oauth_version%3D1.0%26size%3Doriginal"
	opensslSHA1   = "Zmxe6BXtLh0A+AJwEHiNsXL21p/TriFdCnTlJUTPK9s0ASpo9Sxp/QlxtBKTlNCbLPClNMCYXqTIBxfP0gzPqiKuxzOk66uRZaa5TUSlg2wwrAUJGbVUNeUSC85lK3CmadAPzuu1tNcW2F4QvkzhIO4k4XUJjZD/BYSNZHeCq6Q1Xba8fSvhK4xuWviSlcgYr0GReVBj2wEMDSog6PLrW4Sc0G/s2cyHBXNTnPC8X3d6KmWxEIua6Yrro+EwaCNRV0bWh927Sh39r5UGHRRQt5anWCOrvdZ9MJvJftAr6G1H+fg6BhEABsAu9Wf0/8UPs6zb0x3UpfJZWgG2VHjMWw=="
	opensslSHA256 = "Nmt7mOag4eu3CjB5pIwyF6kXN2DFBqlwkmz8ABuGXomxi9GPJYGE9OK0VMiFods1FAFWHDosot6vHQB6WnxHM+28zbpy0hM1qLXmcDE5uHVmvY0+LvpmQjwUp+fw5w/8jj5zWsulaILNVjQu1XMbuXzugYdXVillu9FmZY9lLfSwZB7iuiPn75Ks+nat2qbn3oxA0tQrIooKfBG86WinNZaspjgN4+G7rNVSPWycVvXNRVcZ9dyWjysodhM0z20Zlusan9EKMcP7OzdMiEdODNUcz0Nv0BWRSezEym5NK4QV0+RWY5dh9TGRsIZNEys3nx/8fLWF+5h392X/v8dNqg=="
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRSAMatchesOpenSSL(t *testing.T) {
	pub, err := ParsePublicKey(readTestdata(t, "rsa-public.pem"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"rsa-pkcs1.pem", "rsa-pkcs8.pem"} {
		priv, err := ParsePrivateKey(readTestdata(t, file))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, c := range []struct {
			m    Method
			want string
		}{{RSASHA1, opensslSHA1}, {RSASHA256, opensslSHA256}} {
			got, err := SignWith(c.m, Key{Private: priv, ConsumerSecret: "ignored", TokenSecret: "ignored"}, rsaBase)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%s %s: %s, want openssl's %s", file, c.m, got, c.want)
			}
			if err := Verify(c.m, VerifyKey{Public: pub}, rsaBase, got); err != nil {
				t.Errorf("%s: own signature refused: %v", c.m, err)
			}
			if err := Verify(c.m, VerifyKey{Public: pub}, rsaBase+"x", got); !errors.Is(err, ErrBadSignature) {
				t.Errorf("%s: signature of another base accepted: %v", c.m, err)
			}
		}
	}
	// Each RSA method verifies only its own digest.
	if err := Verify(RSASHA256, VerifyKey{Public: pub}, rsaBase, opensslSHA1); !errors.Is(err, ErrBadSignature) {
		t.Errorf("RSA-SHA1 signature accepted as RSA-SHA256: %v", err)
	}
}

// RFC 5849 §3.4.4's example.
func TestPlaintext(t *testing.T) {
	got, err := Sign(Plaintext, "djr9rjt0jd78jf88", "jjd999tj88uiths3", "ignored")
	if err != nil || got != "djr9rjt0jd78jf88&jjd999tj88uiths3" {
		t.Fatalf("%q %v", got, err)
	}
	if got, _ := Sign(Plaintext, "a&b c", "", ""); got != "a%26b%20c&" {
		t.Errorf("secrets not encoded: %q", got)
	}
	if err := Verify(Plaintext, VerifyKey{ConsumerSecret: "djr9rjt0jd78jf88", TokenSecret: "jjd999tj88uiths3"}, "", "djr9rjt0jd78jf88&jjd999tj88uiths3"); err != nil {
		t.Error(err)
	}
	if err := Verify(Plaintext, VerifyKey{ConsumerSecret: "djr9rjt0jd78jf88"}, "", "djr9rjt0jd78jf88&jjd999tj88uiths3"); !errors.Is(err, ErrBadSignature) {
		t.Errorf("wrong token secret accepted: %v", err)
	}
	if !Plaintext.SendsSecrets() || HMACSHA1.SendsSecrets() {
		t.Error("SendsSecrets")
	}
}

func TestHMACVerify(t *testing.T) {
	for _, m := range []Method{HMACSHA1, HMACSHA256} {
		sig, err := Sign(m, "cs", "ts", "base")
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(m, VerifyKey{ConsumerSecret: "cs", TokenSecret: "ts"}, "base", sig); err != nil {
			t.Errorf("%s: %v", m, err)
		}
		if err := Verify(m, VerifyKey{ConsumerSecret: "cs", TokenSecret: "other"}, "base", sig); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: wrong secret accepted: %v", m, err)
		}
	}
	if _, err := Sign(RSASHA1, "cs", "ts", "base"); err == nil {
		t.Error("RSA signed without a key")
	}
	if err := Verify(RSASHA1, VerifyKey{ConsumerSecret: "cs"}, "base", "c2ln"); err == nil || errors.Is(err, ErrBadSignature) {
		t.Errorf("RSA verify without a key: %v", err)
	}
}

// Values from `printf %s BODY | openssl dgst -sha1|-sha256 -binary | base64`.
func TestBodyHash(t *testing.T) {
	for _, c := range []struct {
		m          Method
		body, want string
	}{
		{HMACSHA1, "", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="},
		{HMACSHA1, "Hello World!", "Lve95gjOVATpfV8EL5X4nxwjKHE="},
		{RSASHA1, "Hello World!", "Lve95gjOVATpfV8EL5X4nxwjKHE="},
		{Plaintext, "Hello World!", "Lve95gjOVATpfV8EL5X4nxwjKHE="},
		{HMACSHA256, "Hello World!", "f4OxZX/x/FO5LcGBSKHWXfwtSx+j1ncoSt3SABJtkGk="},
		{RSASHA256, "", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
	} {
		if got := c.m.BodyHash([]byte(c.body)); got != c.want {
			t.Errorf("%s %q: %s, want %s", c.m, c.body, got, c.want)
		}
	}
}

func TestParseMethod(t *testing.T) {
	for _, m := range Methods {
		got, err := ParseMethod(string(m))
		if err != nil || got != m || !m.Valid() {
			t.Errorf("%s: %q %v", m, got, err)
		}
	}
	if got, err := ParseMethod(" hmac-sha256 "); err != nil || got != HMACSHA256 {
		t.Errorf("lower case: %q %v", got, err)
	}
	if _, err := ParseMethod("RSA-MD5"); !errors.Is(err, ErrUnsupportedMethod) {
		t.Errorf("RSA-MD5: %v", err)
	}
	if Method("hmac-sha1").Valid() {
		t.Error("non-canonical method valid")
	}
}

func TestParseKeysRefuses(t *testing.T) {
	if _, err := ParsePrivateKey([]byte("not pem")); err == nil {
		t.Error("garbage accepted")
	}
	if _, err := ParsePrivateKey(readTestdata(t, "rsa-public.pem")); err == nil {
		t.Error("public key accepted as private")
	}
	enc := []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")
	if _, err := ParsePrivateKey(enc); !errors.Is(err, ErrEncryptedKey) {
		t.Errorf("encrypted key: %v", err)
	}
	if _, err := ParsePublicKey(readTestdata(t, "rsa-pkcs8.pem")); err == nil {
		t.Error("private key accepted as public")
	}
	priv, _ := ParsePrivateKey(readTestdata(t, "rsa-pkcs1.pem"))
	p, err := PublicKeyPEM(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if pub, err := ParsePublicKey(p); err != nil || !pub.Equal(&priv.PublicKey) {
		t.Errorf("PublicKeyPEM round trip: %v", err)
	}
}

func TestHeaderRealmFirst(t *testing.T) {
	h := Header([]Param{{"oauth_consumer_key", "k"}, {"realm", "123_SB1"}, {"oauth_signature", "s"}})
	if want := `OAuth realm="123_SB1", oauth_consumer_key="k", oauth_signature="s"`; h != want {
		t.Errorf("%s, want %s", h, want)
	}
}
