// Command proxyload is the bounded loopback load test behind
// scripts/proxy-load.sh: it starts a sandbox on a loopback port, then drives
// it for a fixed time with N concurrent workers twice — direct signed calls
// (apiclient → sandbox) and unsigned calls through the signing proxy (plain
// net/http → proxy → sandbox) — and prints both rates and their ratio:
//
//	proxy throughput: direct N req/s, via proxy M req/s, ratio R (target ≥ 0.8): met|NOT met
//
// With -unix, the same proxy is also reached from clients on a Unix-domain
// socket, as a third side of the same alternating rounds, with a line of
// its own.
//
// Both sides use apiclient with the same settings (defaults, except a
// keep-alive pool sized to the concurrency) and the proxy logs every request
// through the redacting logger (to io.Discard), so the figure includes what
// production pays. Everything shares one machine, so the proxy's own CPU
// competes with the sandbox's: that is the cost being measured.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/bench"
	"github.com/lpdesk/lpdesk/logging"
	"github.com/lpdesk/lpdesk/proxy"
	"github.com/lpdesk/lpdesk/sandbox"
)

// Target is the ratio the proxy must reach.
const Target = 0.8

type config struct {
	Clients  int
	Duration time.Duration
	Rounds   int
	// Latency is added to every sandbox answer, standing in for a platform
	// across a network; 0 measures the proxy's CPU cost on loopback.
	Latency time.Duration
	Paths   []string // relative to the account base, requested round-robin
	// Unix adds a side: the proxy on a Unix-domain socket.
	Unix bool
}

type side struct {
	Requests int64
	Errors   int64
	First    string
	Elapsed  time.Duration
	// CPU is this process's user+system time while the side ran: all of
	// sandbox, proxy and clients, whatever else the machine was doing.
	CPU      time.Duration
	P50, P99 time.Duration
}

// cpuPerRequest is the CPU time one request cost the whole process.
func (s side) cpuPerRequest() time.Duration {
	if s.Requests == 0 {
		return 0
	}
	return s.CPU / time.Duration(s.Requests)
}

func (s side) rps() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Requests) / s.Elapsed.Seconds()
}

// result holds the direct side, the proxy over TCP loopback (HTTP/1.1
// clients) and the optional side (-unix).
type result struct {
	Direct, Proxy side
	Others        []other
	// per-round proxied ÷ direct rates
	roundRatios []float64
}

// other is an optional side: the proxy reached another way.
type other struct {
	Name        string // "unix socket"
	Side        side
	roundRatios []float64
}

func (r result) ratio() float64 { return ratio(r.Direct, r.Proxy) }

func ratio(direct, proxied side) float64 {
	if direct.rps() == 0 {
		return 0
	}
	return proxied.rps() / direct.rps()
}

func (r result) line() string { return throughputLine("proxy throughput", r.Direct, r.Proxy) }

// lines are line() and one line per optional side.
func (r result) lines() []string {
	out := []string{r.line()}
	for _, o := range r.Others {
		out = append(out, throughputLine("proxy throughput ("+o.Name+")", r.Direct, o.Side))
	}
	return out
}

func throughputLine(label string, direct, proxied side) string {
	verdict := "met"
	if ratio(direct, proxied) < Target {
		verdict = "NOT met"
	}
	return fmt.Sprintf("%s: direct %.0f req/s, via proxy %.0f req/s, ratio %.2f (target ≥ %.1f): %s",
		label, direct.rps(), proxied.rps(), ratio(direct, proxied), Target, verdict)
}

// Report is what -json writes, for bench/cmd/benchtable.
type Report struct {
	Clients  int
	Duration string
	Direct   sideReport
	// Proxy is the proxy on TCP with HTTP/1.1 clients; Others the
	// optional sides.
	Proxy  sideReport
	Others []sideReport
}

type sideReport struct {
	Name               string `json:",omitempty"`
	Requests, Errors   int64
	First              string `json:",omitempty"`
	RPS                float64
	P50us, P99us       float64
	CPUPerRequestMicro float64
	// Ratio is this side's rate ÷ direct's, CPURatio direct's CPU per
	// request ÷ this side's; RoundRatios are the per-round rate ratios.
	Ratio, CPURatio float64
	RoundRatios     []float64 `json:",omitempty"`
}

