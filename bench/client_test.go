package bench

import (
	"context"
	"net/http"
	"os"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
)

func startLocal(tb testing.TB) *Local {
	tb.Helper()
	l, err := StartLocal(0)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(l.Close)
	return l
}

// TestScenariosSucceed checks that every request the load figures send is
// answered 200 by the sandbox: a figure over refusals would be worthless.
func TestScenariosSucceed(t *testing.T) {
	l := startLocal(t)
	c, err := l.Client(apiclient.Config{Transport: RawTransport(2)})
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: RawTransport(2)}
	clients := []*apiclient.Client{c, c}
	for name, do := range map[string]func(context.Context, int) error{
		"ours":     OursGet(c, OverheadPath),
		"raw":      RawGet(hc, l.Target, OverheadPath),
		"dghubble": DghubbleGet(RawTransport(2), l.Target, OverheadPath),
		"load":     SandboxLoad(clients),
	} {
		res, _ := Load{Workers: 2, Duration: 10 * time.Second, MaxRequests: 2 * len(LoadPaths), Do: do}.Run(context.Background())
		if res.Errors != 0 || res.Requests != 2*len(LoadPaths) {
			t.Errorf("%s: %d requests, %d errors (first: %s)", name, res.Requests, res.Errors, res.FirstError)
		}
	}
}

// TestRawBaselineIsRefusedWithoutKey makes sure the raw baseline is not
// measuring an error path: without its appKey the same request is refused.
func TestRawBaselineIsRefusedWithoutKey(t *testing.T) {
	l := startLocal(t)
	resp, err := http.Get(resourceURL(l.Target, OverheadPath))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Fatalf("an unauthenticated GET got %s", resp.Status)
	}
}

func TestPercentile(t *testing.T) {
	s := Samples{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	if got := s.Percentile(50); got != 5 {
		t.Errorf("p50 = %d, want 5", got)
	}
	if got := s.Percentile(99); got != 10 {
		t.Errorf("p99 = %d, want 10", got)
	}
	if got := (Samples{}).Percentile(99); got != 0 {
		t.Errorf("empty p99 = %d", got)
	}
}

func TestLoadStopsAtItsBudget(t *testing.T) {
	calls := make(chan struct{}, 100)
	res, samples := Load{Workers: 3, Duration: 10 * time.Second, MaxRequests: 7, Do: func(context.Context, int) error {
		calls <- struct{}{}
		return nil
	}}.Run(context.Background())
	if res.Requests != 7 || len(calls) != 7 || len(samples) != 7 {
		t.Fatalf("requests %d, calls %d, samples %d; want 7", res.Requests, len(calls), len(samples))
	}
}

// BenchmarkGet is figure 2 as a Go benchmark, for profiling
// (-cpuprofile/-memprofile) rather than for the table, which runs the
// interleaved load in bench/cmd/benchtable: a signed apiclient GET and the
// raw net/http GET of the same URL against the in-process sandbox.
func BenchmarkGet(b *testing.B) {
	l := startLocal(b)
	b.Run("raw", func(b *testing.B) {
		do := RawGet(&http.Client{Transport: RawTransport(4)}, l.Target, OverheadPath)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := do(context.Background(), 0); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("ours", func(b *testing.B) {
		c, err := l.Client(apiclient.Config{Transport: RawTransport(4)})
		if err != nil {
			b.Fatal(err)
		}
		do := OursGet(c, OverheadPath)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := do(context.Background(), 0); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// TestTargetFileIsPrivate: the target file carries a token secret.
func TestTargetFileIsPrivate(t *testing.T) {
	path := t.TempDir() + "/target.json"
	want := Target{BaseURL: "http://127.0.0.1:1/api/account/12345678"}
	want.Credentials.ConsumerKey, want.Credentials.TokenSecret = "k", "s"
	want.Tokens = []Token{{"t1", "s1"}, {"t2", "s2"}}
	if err := want.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// Windows has no permission bits (Go reports 0666): there the file is
	// as private as the directory's ACL makes it.
	if st.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	got, err := ReadTarget(path)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ReadTarget = %+v, %v; want %+v", got, err, want)
	}
}

// BenchmarkGetTrivial is the fair form of figure 2, for profiling: the
// signed apiclient GET and the raw net/http GET against a server that
// verifies neither (StartTrivial).
func BenchmarkGetTrivial(b *testing.B) {
	tv := StartTrivial()
	b.Cleanup(tv.Close)
	c, err := tv.Client(apiclient.Config{Transport: RawTransport(4)})
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []struct {
		name string
		do   func(context.Context, int) error
	}{
		{"raw", RawGet(&http.Client{Transport: RawTransport(4)}, tv.Target, OverheadPath)},
		{"ours", OursGet(c, OverheadPath)},
	} {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := v.do(context.Background(), 0); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
