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

// mixedOf splits workers clients into agents (half), visitors (three
// tenths) and administrators (the rest).
func mixedOf(workers int, d, think time.Duration) bench.Mixed {
	agents, visitors := max(workers/2, 1), max(workers*3/10, 1)
	return bench.Mixed{Agents: agents, Visitors: visitors, Admins: max(workers-agents-visitors, 1), Duration: d, Think: think, Lines: 8}
}

// runLoad is figure 8: the sandbox as a platform under a bounded mixed
// load (bench.Mixed), in-process on loopback, closed loop: agents polling
// incoming requests and reading chats, visitors starting chats and posting
// lines, administrators reading skills, each client with its own token.
func runLoad(o *opts, log io.Writer) ([]Row, error) {
	l, err := bench.StartLocal(0)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	m := mixedOf(o.loadWorkers, o.loadDuration, 0)
	if l.Tokens, err = bench.InstallTokens(l.Sandbox, m.Agents+m.Admins); err != nil {
		return nil, err
	}
	rec := bench.NewRouteRecorder()
	mc, err := m.NewMixedClients(l.Target, rec)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	err = m.Run(context.Background(), mc)
	rec.Stop()
	elapsed := time.Since(start)
	if err != nil {
		return nil, err
	}
	label := fmt.Sprintf("sandbox mixed load (%d agents, %d visitors, %d admins × %s, closed loop, loopback)",
		m.Agents, m.Visitors, m.Admins, o.loadDuration)
	return routeRows(label, "sandbox mixed load", rec, elapsed, log), nil
}

// routeRows are a mixed load's rows: the whole rate, the errors (target
// 0) and each route's count and p50 / p99.
func routeRows(label, short string, rec *bench.RouteRecorder, elapsed time.Duration, log io.Writer) []Row {
	var total, errs, races int
	first := ""
	stats := rec.Stats()
	for _, s := range stats {
		total += s.Requests
		errs += s.Errors
		races += s.Races
		if first == "" {
			first = s.FirstError
		}
		fmt.Fprintf(log, "%s: %d requests, %d errors, %d races, p50 %s, p99 %s\n", s.Route, s.Requests, s.Errors, s.Races,
			s.Samples.Percentile(50), s.Samples.Percentile(99))
	}
	if first != "" {
		fmt.Fprintf(log, "first error: %s\n", first)
	}
	rows := []Row{
		{Figure: label + ": requests/s", Ours: fmt.Sprintf("%.0f req/s (%d requests)", float64(total)/elapsed.Seconds(), total),
			Baseline: "—", Ratio: "—", Target: "— (reported)", Met: "—"},
		{Figure: short + ": errors (accepts lost to another agent: " + fmt.Sprint(races) + ", not errors)",
			Ours: fmt.Sprintf("%d of %d", errs, total), Baseline: "—", Ratio: "—", Target: "0", Met: met(errs == 0 && total > 0)},
	}
	for _, s := range stats {
		rows = append(rows, Row{Figure: short + ", " + s.Route + ": p50 / p99",
			Ours:     fmtDur(float64(s.Samples.Percentile(50))) + " / " + fmtDur(float64(s.Samples.Percentile(99))),
			Baseline: fmt.Sprintf("%d requests", s.Requests), Ratio: "—", Target: "— (reported)", Met: "—"})
	}
	return rows
}
