package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/bench"
)

// runOverhead is figure 2: signed apiclient GETs and raw net/http GETs
// (unsigned, with the appKey header) of the same URL against a trivial
// in-process server that verifies neither (bench.StartTrivial), in
// interleaved rounds so that a disturbance on the shared machine hits
// both. The server's work is the same for both, so the ratio is the
// client's cost alone. A third variant, net/http with dghubble's signing
// Transport, is the same work done by another OAuth 1.0a client. Then the
// sandbox's verification cost against the client's signing cost.
func runOverhead(o *opts, log io.Writer) ([]Row, error) {
	tv := bench.StartTrivial()
	defer tv.Close()
	w := o.overheadWorkers
	c, err := tv.Client(apiclient.Config{Transport: bench.RawTransport(w)})
	if err != nil {
		return nil, err
	}
	variants := []struct {
		name string
		do   func(context.Context, int) error
	}{
		{"raw", bench.RawGet(&http.Client{Transport: bench.RawTransport(w)}, tv.Target, bench.OverheadPath)},
		{"ours", bench.OursGet(c, bench.OverheadPath)},
		{"dghubble", bench.DghubbleGet(bench.RawTransport(w), tv.Target, bench.OverheadPath)},
	}
	runs := map[string][]bench.LoadResult{}
	samples := map[string]bench.Samples{}
	ctx := context.Background()
	for _, v := range variants { // warm-up: connections, caches
		bench.Load{Workers: w, Duration: 300 * time.Millisecond, Do: v.do}.Run(ctx)
	}
	for round := range o.overheadRounds {
		for _, v := range variants {
			r, s := bench.Load{Workers: w, Duration: o.overheadRound, MaxRequests: 5_000_000, Do: v.do}.Run(ctx)
			fmt.Fprintf(log, "round %d %s: %s\n", round+1, v.name, r)
			runs[v.name] = append(runs[v.name], r)
			samples[v.name] = append(samples[v.name], s...)
		}
	}
	res := map[string]bench.LoadResult{}
	for _, v := range variants {
		res[v.name] = bench.Combine(runs[v.name], samples[v.name])
		if r := res[v.name]; r.Errors > 0 {
			return nil, fmt.Errorf("%s: %d of %d requests failed (first: %s)", v.name, r.Errors, r.Requests, r.FirstError)
		}
	}
	ours, raw, dg := res["ours"], res["raw"], res["dghubble"]
	// The machine is shared: throughput drifts between rounds far more than
	// within one, so the ratio is the median of the per-round ratios.
	perRound := func(base string) float64 {
		var rs []float64
		for i := range runs["ours"] {
			rs = append(rs, runs["ours"][i].RPS()/runs[base][i].RPS())
		}
		return median(rs)
	}
	label := fmt.Sprintf("client overhead (%d concurrent GET %s, trivial server that verifies nothing)", w, bench.OverheadPath)
	ratio := perRound("raw")
	rows := []Row{
		{Figure: label + ": req/s vs raw net/http",
			Ours: fmt.Sprintf("%.0f req/s", ours.RPS()), Baseline: fmt.Sprintf("%.0f req/s", raw.RPS()),
			Ratio: fmtRatio(ratio), Target: "≥ 0.9×", Met: met(ratio >= 0.9)},
		{Figure: "client overhead: p50 latency vs raw net/http",
			Ours: fmtDur(float64(ours.P50)), Baseline: fmtDur(float64(raw.P50)),
			Ratio: fmtRatio(float64(ours.P50) / float64(raw.P50)), Target: "— (reported)", Met: "—"},
		{Figure: "client overhead: p99 latency vs raw net/http",
			Ours: fmtDur(float64(ours.P99)), Baseline: fmtDur(float64(raw.P99)),
			Ratio: fmtRatio(float64(ours.P99) / float64(raw.P99)), Target: "— (reported)", Met: "—"},
		{Figure: "client overhead: req/s vs net/http + dghubble signing",
			Ours: fmt.Sprintf("%.0f req/s", ours.RPS()), Baseline: fmt.Sprintf("%.0f req/s", dg.RPS()),
			Ratio: fmtRatio(perRound("dghubble")), Target: "— (diagnostic)", Met: "—"},
	}
	vr, err := runVerifyVsSign(o, log)
	rows = append(rows, vr)
	return rows, err
}

// runLoad is figure 5: the sandbox under a bounded closed-loop load of
// signed GETs from loadWorkers clients, each its own apiclient.Client with
// the default transport, on loopback.
func runLoad(o *opts, log io.Writer) ([]Row, error) {
	l, err := bench.StartLocal(0)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	clients := make([]*apiclient.Client, o.loadWorkers)
	for i := range clients {
		if clients[i], err = l.Client(apiclient.Config{}); err != nil {
			return nil, err
		}
	}
	r, _ := bench.Load{Workers: o.loadWorkers, Duration: o.loadDuration, MaxRequests: 10_000_000,
		Do: bench.SandboxLoad(clients)}.Run(context.Background())
	fmt.Fprintf(log, "sandbox load: %s\n", r)
	if r.FirstError != "" {
		fmt.Fprintf(log, "first error: %s\n", r.FirstError)
	}
	label := fmt.Sprintf("sandbox load (%d clients × %s, signed GETs, loopback)", o.loadWorkers, o.loadDuration)
	return []Row{
		{Figure: label + ": requests/s", Ours: fmt.Sprintf("%.0f req/s", r.RPS()), Baseline: "—", Ratio: "—",
			Target: "— (reported)", Met: "—"},
		{Figure: "sandbox load: errors", Ours: fmt.Sprintf("%d of %d", r.Errors, r.Requests), Baseline: "—", Ratio: "—",
			Target: "0", Met: met(r.Errors == 0 && r.Requests > 0)},
		{Figure: "sandbox load: p50 / p99 latency", Ours: fmtDur(float64(r.P50)) + " / " + fmtDur(float64(r.P99)),
			Baseline: "—", Ratio: "—", Target: "— (reported)", Met: "—"},
	}, nil
}
