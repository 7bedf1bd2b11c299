package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"

	"github.com/lpdesk/lpdesk/bench"
)

// goBench is one benchmark line: ns/op and allocs/op.
type goBench struct{ ns, allocs float64 }

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+[\d.]+ B/op\s+([\d.]+) allocs/op)?`)

// parseGoBench reads `go test -bench` output into name → results.
func parseGoBench(r io.Reader) map[string][]goBench {
	out := map[string][]goBench{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		ns, _ := strconv.ParseFloat(m[2], 64)
		allocs, _ := strconv.ParseFloat(m[3], 64)
		out[m[1]] = append(out[m[1]], goBench{ns, allocs})
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// peer is what bench/py and bench/node print.
type peer struct {
	Impl        string  `json:"impl"`
	HeaderNS    float64 `json:"header_ns"`
	QueryNS     float64 `json:"query_ns"`
	HeaderCheck string  `json:"header_check"`
	QueryCheck  string  `json:"query_check"`
}

func runPeer(log io.Writer, name string, argv ...string) (*peer, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = log
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(log, "%s: %s", name, stdout.String())
	var p peer
	if err := json.Unmarshal(stdout.Bytes(), &p); err != nil {
		return nil, fmt.Errorf("%s output: %w", name, err)
	}
	return &p, nil
}

// runSign is figure 1. The Go benchmarks run as several short passes of
// one test binary, so that the signed and unsigned client runs whose
// difference is "ours" sit close together in time; the per-pass
// differences' median is reported.
func runSign(o *opts, log io.Writer) ([]Row, error) {
	c, err := bench.LoadSignCase()
	if err != nil {
		return nil, err
	}
	want, err := c.CheckSignature()
	if err != nil {
		return nil, err
	}
	testBin, err := filepath.Abs(filepath.Join(o.out, "bench.test"))
	if err != nil {
		return nil, err
	}
	build := exec.Command("go", "test", "-c", "-o", testBin, "./bench")
	build.Dir, build.Stdout, build.Stderr = o.root, log, log
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build the benchmarks: %w", err)
	}
	raw, err := os.Create(filepath.Join(o.out, "sign-gobench.txt"))
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	var header, query, hAllocs, qAllocs, floor, floorA, dg, dgA []float64
	for pass := range o.benchPasses {
		cmd := exec.Command(testBin, "-test.run", "^$", "-test.bench", "^BenchmarkSign$", "-test.benchmem",
			"-test.benchtime", o.benchtime)
		cmd.Dir = filepath.Join(o.root, "bench")
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.MultiWriter(&buf, raw), log
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("benchmark pass %d: %w", pass+1, err)
		}
		res := parseGoBench(&buf)
		get := func(name string) (goBench, error) {
			rs := res["BenchmarkSign/"+name]
			if len(rs) == 0 {
				return goBench{}, fmt.Errorf("pass %d: no result for BenchmarkSign/%s", pass+1, name)
			}
			return rs[0], nil
		}
		var r [5]goBench
		for i, n := range []string{"floor", "dghubble", "client-none", "client-header", "client-query"} {
			if r[i], err = get(n); err != nil {
				return nil, err
			}
		}
		floor, floorA = append(floor, r[0].ns), append(floorA, r[0].allocs)
		dg, dgA = append(dg, r[1].ns), append(dgA, r[1].allocs)
		header, hAllocs = append(header, r[3].ns-r[2].ns), append(hAllocs, r[3].allocs-r[2].allocs)
		query, qAllocs = append(query, r[4].ns-r[2].ns), append(qAllocs, r[4].allocs-r[2].allocs)
	}
	fmt.Fprintf(log, "go: floor %v, dghubble %v, header %v, query %v (ns, per pass)\n", floor, dg, header, query)

	oursH := measured{median(header), median(hAllocs)}
	oursQ := measured{median(query), median(qAllocs)}
	fl, flA := median(floor), median(floorA)
	dgh, dghA := median(dg), median(dgA)
	cost := func(ns, allocs float64) string { return fmt.Sprintf("%s, %.0f allocs", fmtDur(ns), allocs) }

	signed := filepath.Join(o.root, "bench", "signreq.json")
	var rows []Row
	add := func(place string, ours measured) {
		rows = append(rows, Row{
			Figure:   "sign GET, " + place + ": vs floor (HMAC-SHA1 of the base string)",
			Ours:     cost(ours.ns, ours.allocs),
			Baseline: cost(fl, flA),
			Ratio:    fmtRatio(ours.ns / fl),
			Target:   "≤ 3×",
			Met:      met(ours.ns <= 3*fl),
		})
	}
	add("header", oursH)
	rows = append(rows, Row{
		Figure:   "sign GET, header: vs dghubble/oauth1 Transport",
		Ours:     cost(oursH.ns, oursH.allocs),
		Baseline: cost(dgh, dghA),
		Ratio:    fmtRatio(oursH.ns / dgh),
		Target:   "≤ 1×",
		Met:      met(oursH.ns <= dgh),
	})
	add("query", oursQ)
	rows = append(rows, Row{
		Figure: "sign GET, query: vs dghubble/oauth1", Ours: cost(oursQ.ns, oursQ.allocs),
		Baseline: "n/a: header placement only", Ratio: "—", Target: "—", Met: "—",
	})

	peers := []struct {
		label, target string
		limit         float64 // ours/peer must be at most this; 0 = no target
		argv          []string
	}{
		{"python3-oauthlib Client.sign", "≤ 0.1× (10× faster)", 0.1,
			[]string{o.python, filepath.Join(o.root, "bench", "py", "oauthlib_sign.py"), signed, fmt.Sprint(o.peerSeconds)}},
		{"node oauth-1.0a", "— (reported)", 0,
			[]string{o.node, filepath.Join(o.root, "bench", "node", "sign.js"), signed, fmt.Sprint(o.peerSeconds)}},
	}
	for _, pe := range peers {
		p, err := runPeer(log, pe.label, pe.argv...)
		for _, pl := range []struct {
			name  string
			ours  float64
			ns    func(*peer) float64
			check func(*peer) string
		}{
			{"header", oursH.ns, func(p *peer) float64 { return p.HeaderNS }, func(p *peer) string { return p.HeaderCheck }},
			{"query", oursQ.ns, func(p *peer) float64 { return p.QueryNS }, func(p *peer) string { return p.QueryCheck }},
		} {
			row := Row{Figure: fmt.Sprintf("sign GET, %s: vs %s", pl.name, pe.label), Ours: fmtDur(pl.ours), Target: pe.target}
			switch {
			case err != nil:
				row.Baseline, row.Ratio, row.Met = "error: "+oneLine(err.Error()), "—", "ERROR"
			case pl.check(p) != want:
				row.Baseline, row.Ratio, row.Met = "signed something else", "—", "INVALID"
			default:
				r := pl.ours / pl.ns(p)
				row.Baseline, row.Ratio = fmtDur(pl.ns(p))+" ("+p.Impl+")", fmtRatio(r)
				row.Met = "—"
				if pe.limit > 0 {
					row.Met = met(r <= pe.limit)
				}
			}
			rows = append(rows, row)
		}
		if err != nil {
			return rows, err
		}
	}
	return rows, nil
}

// measured is a Go benchmark figure: time and allocations per operation.
type measured struct{ ns, allocs float64 }
