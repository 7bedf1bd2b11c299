// Package bench measures lpdesk against floors and peers, all in the same
// run on the same machine, so that the figures are read as ratios: absolute
// times on a shared 2-core machine mean little on their own.
//
// The Go benchmarks live in this package's test files (BenchmarkSign, the
// client and sandbox benchmarks); the helpers here are what those
// benchmarks, bench/cmd/benchtable and the peer scripts under bench/py and
// bench/node share: the one signed GET every implementation signs, a
// RoundTripper that answers without a network, and a bounded closed-loop
// load generator. scripts/bench.sh runs everything and prints the table.
//
// Nothing here asserts a timing: tests only check that the benchmarks
// measure what they claim to (same signatures, successful responses).
package bench