func reportOf(name string, s, direct side, rounds []float64) sideReport {
	return sideReport{Name: name, Requests: s.Requests, Errors: s.Errors, First: s.First, RPS: s.rps(),
		P50us: float64(s.P50) / 1e3, P99us: float64(s.P99) / 1e3, CPUPerRequestMicro: float64(s.cpuPerRequest()) / 1e3,
		Ratio: ratio(direct, s), CPURatio: cpuRatio(direct, s), RoundRatios: rounds}
}

func cpuRatio(direct, proxied side) float64 {
	if proxied.cpuPerRequest() == 0 {
		return 0
	}
	return float64(direct.cpuPerRequest()) / float64(proxied.cpuPerRequest())
}

func main() {
	var cfg config
	var paths string
	flag.IntVar(&cfg.Clients, "clients", 20, "concurrent workers per side")
	flag.DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long each side runs")
	flag.IntVar(&cfg.Rounds, "rounds", 5, "alternating rounds the duration is split into")
	flag.DurationVar(&cfg.Latency, "latency", 0, "delay added to every sandbox answer (simulated network round trip)")
	flag.StringVar(&paths, "paths", "skills/1,chat/availability?skill=Support&maxWaitTime=20,skills?limit=10", "comma-separated paths (relative to the account base), requested round-robin")
	flag.BoolVar(&cfg.Unix, "unix", false, "also measure the proxy listening on a Unix-domain socket (another side, in the same alternating rounds)")
	jsonOut := flag.String("json", "", "also write the results as JSON to `file`")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (sandbox, proxy and clients) to `file`")
	flag.Parse()
	cfg.Paths = strings.Split(paths, ",")
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "proxyload:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	res, err := run(context.Background(), cfg, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "proxyload:", err)
		os.Exit(1)
	}
	for _, l := range res.lines() {
		fmt.Println(l)
	}
	if *jsonOut != "" {
		if err := writeReport(*jsonOut, cfg, res); err != nil {
			fmt.Fprintln(os.Stderr, "proxyload:", err)
			os.Exit(1)
		}
	}
	if res.errors() > 0 {
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// run sets up sandbox and proxy on loopback, runs both sides one after the
// other and reports details to w.
func run(ctx context.Context, cfg config, w io.Writer) (result, error) {
	if cfg.Clients < 1 || cfg.Duration <= 0 || len(cfg.Paths) == 0 {
		return result{}, errors.New("need clients ≥ 1, a positive duration and at least one path")
	}
	cfg.Rounds = max(cfg.Rounds, 1)
	key, csecret := "proxyload-app", "cs-"+randomHex(16)
	logging.RegisterSecret(csecret)
	sc := sandbox.DemoConfig()
	sc.Apps = []sandbox.App{{Name: "proxy load", Key: key, Secret: csecret}}
	sb, err := sandbox.New(sc)
	if err != nil {
		return result{}, err
	}
	var platform http.Handler = sb
	if cfg.Latency > 0 {
		platform = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(cfg.Latency)
			sb.ServeHTTP(w, r)
		})
	}
	platformURL, stopPlatform, err := serve(platform)
	if err != nil {
		return result{}, err
	}
	defer stopPlatform()
	tok, tsecret, err := sb.InstallApp(key)
	if err != nil {
		return result{}, err
	}
	logging.RegisterSecret(tsecret)
	// Both apiclients get the same transport settings: apiclient's default
	// keeps 2 idle connections per host, so 20 workers would open and close
	// a TCP connection for most requests, both sides would measure that
	// churn, and 10 s of it fills the loopback port range with TIME_WAIT.
	newClient := func() (*apiclient.Client, error) {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = cfg.Clients
		tr.MaxIdleConns = 2 * cfg.Clients
		return apiclient.New(apiclient.Config{BaseURL: platformURL + sb.AccountPath(), AccountID: "12345678",
			Credentials: apiclient.Credentials{ConsumerKey: key, ConsumerSecret: csecret, Token: tok, TokenSecret: tsecret},
			Transport:   tr})
	}

	direct, err := newClient()
	if err != nil {
		return result{}, err
	}
	behind, err := newClient()
	if err != nil {
		return result{}, err
	}
	p, err := proxy.New(proxy.Config{Client: behind, Logger: logging.New(io.Discard, slog.LevelInfo)})
	if err != nil {
		return result{}, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	pctx, stopProxy := context.WithCancel(ctx)
	proxyDone := make(chan error, 1)
	go labelled("proxy on TCP", func() { proxyDone <- p.Serve(pctx, ln) })
	defer func() { stopProxy(); <-proxyDone }()
	proxyURL := "http://" + ln.Addr().String()
	plain := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Clients, MaxIdleConns: cfg.Clients}, Timeout: 30 * time.Second}
	viaProxy := func(hc *http.Client, base string) func(context.Context, string) error {
		return func(ctx context.Context, path string) error {
			req, err := http.NewRequestWithContext(ctx, "GET", base+"/"+path, nil)
			if err != nil {
				return err
			}
			return bench.Send(hc, req)
		}
	}
	proxyDo := viaProxy(plain, proxyURL)
	type extra struct {
		name string
		do   func(context.Context, string) error
	}
	var extras []extra
	if cfg.Unix {
		// The same proxy (one profile, one upstream client) serving a
		// socket too, as `lpdesk proxy --listen unix:PATH` does; clients
		// dial it the way curl --unix-socket does, Host: localhost.
		dir, err := os.MkdirTemp("", "proxyload-")
		if err != nil {
			return result{}, err
		}
		defer os.RemoveAll(dir)
		uln, err := proxy.ListenUnix(filepath.Join(dir, "proxy.sock"))
		if err != nil {
			return result{}, err
		}
		unixDone := make(chan error, 1)
		go labelled("proxy on the unix socket", func() { unixDone <- p.Serve(pctx, uln) })
		defer func() { stopProxy(); <-unixDone }()
		sock := uln.Addr().String()
		unixClient := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConnsPerHost: cfg.Clients, MaxIdleConns: cfg.Clients,
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, "unix", sock)
			}}}
		extras = append(extras, extra{"unix socket", viaProxy(unixClient, "http://localhost")})
	}

	directDo := func(ctx context.Context, path string) error {
		_, err := direct.Get(ctx, path, nil)
		return err
	}

	// A short warm-up of each path so that neither side pays for first
	// connections and lazy initialisation inside its measured window.
	for _, path := range cfg.Paths {
		if err := directDo(ctx, path); err != nil {
			return result{}, fmt.Errorf("direct %s: %w", path, err)
		}
		if err := proxyDo(ctx, path); err != nil {
			return result{}, fmt.Errorf("via proxy %s: %w", path, err)
		}
		for _, x := range extras {
			if err := x.do(ctx, path); err != nil {
				return result{}, fmt.Errorf("via proxy (%s) %s: %w", x.name, path, err)
			}
		}
	}

	fmt.Fprintf(w, "proxyload: %d clients, %s per side in %d alternating rounds, added latency %s, paths %s\n",
		cfg.Clients, cfg.Duration, cfg.Rounds, cfg.Latency, strings.Join(cfg.Paths, " "))
	// Alternating short rounds instead of one long run per side: on a
	// shared machine, background load then weighs on both sides alike.
	var res result
	round := cfg
	round.Duration = cfg.Duration / time.Duration(cfg.Rounds)
	var dl, pl []time.Duration
	res.Others = make([]other, len(extras))
	ol := make([][]time.Duration, len(extras))
	for range cfg.Rounds {
		d, l := load(ctx, round, "clients direct", directDo)
		res.Direct = res.Direct.add(d)
		dl = append(dl, l...)
		p, l := load(ctx, round, "clients of the proxy on TCP", proxyDo)
		res.Proxy = res.Proxy.add(p)
		pl = append(pl, l...)
		res.roundRatios = append(res.roundRatios, ratio(d, p))
		msg := fmt.Sprintf("proxyload: round: direct %.0f req/s, via proxy %.0f req/s", d.rps(), p.rps())
		for i, x := range extras {
			u, l := load(ctx, round, "clients of the proxy, "+x.name, x.do)
			o := &res.Others[i]
			o.Name, o.Side = x.name, o.Side.add(u)
			ol[i] = append(ol[i], l...)
			o.roundRatios = append(o.roundRatios, ratio(d, u))
			msg += fmt.Sprintf(", via proxy (%s) %.0f req/s", x.name, u.rps())
		}
		fmt.Fprintln(w, msg)
	}
	res.Direct.P50, res.Direct.P99 = percentiles(dl)
	res.Proxy.P50, res.Proxy.P99 = percentiles(pl)
	fmt.Fprintf(w, "proxyload: direct    %s\n", describe(res.Direct))
	fmt.Fprintf(w, "proxyload: via proxy %s\n", describe(res.Proxy))
	for i := range res.Others {
		o := &res.Others[i]
		o.Side.P50, o.Side.P99 = percentiles(ol[i])
		fmt.Fprintf(w, "proxyload: via proxy (%s) %s\n", o.Name, describe(o.Side))
	}
	if c := cpuRatio(res.Direct, res.Proxy); c > 0 {
		// Other jobs on the machine steal wall time from both sides
		// unevenly but change CPU per request much less: this approximates
		// the ratio a dedicated, CPU-bound machine would reach.
		fmt.Fprintf(w, "proxyload: CPU-bound capacity ratio (direct CPU per request / proxied CPU per request): %.2f", c)
		for _, o := range res.Others {
			fmt.Fprintf(w, "; %s %.2f", o.Name, cpuRatio(res.Direct, o.Side))
		}
		fmt.Fprintln(w)
	}
	return res, nil
}

