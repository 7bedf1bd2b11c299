package sandbox

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lpdesk/lpdesk/assets"
)

// BenchmarkVerify is the sandbox's side of a signed call, for the bench
// table's "verification vs signing" figure: authenticateAPI (the API
// routes' entry: find the OAuth parameters, look up consumer and token,
// check the timestamp, rebuild the base string, HMAC it, compare, spend
// the nonce) on the GET bench/ signs (skills/1, header placement), as
// net/http's server hands it over. Requests are signed in untimed batches,
// each with a fresh nonce, so every timed call is a first use that
// verifies.
func BenchmarkVerify(b *testing.B) {
	cfg := DemoConfig()
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	tok, sec, err := s.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		b.Fatal(err)
	}
	cr := demoCreds()
	cr.token, cr.tokenSecret = tok, sec
	path := s.AccountPath() + "/skills/1?v=1"
	const batch = 2048
	reqs := make([]*http.Request, batch)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; {
		b.StopTimer()
		n := min(batch, b.N-done)
		for i := range n {
			r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080"+path, nil)
			r.Header.Set("Accept", "application/json")
			r.Header.Set("User-Agent", "lpdesk-bench")
			sign(b, r, call{signer: &cr}, "")
			// What the server sees: the request-URI only, Host apart.
			r.URL.Scheme, r.URL.Host = "", ""
			reqs[i] = r
		}
		b.StartTimer()
		for _, r := range reqs[:n] {
			if _, token, e := s.authenticateAPI(r, nil); e != nil || token != tok {
				b.Fatalf("verification failed: %v", e)
			}
		}
		done += n
	}
}
