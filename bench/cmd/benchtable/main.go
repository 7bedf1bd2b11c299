// Command benchtable runs every lpdesk benchmark and its baselines in one
// run and prints the table the README's Performance section shows: figure,
// ours, baseline, ratio, target, met. scripts/bench.sh builds and runs it
// after installing the peers (jq, xmllint, python3-oauthlib, node's
// oauth-1.0a).
//
// Ratios are always ours ÷ baseline, measured minutes apart on the same
// machine: below 1 means ours takes less time or memory (or, for a
// throughput, serves fewer requests). Targets are written in the same
// terms. Raw outputs are kept under -out for whoever wants to look closer.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Row is one line of the table.
type Row struct {
	Figure   string `json:"figure"`
	Ours     string `json:"ours"`
	Baseline string `json:"baseline"`
	Ratio    string `json:"ratio"`
	Target   string `json:"target"`
	Met      string `json:"met"`
}

// opts are the command-line settings; the defaults keep the whole run well
// under ten minutes on a 2-core machine.
type opts struct {
	root, out                 string
	benchPasses               int
	benchtime                 string
	peerSeconds               float64
	overheadRound             time.Duration
	overheadRounds            int
	overheadWorkers           int
	loadWorkers               int
	loadDuration              time.Duration
	proxyClients, proxyRounds int
	proxyDuration             time.Duration
	proxyLatency              time.Duration
	soakWarmup, soakDuration  time.Duration
	soakThink                 time.Duration
	largeBytes                int
	largeSizes                string
	largeRuns                 int
	viewerBytes               int
	viewerSmallBytes          int
	window                    string
	lpdesk                    string
	only                      string
	python, node, jq, xmllint string
	timeBin                   string
}

