// Command largefetch is lpdesk's side of figure 3, in a process of its own
// so that /usr/bin/time's peak RSS compares with jq's and xmllint's: it
// fetches a resource with apiclient (signed), then pretty-prints it to
// stdout and extracts its links in one apiclient.WritePretty call, as a
// caller that shows a body does (Request.NoLinks spares Do its own pass). A
// summary goes to stderr.
//
// With -dump FILE it writes the body as received instead, for the peers to
// read the same bytes. With -breakdown it times the stages one by one (the
// server answering and the transfer, then links and pretty-printing) and
// prints them as JSON, to show where the time goes.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// exit is the status main ends with; os.Exit is avoided inside main so
// that the deferred profile writers run.
var exit int

func main() {
	defer func() { os.Exit(exit) }()
	targetFile := flag.String("target", "", "target file written by benchserver")
	path := flag.String("path", "users", "resource path below the account base")
	format := flag.String("format", "json", "json or xml")
	dump := flag.String("dump", "", "write the raw body to this file instead of pretty-printing")
	breakdown := flag.Bool("breakdown", false, "instead, time each stage on its own and print one JSON line")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	memprofile := flag.String("memprofile", "", "write an allocation profile of the run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(pf)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "largefetch: %v\n", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *memprofile != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			runtime.GC() // the profile only covers allocations up to the last GC
			if pf, err := os.Create(*memprofile); err == nil {
				_ = pprof.Lookup("allocs").WriteTo(pf, 0)
				pf.Close()
			}
		}()
	}
	if err := fetch(*targetFile, *path, *format, *dump, *breakdown); err != nil {
		fmt.Fprintf(os.Stderr, "largefetch: %v\n", err)
		exit = 1
	}
}

// fetch reads the format and the target, then fetches path whole (run) or
// stage by stage.
func fetch(targetFile, path, format, dump string, breakdown bool) error {
	f, err := wire.ParseFormat(format)
	if err != nil {
		return err
	}
	t, err := readTarget(targetFile)
	if err != nil {
		return err
	}
	if breakdown {
		return stages(t, path, f)
	}
	return run(t, path, f, dump)
}

// target is the file benchserver writes (bench.Target's JSON), read here
// rather than through package bench, which would link the whole sandbox
// into this process and add its start-up memory to the peak RSS measured.
type target struct {
	BaseURL     string                `json:"baseURL"`
	Credentials apiclient.Credentials `json:"credentials"`
}

func readTarget(path string) (target, error) {
	var t target
	data, err := os.ReadFile(path)
	if err != nil {
		return t, err
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return t, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// client is bench.Target.Client: the demo account, no retries.
func (t target) client(cfg apiclient.Config) (*apiclient.Client, error) {
	cfg.BaseURL, cfg.AccountID, cfg.Credentials, cfg.MaxRetries = t.BaseURL, "12345678", t.Credentials, -1
	return apiclient.New(cfg)
}

func run(t target, path string, f wire.Format, dump string) error {
	// The cost curve goes past the default 64 MiB body limit.
	c, err := t.client(apiclient.Config{Format: f, Timeout: time.Minute, MaxBodySize: 1 << 30})
	if err != nil {
		return err
	}
	start := time.Now()
	resp, err := c.Do(context.Background(), &apiclient.Request{Method: http.MethodGet, Path: path, NoLinks: true})
	if err != nil {
		return err
	}
	if dump != "" {
		return os.WriteFile(dump, resp.Body, 0o644)
	}
	fetched := time.Since(start)
	out := &countingWriter{w: os.Stdout}
	links, err := apiclient.WritePretty(out, resp.Body, resp.Format)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "largefetch: %d bytes %s, %d links, fetched in %s, pretty %d bytes, total %s\n",
		len(resp.Body), resp.Format, len(links), fetched.Round(time.Millisecond), out.n,
		time.Since(start).Round(time.Millisecond))
	return nil
}

// countingWriter counts what goes through it.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

// Stages is what -breakdown prints: seconds per stage.
type Stages struct {
	Bytes          int     `json:"bytes"`
	ServerAndWire  float64 `json:"server_and_wire_s"`
	Wire           float64 `json:"wire_s"` // from benchserver's snapshot
	PrettyAndLinks float64 `json:"pretty_and_links_s"`
	LinkCount      int     `json:"link_count"`
}

func stages(t target, path string, f wire.Format) error {
	// The body by plain net/http (the sandbox also takes appKey calls):
	// first the sandbox's own answer (benchserver's snapshot bypassed), the
	// time the server takes to answer plus the transfer, without anything
	// the client does; then the transfer alone, from the snapshot.
	var s Stages
	var body []byte
	for _, fresh := range []bool{true, false} {
		t0 := time.Now()
		b, err := plainGet(t, path, f, fresh)
		if err != nil {
			return err
		}
		if fresh {
			s.ServerAndWire = time.Since(t0).Seconds()
		} else {
			s.Wire = time.Since(t0).Seconds()
		}
		body = b
	}
	s.Bytes = len(body)
	t0 := time.Now()
	links, err := apiclient.WritePretty(io.Discard, body, f)
	if err != nil {
		return err
	}
	s.PrettyAndLinks, s.LinkCount = time.Since(t0).Seconds(), len(links)
	return json.NewEncoder(os.Stdout).Encode(s)
}

func plainGet(t target, path string, f wire.Format, fresh bool) ([]byte, error) {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	req, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(t.BaseURL, "/")+"/"+path+sep+"v=1", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", f.ContentType())
	req.Header.Set("Authorization", "LivePerson appKey="+t.Credentials.ConsumerKey)
	if fresh {
		req.Header.Set("X-Bench-Fresh", "1")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return body, nil
}