func (r result) errors() int64 {
	n := r.Direct.Errors + r.Proxy.Errors
	for _, o := range r.Others {
		n += o.Side.Errors
	}
	return n
}

// writeReport writes the -json file.
func writeReport(path string, cfg config, r result) error {
	rep := Report{Clients: cfg.Clients, Duration: cfg.Duration.String(), Direct: reportOf("direct", r.Direct, r.Direct, nil),
		Proxy: reportOf("proxy", r.Proxy, r.Direct, r.roundRatios)}
	for _, o := range r.Others {
		rep.Others = append(rep.Others, reportOf(o.Name, o.Side, r.Direct, o.roundRatios))
	}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func (s side) add(o side) side {
	s.Requests += o.Requests
	s.Errors += o.Errors
	s.Elapsed += o.Elapsed
	s.CPU += o.CPU
	if s.First == "" {
		s.First = o.First
	}
	return s
}

func percentiles(lat []time.Duration) (p50, p99 time.Duration) {
	if len(lat) == 0 {
		return 0, 0
	}
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	return lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond)
}

func describe(s side) string {
	d := fmt.Sprintf("%d requests in %s (%.0f req/s), p50 %s, p99 %s, CPU %s per request, %d errors",
		s.Requests, s.Elapsed.Round(time.Millisecond), s.rps(), s.P50, s.P99, s.cpuPerRequest().Round(time.Microsecond), s.Errors)
	if s.First != "" {
		d += " (first: " + s.First + ")"
	}
	return d
}

