package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/bench"
)

// largePath is the collection that grows with the seeded records.
const largePath = "users"

// buildTools builds the helper binaries into out/bin once per run.
func buildTools(o *opts, log io.Writer) (string, error) {
	bin, err := filepath.Abs(filepath.Join(o.out, "bin"))
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./bench/cmd/largefetch", "./bench/cmd/benchserver")
	cmd.Dir, cmd.Stdout, cmd.Stderr = o.root, log, log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build largefetch and benchserver: %w", err)
	}
	return bin, nil
}

// calibrate finds how many seeded records make the users collection
// o.largeBytes long in format f: it measures a small sandbox and scales,
// since the listing grows linearly with the records.
func calibrate(o *opts, f wire.Format) (int, error) {
	const probe = 16000
	l, err := bench.StartLocal(probe)
	if err != nil {
		return 0, err
	}
	defer l.Close()
	c, err := l.Client(apiclient.Config{Format: f})
	if err != nil {
		return 0, err
	}
	r, err := c.Get(context.Background(), largePath, nil)
	if err != nil {
		return 0, err
	}
	per := float64(len(r.Body)) / probe
	return int(float64(o.largeBytes)/per*1.002) + 1, nil
}

// server is a running benchserver.
type server struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	target string
}

func startServer(bin, dir string, records int, log io.Writer) (*server, error) {
	return startBenchserver(filepath.Join(bin, "benchserver"), dir, log, "-records", strconv.Itoa(records), "-max-life", "5m")
}

// startBenchserver starts the benchserver at path with args, its target
// file in dir, and waits for its "ready" line.
func startBenchserver(path, dir string, log io.Writer, args ...string) (*server, error) {
	target := filepath.Join(dir, "target.json")
	cmd := exec.Command(path, append(args, "-target", target)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, stdin: stdin, target: target}
	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err == nil && strings.TrimSpace(line) != "ready" {
			err = fmt.Errorf("benchserver said %q", line)
		}
		ready <- err
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case err := <-ready:
		if err != nil {
			s.stop()
			return nil, fmt.Errorf("benchserver: %w", err)
		}
	case <-time.After(2 * time.Minute):
		s.stop()
		return nil, fmt.Errorf("benchserver not ready after 2 minutes")
	}
	return s, nil
}

// stop closes the server's stdin, which makes it shut down, and waits.
func (s *server) stop() {
	s.stdin.Close()
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// timed is one run: wall time and peak RSS.
type timed struct {
	wall time.Duration
	rss  int64 // bytes
}

// runTimed runs argv under GNU time with stdout discarded, so the tool's
// output costs the same for everyone, and returns wall time and max RSS.
func runTimed(o *opts, dir string, log io.Writer, argv ...string) (timed, error) {
	tf := filepath.Join(dir, "time.out")
	args := append([]string{"-f", "%e %M", "-o", tf}, argv...)
	cmd := exec.Command(o.timeBin, args...)
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return timed{}, err
	}
	defer devnull.Close()
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = devnull, &stderr
	t0 := time.Now()
	err = cmd.Run()
	wall := time.Since(t0)
	log.Write(stderr.Bytes())
	if err != nil {
		return timed{}, fmt.Errorf("%s: %w", filepath.Base(argv[0]), err)
	}
	data, err := os.ReadFile(tf)
	if err != nil {
		return timed{}, err
	}
	fields := strings.Fields(string(data))
	if len(fields) < 2 {
		return timed{}, fmt.Errorf("unexpected time output %q", data)
	}
	kb, err := strconv.ParseInt(fields[len(fields)-1], 10, 64)
	if err != nil {
		return timed{}, fmt.Errorf("time output %q: %w", data, err)
	}
	return timed{wall: wall, rss: kb * 1024}, nil
}

func medianTimed(ts []timed) timed {
	w := make([]float64, len(ts))
	r := make([]float64, len(ts))
	for i, t := range ts {
		w[i], r[i] = float64(t.wall), float64(t.rss)
	}
	return timed{wall: time.Duration(median(w)), rss: int64(median(r))}
}

// largeFormat is what one format of figure 3 measures against: its peer,
// the peer's command line for a file, and the targets from the issue.
type largeFormat struct {
	f          wire.Format
	peerName   string
	peer       func(o *opts, file string) []string
	timeTarget float64 // ours ÷ peer, at most
	rssTarget  float64 // peak RSS ÷ body, at most
}

var largeFormats = []largeFormat{
	{wire.JSON, "jq .", func(o *opts, file string) []string { return []string{o.jq, ".", file} }, 0.5, 2.5},
	{wire.XML, "xmllint --format", func(o *opts, file string) []string { return []string{o.xmllint, "--format", file} }, 1, 3},
}

// rssJudgedFrom is the smallest body whose peak RSS is held to the target:
// below it the process's fixed cost (the Go runtime and the binary, about
// 10 MB) dominates, so the row reports it and the slope row judges how
// memory grows.
const rssJudgedFrom = 5_000_000

