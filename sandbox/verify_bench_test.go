package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"

	"github.com/lpdesk/lpdesk/assets"
)

// BenchmarkVerify is the sandbox's side of a signed call, for the bench
// table's "verification vs signing" figure: authenticateAPI (the API
// routes' entry: find the OAuth parameters, look up consumer and token,
// check the timestamp, rebuild the base string, HMAC it, compare, spend
// the nonce) on the GET every signing benchmark signs (bench/signreq.json:
// skills with six query parameters, header placement), as net/http's
// server hands it over. Requests are signed in untimed batches, each with
// a fresh nonce, so every timed call is a first use that verifies.
func BenchmarkVerify(b *testing.B) {
	vb := newVerifyBench(b)
	const batch = 2048
	reqs := make([]*http.Request, batch)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; {
		b.StopTimer()
		n := min(batch, b.N-done)
		for i := range n {
			reqs[i] = vb.request(b)
		}
		b.StartTimer()
		for _, r := range reqs[:n] {
			if _, token, e := vb.s.authenticateAPI(r, nil); e != nil || token != vb.cr.token {
				b.Fatalf("verification failed: %v", e)
			}
		}
		done += n
	}
}

// TestVerifyBenchmarkMeasuresVerification: the benchmark's request
// verifies (so it times the whole path, not an early refusal), and the
// same request again is refused as a replay (so the nonce is spent).
func TestVerifyBenchmarkMeasuresVerification(t *testing.T) {
	vb := newVerifyBench(t)
	r := vb.request(t)
	if _, token, e := vb.s.authenticateAPI(r, nil); e != nil || token != vb.cr.token {
		t.Fatalf("the benchmark's request did not verify: %v", e)
	}
	if !strings.Contains(r.URL.RawQuery, "visitorName=Ada%20Lovelace") {
		t.Errorf("query %q is not the sign case's", r.URL.RawQuery)
	}
	if _, _, e := vb.s.authenticateAPI(r, nil); e == nil || e.Code != wire.CodeNonceReused {
		t.Fatalf("a replay was not refused as one: %v", e)
	}
}

type verifyBench struct {
	s    *Server
	cr   creds
	path string
}

func newVerifyBench(tb testing.TB) *verifyBench {
	tb.Helper()
	s, err := New(DemoConfig())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	tok, sec, err := s.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		tb.Fatal(err)
	}
	vb := &verifyBench{s: s, cr: demoCreds()}
	vb.cr.token, vb.cr.tokenSecret = tok, sec
	if vb.path, err = signCasePath(s.AccountPath()); err != nil {
		tb.Fatal(err)
	}
	return vb
}

// request is a freshly signed request as net/http's server hands it over.
func (vb *verifyBench) request(tb testing.TB) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080"+vb.path, nil)
	r.Header.Set("Accept", "application/json")
	r.Header.Set("User-Agent", "lpdesk-bench")
	sign(tb, r, call{signer: &vb.cr}, "")
	// What the server sees: the request-URI only, Host apart.
	r.URL.Scheme, r.URL.Host = "", ""
	return r
}

// signCasePath is bench/signreq.json's path and query under account (the
// bench package cannot be imported here: it imports this one).
func signCasePath(account string) (string, error) {
	data, err := os.ReadFile("../bench/signreq.json")
	if err != nil {
		return "", err
	}
	var c struct {
		Path  string      `json:"path"`
		Query [][2]string `json:"query"`
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return "", err
	}
	var q []string
	for _, kv := range c.Query {
		q = append(q, oauthsig.PercentEncode(kv[0])+"="+oauthsig.PercentEncode(kv[1]))
	}
	return account + "/" + c.Path + "?" + strings.Join(q, "&"), nil
}
