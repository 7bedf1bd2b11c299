package bench

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// LoadResult summarises one closed-loop load run.
type LoadResult struct {
	Workers  int
	Requests int // completed, errors included
	Errors   int
	// FirstError is the first failure seen, for the report; it never holds
	// a secret because the callers' errors are apiclient's (redacted) or
	// status lines.
	FirstError string
	Elapsed    time.Duration
	P50, P99   time.Duration
}

// RPS is completed requests per second of wall time.
func (r LoadResult) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// String is a one-line summary for logs.
func (r LoadResult) String() string {
	return fmt.Sprintf("%d workers, %d requests in %s (%.0f req/s), %d errors, p50 %s, p99 %s",
		r.Workers, r.Requests, r.Elapsed.Round(time.Millisecond), r.RPS(), r.Errors, r.P50, r.P99)
}

// Load is a bounded closed-loop load: Workers goroutines each call Do in a
// loop until Duration has passed or MaxRequests have been sent in all.
// Bounded both ways so that it always stops by itself.
type Load struct {
	Workers     int
	Duration    time.Duration
	MaxRequests int
	// Do performs one request; worker is the goroutine's index, so a
	// caller can give each worker its own client.
	Do func(ctx context.Context, worker int) error
}

// Samples are the latencies of every completed request of one or more
// runs; Summarise turns them into percentiles.
type Samples []time.Duration

// Run runs the load and returns its result and latency samples.
func (l Load) Run(ctx context.Context) (LoadResult, Samples) {
	if l.Workers <= 0 {
		l.Workers = 1
	}
	if l.MaxRequests <= 0 {
		l.MaxRequests = 1 << 30
	}
	ctx, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()
	var (
		mu       sync.Mutex
		all      Samples
		errs     int
		firstErr string
		wg       sync.WaitGroup
	)
	budget := make(chan struct{}, 1024)
	go func() { // hands out at most MaxRequests tickets
		defer close(budget)
		for range l.MaxRequests {
			select {
			case budget <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
	}()
	start := time.Now()
	for w := range l.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make(Samples, 0, 4096)
			var werrs int
			var wfirst string
			for range budget {
				if ctx.Err() != nil {
					break
				}
				t0 := time.Now()
				err := l.Do(ctx, w)
				d := time.Since(t0)
				if err != nil {
					if ctx.Err() != nil {
						break // cut off by the deadline: not the server's fault
					}
					werrs++
					if wfirst == "" {
						wfirst = err.Error()
					}
				}
				lat = append(lat, d)
			}
			mu.Lock()
			all = append(all, lat...)
			errs += werrs
			if firstErr == "" {
				firstErr = wfirst
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := LoadResult{Workers: l.Workers, Requests: len(all), Errors: errs, FirstError: firstErr, Elapsed: elapsed}
	r.P50, r.P99 = all.Percentile(50), all.Percentile(99)
	return r, all
}

// Percentile returns the p-th percentile (nearest rank) of s; s is sorted
// in place.
func (s Samples) Percentile(p float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	if !slices.IsSorted(s) {
		slices.Sort(s)
	}
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// Combine sums interleaved runs of the same load into one result, with
// percentiles over all their samples.
func Combine(runs []LoadResult, samples Samples) LoadResult {
	var out LoadResult
	for _, r := range runs {
		out.Workers = r.Workers
		out.Requests += r.Requests
		out.Errors += r.Errors
		out.Elapsed += r.Elapsed
		if out.FirstError == "" {
			out.FirstError = r.FirstError
		}
	}
	out.P50, out.P99 = samples.Percentile(50), samples.Percentile(99)
	return out
}