func main() {
	var o opts
	flag.StringVar(&o.root, "root", ".", "repository root")
	flag.StringVar(&o.out, "out", "bench/out", "directory for raw outputs, the table and results.json")
	flag.IntVar(&o.benchPasses, "passes", 9, "passes over the Go signing benchmarks (medians are reported)")
	flag.StringVar(&o.benchtime, "benchtime", "300ms", "-test.benchtime of each Go benchmark pass")
	flag.Float64Var(&o.peerSeconds, "peer-seconds", 1.5, "time budget of each peer signing measurement")
	flag.DurationVar(&o.overheadRound, "overhead-round", time.Second, "length of one client-overhead round")
	flag.IntVar(&o.overheadRounds, "overhead-rounds", 9, "interleaved rounds per client-overhead variant (the ratio is their median)")
	flag.IntVar(&o.overheadWorkers, "overhead-workers", 4, "concurrent requests in the client-overhead runs")
	flag.IntVar(&o.loadWorkers, "load-workers", 50, "concurrent clients in the sandbox load")
	flag.DurationVar(&o.loadDuration, "load-duration", 60*time.Second, "length of the sandbox's mixed load")
	flag.IntVar(&o.proxyClients, "proxy-clients", 20, "concurrent clients per side in the proxy figures")
	flag.DurationVar(&o.proxyDuration, "proxy-duration", 10*time.Second, "time per side in the proxy figures")
	flag.IntVar(&o.proxyRounds, "proxy-rounds", 5, "alternating rounds the proxy figures' time is split into")
	flag.DurationVar(&o.proxyLatency, "proxy-latency", 20*time.Millisecond, "the platform's added latency in the proxy's diagnostic rows")
	flag.DurationVar(&o.soakWarmup, "soak-warmup", time.Minute, "soak: load before the start RSS is read")
	flag.DurationVar(&o.soakDuration, "soak-duration", 5*time.Minute, "soak: load between the start and end RSS")
	flag.DurationVar(&o.soakThink, "soak-think", 2*time.Second, "soak: each client's pause between steps (2 s: the documentation's polling pace)")
	flag.IntVar(&o.largeBytes, "large-bytes", 20_000_000, "size of the large resource the window figures open")
	flag.StringVar(&o.largeSizes, "large-sizes", "1,10,100", "sizes in MB of the large JSON and XML resources (the cost curve)")
	flag.IntVar(&o.largeRuns, "large-runs", 3, "timed runs of each large-resource tool (medians are reported; half as many from 50 MB)")
	flag.IntVar(&o.viewerBytes, "viewer-bytes", 100_000_000, "size of the large users collection the window's viewer opens")
	flag.IntVar(&o.viewerSmallBytes, "viewer-small-bytes", 1_000_000, "size of the small one it is compared with")
	flag.StringVar(&o.window, "window", "auto", "window figures: auto (when `lpdesk demo` exists), on, or off")
	flag.StringVar(&o.lpdesk, "lpdesk", "", "lpdesk binary for the window figures, built with -tags lpdesk_testdrivers (default: build it into -out)")
	flag.StringVar(&o.only, "only", "", "comma-separated sections to run: sign,overhead,large,window,load,proxy,soak (default all)")
	flag.StringVar(&o.python, "python", "/usr/bin/python3", "python with Debian's python3-oauthlib")
	flag.StringVar(&o.node, "node", "node", "node binary")
	flag.StringVar(&o.jq, "jq", "jq", "jq binary")
	flag.StringVar(&o.xmllint, "xmllint", "xmllint", "xmllint binary")
	flag.StringVar(&o.timeBin, "time", "/usr/bin/time", "GNU time (for peak RSS)")
	flag.Parse()

	if err := os.MkdirAll(o.out, 0o755); err != nil {
		fatalf("%v", err)
	}
	logf, err := os.Create(filepath.Join(o.out, "benchtable.log"))
	if err != nil {
		fatalf("%v", err)
	}
	defer logf.Close()
	log := io.MultiWriter(os.Stderr, logf)

	sections := []struct {
		name string
		run  func(*opts, io.Writer) ([]Row, error)
	}{
		{"sign", runSign},
		{"overhead", runOverhead},
		{"large", runLarge},
		{"window", runWindow},
		{"load", runLoad},
		{"proxy", runProxy},
		{"soak", runSoak},
	}
	var rows []Row
	failed := false
	start := time.Now()
	for _, s := range sections {
		if o.only != "" && !contains(strings.Split(o.only, ","), s.name) {
			continue
		}
		t0 := time.Now()
		fmt.Fprintf(log, "\n== %s\n", s.name)
		rs, err := s.run(&o, log)
		if err != nil {
			failed = true
			fmt.Fprintf(log, "%s: %v\n", s.name, err)
			rs = append(rs, Row{Figure: s.name, Ours: "error: " + oneLine(err.Error()), Met: "ERROR"})
		}
		rows = append(rows, rs...)
		fmt.Fprintf(log, "== %s done in %s\n", s.name, time.Since(t0).Round(time.Second))
	}

	table := render(rows)
	host, _ := os.Hostname()
	footer := fmt.Sprintf("\nMeasured %s on %s (%s); whole run %s.\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		host, machine(), time.Since(start).Round(time.Second))
	fmt.Print("\n" + table + footer)
	if err := os.WriteFile(filepath.Join(o.out, "table.md"), []byte(table+footer), 0o644); err != nil {
		fatalf("%v", err)
	}
	data, _ := json.MarshalIndent(rows, "", "  ")
	if err := os.WriteFile(filepath.Join(o.out, "results.json"), data, 0o644); err != nil {
		fatalf("%v", err)
	}
	if failed {
		os.Exit(1)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}

// render is a Markdown pipe table, padded so it also reads in a terminal.
func render(rows []Row) string {
	head := Row{"figure", "ours", "baseline", "ratio", "target", "met"}
	cells := func(r Row) []string { return []string{r.Figure, r.Ours, r.Baseline, r.Ratio, r.Target, r.Met} }
	width := make([]int, 6)
	for _, r := range append([]Row{head}, rows...) {
		for i, c := range cells(r) {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	line := func(cs []string) {
		b.WriteString("|")
		for i, c := range cs {
			b.WriteString(" " + c + strings.Repeat(" ", width[i]-len([]rune(c))) + " |")
		}
		b.WriteString("\n")
	}
	line(cells(head))
	sep := make([]string, 6)
	for i := range sep {
		sep[i] = strings.Repeat("-", width[i])
	}
	line(sep)
	for _, r := range rows {
		line(cells(r))
	}
	return b.String()
}

func machine() string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "model name") {
				_, v, _ := strings.Cut(l, ":")
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	load := ""
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = ", load average before the run's end " + strings.Join(strings.Fields(string(data))[:3], " ")
	}
	return fmt.Sprintf("%s, %d cores%s", cpu, runtime.NumCPU(), load)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

func fatalf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "benchtable: "+format+"\n", a...)
	os.Exit(1)
}

// met renders a target check.
func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// Formatting helpers shared by the sections.

func fmtDur(ns float64) string {
	d := time.Duration(ns)
	switch {
	case d < 10*time.Microsecond:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", ns/1e6)
	}
	return fmt.Sprintf("%.2f s", ns/1e9)
}

func fmtRatio(r float64) string {
	switch {
	case r < 0.1:
		return fmt.Sprintf("%.3f×", r)
	case r < 10:
		return fmt.Sprintf("%.2f×", r)
	}
	return fmt.Sprintf("%.0f×", r)
}

func fmtMB(bytes float64) string { return fmt.Sprintf("%.1f MB", bytes/1e6) }