// largePoint is one size of the cost curve: medians of ours and the peer.
type largePoint struct {
	body       int64
	limit      int
	ours, peer timed
}

// runLarge is figure 3, the cost curve: GET users?limit=N from a sandbox in
// another process, sized to each of -large-sizes, fetched, pretty-printed
// and its links extracted by largefetch, against jq . and xmllint --format
// on the same bytes read from a file; then a least-squares line through
// the points. Runs alternate between ours and the peer.
func runLarge(o *opts, log io.Writer) ([]Row, error) {
	sizes, err := parseSizes(o.largeSizes)
	if err != nil {
		return nil, err
	}
	bin, err := buildTools(o, log)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "lpdesk-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var rows []Row
	for _, lf := range largeFormats {
		rs, err := largeCurve(o, log, bin, dir, lf, sizes)
		rows = append(rows, rs...)
		if err != nil {
			return rows, fmt.Errorf("%s: %w", lf.f, err)
		}
	}
	return rows, nil
}

// parseSizes reads "1,10,100" (MB, 10^6 bytes) into ascending byte counts.
func parseSizes(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		mb, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || mb <= 0 {
			return nil, fmt.Errorf("-large-sizes: %q is not a size in MB", f)
		}
		out = append(out, int64(mb*1e6))
	}
	slices.Sort(out)
	return out, nil
}

// largeCurve measures one format at every size against one sandbox, seeded
// for the largest size; each size is a limit on the users listing.
func largeCurve(o *opts, log io.Writer, bin, dir string, lf largeFormat, sizes []int64) ([]Row, error) {
	f := lf.f
	big := sizes[len(sizes)-1]
	co := *o
	co.largeBytes = int(float64(big) * 1.1) // room for the users' longer ids and the first user
	records, err := calibrate(&co, f)
	if err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	srv, err := startServer(bin, dir, records, log)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	users := records - records*3/8
	fetch := func(limit int) []string {
		// offset=1: past the first user, who holds every skill (4% of the
		// whole listing), so that the body grows evenly with the limit.
		return []string{filepath.Join(bin, "largefetch"), "-target", srv.target, "-path", fmt.Sprintf("%s?offset=1&limit=%d", largePath, limit), "-format", string(f)}
	}
	var points []largePoint
	var rows []Row
	for _, size := range sizes {
		limit := max(1, int(float64(users)*float64(size)/float64(co.largeBytes)))
		file := filepath.Join(dir, "large"+f.Ext())
		body, err := dumpBody(fetch(limit), file, log)
		if err != nil {
			return rows, err
		}
		// Users grow a little with their ids, so scale the limit until
		// the body is within 2% of the size.
		for try := 0; try < 5; try++ {
			r := float64(size) / float64(body)
			if r >= 0.98 && r <= 1.02 {
				break
			}
			limit = min(users, max(1, int(float64(limit)*r)))
			if body, err = dumpBody(fetch(limit), file, log); err != nil {
				return rows, err
			}
		}
		runs := o.largeRuns
		if size >= 50_000_000 {
			runs = max(1, (runs+1)/2) // the largest size costs most, and varies least
		}
		var ours, theirs []timed
		for run := range runs {
			a, err := runTimed(o, dir, log, fetch(limit)...)
			if err != nil {
				return rows, err
			}
			b, err := runTimed(o, dir, log, lf.peer(o, file)...)
			if err != nil {
				return rows, err
			}
			fmt.Fprintf(log, "%s %s run %d: ours %s %s, %s %s %s\n", f, fmtMB(float64(body)), run+1, a.wall.Round(time.Millisecond), fmtMB(float64(a.rss)),
				lf.peerName, b.wall.Round(time.Millisecond), fmtMB(float64(b.rss)))
			ours, theirs = append(ours, a), append(theirs, b)
		}
		p := largePoint{body: body, limit: limit, ours: medianTimed(ours), peer: medianTimed(theirs)}
		points = append(points, p)
		rows = append(rows, lf.pointRow(p))
	}
	rows = append(rows, lf.slopeRow(points), breakdownRow(f, fetch(points[len(points)-1].limit), points[len(points)-1].body, log))
	return rows, nil
}