// labelled runs f with a profiler label naming the part of the set-up it
// is: goroutines it starts (connections' readers and writers, a server's
// handlers) inherit it, so -cpuprofile's samples can be split by part
// (go tool pprof -tags).
func labelled(part string, f func()) {
	pprof.Do(context.Background(), pprof.Labels("part", part), func(context.Context) { f() })
}

// serve runs h on a loopback port.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go labelled("sandbox", func() { _ = hs.Serve(ln) })
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
	}, nil
}

// load runs cfg.Clients closed-loop workers for cfg.Duration and returns
// the counts and every completed request's latency.
func load(ctx context.Context, cfg config, label string, do func(context.Context, string) error) (side, []time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var (
		mu      sync.Mutex
		lat     []time.Duration
		n, errs atomic.Int64
		first   atomic.Value
		wg      sync.WaitGroup
	)
	start, cpu0 := time.Now(), processCPU()
	for i := range cfg.Clients {
		wg.Add(1)
		go labelled(label, func() {
			defer wg.Done()
			var mine []time.Duration
			for k := i; ctx.Err() == nil; k++ {
				t0 := time.Now()
				err := do(ctx, cfg.Paths[k%len(cfg.Paths)])
				if ctx.Err() != nil {
					break // cut off by the deadline: not a completed request
				}
				n.Add(1)
				mine = append(mine, time.Since(t0))
				if err != nil {
					errs.Add(1)
					first.CompareAndSwap(nil, logging.RedactString(err.Error()))
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	s := side{Requests: n.Load(), Errors: errs.Load(), Elapsed: time.Since(start), CPU: processCPU() - cpu0}
	if f, ok := first.Load().(string); ok {
		s.First = f
	}
	return s, lat
}
