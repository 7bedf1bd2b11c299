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
	target := filepath.Join(dir, "target.json")
	cmd := exec.Command(filepath.Join(bin, "benchserver"), "-records", strconv.Itoa(records), "-target", target, "-max-life", "5m")
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

// runLarge is figure 3: a 20 MB JSON and a 20 MB XML users collection
// fetched from a sandbox in another process, pretty-printed and its links
// extracted by largefetch, against jq . and xmllint --format on the same
// bytes read from a file. Runs alternate between ours and the peer.
func runLarge(o *opts, log io.Writer) ([]Row, error) {
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
	for _, f := range []wire.Format{wire.JSON, wire.XML} {
		rs, err := largeOne(o, log, bin, dir, f)
		rows = append(rows, rs...)
		if err != nil {
			return rows, fmt.Errorf("%s: %w", f, err)
		}
	}
	return rows, nil
}

func largeOne(o *opts, log io.Writer, bin, dir string, f wire.Format) ([]Row, error) {
	records, err := calibrate(o, f)
	if err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	srv, err := startServer(bin, dir, records, log)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	fetch := []string{filepath.Join(bin, "largefetch"), "-target", srv.target, "-path", largePath, "-format", string(f)}
	file := filepath.Join(dir, "large"+f.Ext())
	dump := exec.Command(fetch[0], append(fetch[1:], "-dump", file)...)
	dump.Stdout, dump.Stderr = log, log
	if err := dump.Run(); err != nil {
		return nil, fmt.Errorf("fetch the body for the peers: %w", err)
	}
	st, err := os.Stat(file)
	if err != nil {
		return nil, err
	}
	body := st.Size()
	peerName, peer := "jq .", []string{o.jq, ".", file}
	if f == wire.XML {
		peerName, peer = "xmllint --format", []string{o.xmllint, "--format", file}
	}
	var ours, theirs []timed
	for run := range o.largeRuns {
		a, err := runTimed(o, dir, log, fetch...)
		if err != nil {
			return nil, err
		}
		b, err := runTimed(o, dir, log, peer...)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "%s run %d: ours %s %s, %s %s %s\n", f, run+1, a.wall.Round(time.Millisecond), fmtMB(float64(a.rss)),
			peerName, b.wall.Round(time.Millisecond), fmtMB(float64(b.rss)))
		ours, theirs = append(ours, a), append(theirs, b)
	}
	a, b := medianTimed(ours), medianTimed(theirs)
	var stg struct {
		Server float64 `json:"server_and_wire_s"`
		Links  float64 `json:"links_s"`
		Pretty float64 `json:"pretty_s"`
	}
	breakdown := "—"
	if out, err := exec.Command(fetch[0], append(fetch[1:], "-breakdown")...).Output(); err != nil {
		fmt.Fprintf(log, "%s breakdown: %v\n", f, err)
	} else if err := json.Unmarshal(out, &stg); err == nil {
		fmt.Fprintf(log, "%s breakdown: %s", f, out)
		breakdown = fmt.Sprintf("sandbox answer + transfer %s, links %s, pretty-print %s",
			fmtDur(stg.Server*1e9), fmtDur(stg.Links*1e9), fmtDur(stg.Pretty*1e9))
	}
	name := strings.ToUpper(string(f))
	label := fmt.Sprintf("%s %s (GET %s, %d users): fetch + pretty-print + links", fmtMB(float64(body)), name, largePath, records-records*3/8)
	tr := float64(a.wall) / float64(b.wall)
	mr := float64(a.rss) / float64(body)
	return []Row{
		{Figure: label + ": time vs " + peerName,
			Ours: fmtDur(float64(a.wall)), Baseline: fmtDur(float64(b.wall)) + " (" + peerName + " of the file)",
			Ratio: fmtRatio(tr), Target: "< 1×", Met: met(tr < 1)},
		{Figure: name + ": peak RSS vs body size",
			Ours: fmtMB(float64(a.rss)), Baseline: fmt.Sprintf("body %s (%s: %s)", fmtMB(float64(body)), peerName, fmtMB(float64(b.rss))),
			Ratio: fmtRatio(mr), Target: "≤ 4×", Met: met(mr <= 4)},
		{Figure: name + ": where our time goes (each stage alone)", Ours: breakdown, Baseline: "—", Ratio: "—",
			Target: "— (diagnostic)", Met: "—"},
	}, nil
}