// dumpBody fetches the body once into file, for the peers to read the same
// bytes, and returns its size.
func dumpBody(fetch []string, file string, log io.Writer) (int64, error) {
	dump := exec.Command(fetch[0], append(fetch[1:], "-dump", file)...)
	dump.Stdout, dump.Stderr = log, log
	if err := dump.Run(); err != nil {
		return 0, fmt.Errorf("fetch the body for the peers: %w", err)
	}
	st, err := os.Stat(file)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// pointRow is one size: time against the peer's, peak RSS against the body.
func (lf largeFormat) pointRow(p largePoint) Row {
	name := strings.ToUpper(string(lf.f))
	tr := float64(p.ours.wall) / float64(p.peer.wall)
	mr := float64(p.ours.rss) / float64(p.body)
	judgeRSS := p.body >= rssJudgedFrom
	target := fmt.Sprintf("time ≤ %g×, RSS ≤ %g× body", lf.timeTarget, lf.rssTarget)
	if !judgeRSS {
		target = fmt.Sprintf("time ≤ %g× (RSS reported: fixed cost)", lf.timeTarget)
	}
	var missed []string
	if tr > lf.timeTarget {
		missed = append(missed, "time")
	}
	if judgeRSS && mr > lf.rssTarget {
		missed = append(missed, "RSS")
	}
	verdict := "yes"
	if len(missed) > 0 {
		verdict = "**no** (" + strings.Join(missed, ", ") + ")"
	}
	return Row{
		Figure:   fmt.Sprintf("%s %s (GET %s?offset=1&limit=%d): fetch + pretty-print + links vs %s", name, fmtMB(float64(p.body)), largePath, p.limit, lf.peerName),
		Ours:     fmt.Sprintf("%s, peak RSS %s", fmtDur(float64(p.ours.wall)), fmtMB(float64(p.ours.rss))),
		Baseline: fmt.Sprintf("%s, peak RSS %s (%s of the file)", fmtDur(float64(p.peer.wall)), fmtMB(float64(p.peer.rss)), lf.peerName),
		Ratio:    fmt.Sprintf("time %s, RSS %s body", fmtRatio(tr), fmtRatio(mr)),
		Target:   target,
		Met:      verdict,
	}
}

// slopeRow is the cost curve's least-squares line: time and peak RSS per
// MB of body, ours and the peer's, with r² saying how straight it is.
func (lf largeFormat) slopeRow(ps []largePoint) Row {
	name := strings.ToUpper(string(lf.f))
	x := make([]float64, len(ps))
	var ot, pt, om, pm []float64
	var mbs []string
	for i, p := range ps {
		x[i] = float64(p.body) / 1e6
		ot, pt = append(ot, p.ours.wall.Seconds()), append(pt, p.peer.wall.Seconds())
		om, pm = append(om, float64(p.ours.rss)/1e6), append(pm, float64(p.peer.rss)/1e6)
		mbs = append(mbs, fmt.Sprintf("%.0f", x[i]))
	}
	if len(ps) < 2 {
		return Row{Figure: name + ": cost per MB", Ours: "needs two sizes or more", Baseline: "—", Ratio: "—", Target: "—", Met: "—"}
	}
	oT, pT, oM, pM := fitLine(x, ot), fitLine(x, pt), fitLine(x, om), fitLine(x, pm)
	tr := oT.slope / pT.slope
	ok := tr <= lf.timeTarget && oM.slope <= lf.rssTarget
	return Row{
		Figure: fmt.Sprintf("%s: cost per MB of body (least-squares line over %s MB)", name, strings.Join(mbs, ", ")),
		Ours: fmt.Sprintf("%s/MB %+.0f ms (r² %.3f); RSS %.2f MB/MB %+.1f MB (r² %.3f)",
			fmtDur(oT.slope*1e9), oT.icept*1e3, oT.r2, oM.slope, oM.icept, oM.r2),
		Baseline: fmt.Sprintf("%s: %s/MB %+.0f ms; RSS %.2f MB/MB %+.1f MB", lf.peerName,
			fmtDur(pT.slope*1e9), pT.icept*1e3, pM.slope, pM.icept),
		Ratio:  fmt.Sprintf("time slope %s, RSS slope %.2f× body", fmtRatio(tr), oM.slope),
		Target: fmt.Sprintf("time slope ≤ %g×, RSS slope ≤ %g×", lf.timeTarget, lf.rssTarget),
		Met:    met(ok),
	}
}

// breakdownRow times our stages alone at one size: the sandbox's answer and
// the transfer (plain net/http), then links and indentation (WritePretty).
func breakdownRow(f wire.Format, fetch []string, body int64, log io.Writer) Row {
	name := strings.ToUpper(string(f))
	var stg struct {
		Server float64 `json:"server_and_wire_s"`
		Wire   float64 `json:"wire_s"`
		Pretty float64 `json:"pretty_and_links_s"`
	}
	breakdown := "—"
	if out, err := exec.Command(fetch[0], append(fetch[1:], "-breakdown")...).Output(); err != nil {
		fmt.Fprintf(log, "%s breakdown: %v\n", f, err)
	} else if err := json.Unmarshal(out, &stg); err == nil {
		fmt.Fprintf(log, "%s breakdown: %s", f, out)
		breakdown = fmt.Sprintf("sandbox rendering + transfer %s; transfer of the snapshot %s; links + pretty-print %s",
			fmtDur(stg.Server*1e9), fmtDur(stg.Wire*1e9), fmtDur(stg.Pretty*1e9))
	}
	return Row{Figure: fmt.Sprintf("%s %s: where our time goes (each stage alone)", name, fmtMB(float64(body))), Ours: breakdown,
		Baseline: "—", Ratio: "—", Target: "— (diagnostic)", Met: "—"}
}
