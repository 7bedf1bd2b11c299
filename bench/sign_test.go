package bench

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dghubble/oauth1"
	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

// cannedBody is what the canned transport answers: small, and without the
// word "link", so link extraction takes its fast path and the client's cost
// around the request stays the same whatever the auth mode.
var cannedBody = []byte(`{"skill":{"@id":"1","name":"Support"}}`)

// newCannedClient is an apiclient.Client whose requests stop at a Canned
// transport. With auth "none" it does everything a signed call does except
// signing, which is what BenchmarkSign subtracts.
func newCannedClient(tb testing.TB, c SignCase, auth apiclient.Auth, place apiclient.Placement, rec bool) (*apiclient.Client, *Canned) {
	tb.Helper()
	tr := &Canned{Body: cannedBody, Record: rec}
	cl, err := apiclient.New(apiclient.Config{
		BaseURL:     c.BaseURL,
		AccountID:   "12345678",
		Credentials: c.Credentials(),
		Auth:        auth,
		Placement:   place,
		Transport:   tr,
		MaxRetries:  -1,
	})
	if err != nil {
		tb.Fatalf("apiclient.New: %v", err)
	}
	return cl, tr
}

// fixedNoncer makes dghubble use a nonce chosen by the test.
type fixedNoncer string

func (n fixedNoncer) Nonce() string { return string(n) }

// newDghubble is dghubble/oauth1's own Transport over base, as
// oauth1.Config.Client builds it.
func newDghubble(c SignCase, base http.RoundTripper, noncer oauth1.Noncer) http.RoundTripper {
	cfg := oauth1.NewConfig(c.ConsumerKey, c.ConsumerSecret)
	cfg.Noncer = noncer
	ctx := context.WithValue(context.Background(), oauth1.HTTPClient, &http.Client{Transport: base})
	return cfg.Client(ctx, oauth1.NewToken(c.Token, c.TokenSecret)).Transport
}

