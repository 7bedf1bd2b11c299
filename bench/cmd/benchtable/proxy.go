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
	Clients                int
	Direct, Proxy          proxySide
	Unix                   *proxySide
	Ratio, UnixRatio       float64
	CPURatio, UnixCPURatio float64
}

type proxySide struct {
	Requests, Errors int64
	First            string
	RPS              float64
	P50us, P99us     float64
}

// runProxy is figure 7: `lpdesk proxy` against direct signed calls on
// loopback, by proxy/internal/proxyload (what scripts/proxy-load.sh runs):
// alternating rounds of direct calls, calls through the proxy on TCP and,
// where there are Unix sockets, through the proxy on a Unix socket.
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
	out := filepath.Join(o.out, "proxy.json")
	args := []string{"-clients", fmt.Sprint(o.proxyClients), "-duration", o.proxyDuration.String(),
		"-rounds", fmt.Sprint(o.proxyRounds), "-json", out}
	if runtime.GOOS != "windows" {
		args = append(args, "-unix")
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("proxyload: %w", err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	var rep proxyReport
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", out, err)
	}
	label := fmt.Sprintf("proxy (%d clients, GETs, loopback, %s per side)", rep.Clients, o.proxyDuration)
	rps := func(s proxySide) string { return fmt.Sprintf("%.0f req/s", s.RPS) }
	lat := func(s proxySide) string { return fmtDur(s.P50us*1e3) + " / " + fmtDur(s.P99us*1e3) }
	rows := []Row{
		{Figure: label + ": via proxy on TCP vs direct", Ours: rps(rep.Proxy), Baseline: rps(rep.Direct),
			Ratio: fmtRatio(rep.Ratio), Target: "≥ 0.8×", Met: met(rep.Ratio >= 0.8)},
	}
	if rep.Unix != nil {
		rows = append(rows, Row{Figure: "proxy: via proxy on a Unix socket vs direct", Ours: rps(*rep.Unix), Baseline: rps(rep.Direct),
			Ratio: fmtRatio(rep.UnixRatio), Target: "≥ 0.8×", Met: met(rep.UnixRatio >= 0.8)})
	}
	cpu, cpuLabel := fmtRatio(rep.CPURatio), "TCP"
	if rep.Unix != nil {
		cpu, cpuLabel = cpu+" / "+fmtRatio(rep.UnixCPURatio), "TCP / Unix socket"
	}
	rows = append(rows,
		Row{Figure: "proxy: CPU per request, direct ÷ via proxy (" + cpuLabel + ")", Ours: cpu, Baseline: "—", Ratio: "—",
			Target: "— (diagnostic: less swayed by other jobs)", Met: "—"},
		Row{Figure: "proxy: p50 / p99 latency, via proxy on TCP vs direct", Ours: lat(rep.Proxy), Baseline: lat(rep.Direct),
			Ratio: fmtRatio(rep.Proxy.P50us / rep.Direct.P50us), Target: "— (reported)", Met: "—"})
	var errs int64
	for _, s := range []*proxySide{&rep.Direct, &rep.Proxy, rep.Unix} {
		if s != nil {
			errs += s.Errors
		}
	}
	if errs > 0 {
		return rows, fmt.Errorf("%d requests failed", errs)
	}
	return rows, nil
}
