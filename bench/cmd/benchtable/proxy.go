package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// proxyReport is the part of proxyload's -json output the table uses.
type proxyReport struct {
	Clients       int
	Direct, Proxy proxySide
	Others        []proxySide
}

type proxySide struct {
	Name             string
	Requests, Errors int64
	RPS              float64
	P50us, P99us     float64
	Ratio, CPURatio  float64
	RoundRatios      []float64
}

// runProxy is figure 7: `lpdesk proxy` against direct signed calls on
// loopback, by proxy/internal/proxyload (what scripts/proxy-load.sh runs):
// alternating rounds of direct calls and calls through the proxy: from
// HTTP/1.1 clients on TCP and, where there are Unix sockets, from HTTP/1.1
// clients on a Unix socket. (HTTP/2 cleartext was measured too and
// dropped: on loopback it cost more CPU per request than HTTP/1.1.)
func runProxy(o *opts, log io.Writer) ([]Row, error) {
	bin, err := filepath.Abs(filepath.Join(o.out, "bin", "proxyload"))
	if err != nil {
		return nil, err
	}
	build := exec.Command("go", "build", "-o", bin, "./proxy/internal/proxyload")
	build.Dir, build.Stdout, build.Stderr = o.root, log, log
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build proxyload: %w", err)
	}
	run := func(name string, extra ...string) (proxyReport, error) {
		out := filepath.Join(o.out, name+".json")
		args := append([]string{"-clients", fmt.Sprint(o.proxyClients), "-duration", o.proxyDuration.String(),
			"-rounds", fmt.Sprint(o.proxyRounds), "-json", out}, extra...)
		if runtime.GOOS != "windows" {
			args = append(args, "-unix")
		}
		var rep proxyReport
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			return rep, fmt.Errorf("proxyload: %w", err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			return rep, err
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			return rep, fmt.Errorf("%s: %w", out, err)
		}
		// As for the client overhead: the median of the per-round ratios,
		// which drifts less than the totals' on a shared machine.
		for _, s := range append([]*proxySide{&rep.Proxy}, ptrs(rep.Others)...) {
			if len(s.RoundRatios) > 0 {
				s.Ratio = median(s.RoundRatios)
			}
		}
		return rep, nil
	}
	rep, err := run("proxy")
	if err != nil {
		return nil, err
	}
	label := fmt.Sprintf("proxy (%d clients, GETs, loopback, %s per side)", rep.Clients, o.proxyDuration)
	rps := func(s proxySide) string { return fmt.Sprintf("%.0f req/s", s.RPS) }
	lat := func(s proxySide) string { return fmtDur(s.P50us*1e3) + " / " + fmtDur(s.P99us*1e3) }
	names := map[string]string{"unix socket": "HTTP/1.1 clients on the Unix socket (--listen unix:PATH)"}
	rows := []Row{{Figure: label + ": HTTP/1.1 clients on TCP vs direct", Ours: rps(rep.Proxy), Baseline: rps(rep.Direct),
		Ratio: fmtRatio(rep.Proxy.Ratio), Target: "≥ 0.8×", Met: met(rep.Proxy.Ratio >= 0.8)}}
	for _, s := range rep.Others {
		rows = append(rows, Row{Figure: "proxy: " + names[s.Name] + " vs direct", Ours: rps(s), Baseline: rps(rep.Direct),
			Ratio: fmtRatio(s.Ratio), Target: "≥ 0.8×", Met: met(s.Ratio >= 0.8)})
	}
	cpu := fmtRatio(rep.Proxy.CPURatio) + " (HTTP/1.1 on TCP)"
	for _, s := range rep.Others {
		cpu += ", " + fmtRatio(s.CPURatio) + " (" + s.Name + ")"
	}
	rows = append(rows,
		Row{Figure: "proxy: CPU per request, direct ÷ via proxy", Ours: cpu, Baseline: "—", Ratio: "—",
			Target: "— (diagnostic: less swayed by other jobs)", Met: "—"},
		Row{Figure: "proxy: p50 / p99 latency, HTTP/1.1 on TCP vs direct", Ours: lat(rep.Proxy), Baseline: lat(rep.Direct),
			Ratio: fmtRatio(rep.Proxy.P50us / rep.Direct.P50us), Target: "— (reported)", Met: "—"})
	// The same with the platform 20 ms away, as a real one is: the hop's
	// CPU then hides behind the wait, which is where the proxy is used.
	far, err := run("proxy-latency", "-latency", o.proxyLatency.String())
	if err != nil {
		return rows, err
	}
	for _, s := range append([]proxySide{far.Proxy}, far.Others...) {
		name := "HTTP/1.1 clients on TCP"
		if s.Name != "" && s.Name != "proxy" {
			name = names[s.Name]
		}
		rows = append(rows, Row{Figure: fmt.Sprintf("proxy, platform %s away (-latency): %s vs direct", o.proxyLatency, name),
			Ours: rps(s), Baseline: rps(far.Direct), Ratio: fmtRatio(s.Ratio), Target: "— (diagnostic)", Met: "—"})
	}
	var errs int64
	for _, s := range append([]proxySide{rep.Direct, rep.Proxy, far.Direct, far.Proxy}, append(rep.Others, far.Others...)...) {
		errs += s.Errors
	}
	if errs > 0 {
		return rows, fmt.Errorf("%d requests failed", errs)
	}
	return rows, nil
}

func ptrs(ss []proxySide) []*proxySide {
	out := make([]*proxySide, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}