// BenchmarkSign is figure 1: the cost of signing the typical GET.
//
//   - floor: HMAC-SHA1 and base64 over the precomputed base string and key,
//     the work no OAuth 1.0a signer can avoid.
//   - dghubble: dghubble/oauth1's Transport.RoundTrip over a Sink, which
//     answers at no cost, so the figure is its request clone plus signing.
//   - client-none, client-header, client-query: apiclient's Client.Do of
//     the same GET over a Canned transport, unsigned and signed. The
//     difference signed − unsigned is what apiclient's transport spends
//     signing (nonce, timestamp, base string, HMAC, header or query), which
//     bench/cmd/benchtable reports as "ours".
func BenchmarkSign(b *testing.B) {
	c, err := LoadSignCase()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("floor", func(b *testing.B) {
		base, err := c.BaseString(c.CheckNonce, c.CheckTimestamp)
		if err != nil {
			b.Fatal(err)
		}
		key := []byte(c.SigningKey())
		var sum [sha1.Size]byte
		var sig string
		b.ReportAllocs()
		for b.Loop() {
			mac := hmac.New(sha1.New, key)
			mac.Write([]byte(base))
			sig = base64.StdEncoding.EncodeToString(mac.Sum(sum[:0]))
		}
		_ = sig
	})
	b.Run("dghubble", func(b *testing.B) {
		tr := newDghubble(c, &Sink{}, nil)
		req, err := http.NewRequest(c.Method, c.URL().String(), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tr.RoundTrip(req); err != nil {
				b.Fatal(err)
			}
		}
	})
	ctx := context.Background()
	for _, m := range []struct {
		name  string
		auth  apiclient.Auth
		place apiclient.Placement
	}{
		{"client-none", apiclient.AuthNone, apiclient.PlaceHeader},
		{"client-header", apiclient.AuthOAuth, apiclient.PlaceHeader},
		{"client-query", apiclient.AuthOAuth, apiclient.PlaceQuery},
	} {
		b.Run(m.name, func(b *testing.B) {
			cl, _ := newCannedClient(b, c, m.auth, m.place, false)
			req := &apiclient.Request{Method: c.Method, Path: c.Path, Query: c.Query()}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cl.Do(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestSignCaseIsTypical(t *testing.T) {
	c, err := LoadSignCase()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Pairs) != 6 || c.Method != http.MethodGet {
		t.Fatalf("the signing case must be a GET with 6 query parameters, got %s with %d", c.Method, len(c.Pairs))
	}
	if got := c.URL().Query().Get("v"); got != "1" {
		t.Fatalf("v = %q, want 1", got)
	}
	sig, err := c.CheckSignature()
	if err != nil || sig == "" {
		t.Fatalf("CheckSignature = %q, %v", sig, err)
	}
}

// oauthParams returns the oauth_* parameters of a header or query.
func oauthParams(t *testing.T, ps []oauthsig.Param) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, p := range ps {
		if strings.HasPrefix(p.Key, "oauth_") {
			m[p.Key] = p.Value
		}
	}
	if m["oauth_signature"] == "" || m["oauth_nonce"] == "" || m["oauth_timestamp"] == "" {
		t.Fatalf("incomplete oauth parameters: %v", m)
	}
	return m
}

// dghubbleSignature has dghubble sign rawURL with nonce, retrying until its
// clock (time.Now, not injectable) reads timestamp, and returns its
// oauth_* parameters.
func dghubbleSignature(t *testing.T, c SignCase, rawURL, nonce, timestamp string) map[string]string {
	t.Helper()
	sink := &Sink{Record: true}
	tr := newDghubble(c, sink, fixedNoncer(nonce))
	for range 3 {
		req, err := http.NewRequest(c.Method, rawURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		ps, err := oauthsig.ParseHeader(sink.Last.Header.Get("Authorization"))
		if err != nil {
			t.Fatal(err)
		}
		m := oauthParams(t, ps)
		if m["oauth_timestamp"] == timestamp {
			return m
		}
	}
	t.Fatalf("dghubble's clock never read %s", timestamp)
	return nil
}

// signedByClient makes apiclient sign the case over a recording Canned
// transport and returns the request it sent.
func signedByClient(t *testing.T, c SignCase, place apiclient.Placement) *http.Request {
	t.Helper()
	cl, tr := newCannedClient(t, c, apiclient.AuthOAuth, place, true)
	if _, err := cl.Do(context.Background(), &apiclient.Request{Method: c.Method, Path: c.Path, Query: c.Query()}); err != nil {
		t.Fatal(err)
	}
	r := tr.Last()
	if r == nil {
		t.Fatal("the canned transport saw no request")
	}
	return r
}

// TestClientSignatureMatchesDghubble checks that the benchmarks compare the
// same work: for the same request, nonce and timestamp, apiclient's header
// signature is dghubble's.
func TestClientSignatureMatchesDghubble(t *testing.T) {
	c, err := LoadSignCase()
	if err != nil {
		t.Fatal(err)
	}
	for range 3 { // a second boundary between the two clocks: try again
		r := signedByClient(t, c, apiclient.PlaceHeader)
		ps, err := oauthsig.ParseHeader(r.Header.Get("Authorization"))
		if err != nil {
			t.Fatalf("our Authorization header: %v", err)
		}
		ours := oauthParams(t, ps)
		if ours["oauth_timestamp"] != oauthsig.Timestamp(time.Now()) {
			continue
		}
		theirs := dghubbleSignature(t, c, r.URL.String(), ours["oauth_nonce"], ours["oauth_timestamp"])
		if ours["oauth_signature"] != theirs["oauth_signature"] {
			t.Fatalf("signatures differ for the same request: ours %q, dghubble %q (url %s)",
				ours["oauth_signature"], theirs["oauth_signature"], r.URL)
		}
		return
	}
	t.Fatal("could not line up the clocks")
}

// TestClientQuerySignatureMatchesDghubble: in query placement the signature
// covers the same parameters, so dghubble's header signature for the URL
// without the oauth_* parameters must be the same.
func TestClientQuerySignatureMatchesDghubble(t *testing.T) {
	c, err := LoadSignCase()
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		r := signedByClient(t, c, apiclient.PlaceQuery)
		if r.Header.Get("Authorization") != "" {
			t.Fatal("query placement sent an Authorization header")
		}
		ps, err := oauthsig.ParseForm(r.URL.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		ours := oauthParams(t, ps)
		if ours["oauth_timestamp"] != oauthsig.Timestamp(time.Now()) {
			continue
		}
		var kept []string
		for _, pair := range strings.Split(r.URL.RawQuery, "&") {
			if !strings.HasPrefix(pair, "oauth_") {
				kept = append(kept, pair)
			}
		}
		u := *r.URL
		u.RawQuery = strings.Join(kept, "&")
		if got, want := len(kept), len(c.Pairs); got != want {
			t.Fatalf("query kept %d non-oauth parameters, want %d: %s", got, want, u.RawQuery)
		}
		theirs := dghubbleSignature(t, c, u.String(), ours["oauth_nonce"], ours["oauth_timestamp"])
		if ours["oauth_signature"] != theirs["oauth_signature"] {
			t.Fatalf("query signature %q, dghubble %q", ours["oauth_signature"], theirs["oauth_signature"])
		}
		return
	}
	t.Fatal("could not line up the clocks")
}

// TestFloorIsTheSignature checks that the floor computes the real
// signature, not something cheaper.
func TestFloorIsTheSignature(t *testing.T) {
	c, err := LoadSignCase()
	if err != nil {
		t.Fatal(err)
	}
	base, err := c.BaseString(c.CheckNonce, c.CheckTimestamp)
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha1.New, []byte(c.SigningKey()))
	mac.Write([]byte(base))
	floor := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	want, _ := c.CheckSignature()
	if floor != want {
		t.Fatalf("floor %q, reference %q", floor, want)
	}
	// The base string really carries the six query parameters.
	for _, p := range c.Pairs {
		enc := url.QueryEscape(oauthsig.PercentEncode(p[0]))
		if !strings.Contains(base, enc) {
			t.Fatalf("base string lacks %s", p[0])
		}
	}
}
