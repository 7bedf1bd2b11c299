// Command largefetch is lpdesk's side of figure 3, in a process of its own
// so that /usr/bin/time's peak RSS compares with jq's and xmllint's: it
// fetches a resource with apiclient (signed, links extracted as every
// response's are), pretty-prints it as the viewer would and writes the
// result to stdout. A summary goes to stderr.
//
// With -dump FILE it writes the body as received instead, for the peers to
// read the same bytes. With -breakdown it times the stages one by one (the
// server answering and the transfer, link extraction, pretty-printing) and
// prints them as JSON, to show where the time goes.
package main

import (
	"bufio"
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
	"github.com/lpdesk/lpdesk/bench"
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
	var err error
	if *breakdown {
		err = stages(*targetFile, *path, *format)
	} else {
		err = run(*targetFile, *path, *format, *dump)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "largefetch: %v\n", err)
		exit = 1
	}
}

// target reads the target file and the format asked for.
func target(targetFile, format string) (bench.Target, wire.Format, error) {
	f, err := wire.ParseFormat(format)
	if err != nil {
		return bench.Target{}, "", err
	}
	t, err := bench.ReadTarget(targetFile)
	return t, f, err
}

func run(targetFile, path, format, dump string) error {
	t, f, err := target(targetFile, format)
	if err != nil {
		return err
	}
	c, err := t.Client(apiclient.Config{Format: f, Timeout: time.Minute})
	if err != nil {
		return err
	}
	start := time.Now()
	resp, err := c.Get(context.Background(), path, nil)
	if err != nil {
		return err
	}
	if dump != "" {
		return os.WriteFile(dump, resp.Body, 0o644)
	}
	fetched := time.Since(start)
	pretty, err := apiclient.PrettyPrint(resp.Body, resp.Format)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	if _, err := w.Write(pretty); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "largefetch: %d bytes %s, %d links, fetched in %s, pretty %d bytes, total %s\n",
		len(resp.Body), resp.Format, len(resp.Links), fetched.Round(time.Millisecond), len(pretty),
		time.Since(start).Round(time.Millisecond))
	return nil
}

// Stages is what -breakdown prints: seconds per stage.
type Stages struct {
	Bytes         int     `json:"bytes"`
	ServerAndWire float64 `json:"server_and_wire_s"`
	Links         float64 `json:"links_s"`
	Pretty        float64 `json:"pretty_s"`
	LinkCount     int     `json:"link_count"`
}

func stages(targetFile, path, format string) error {
	t, f, err := target(targetFile, format)
	if err != nil {
		return err
	}
	// The body by plain net/http (the sandbox also takes appKey calls): the
	// time the server takes to answer plus the transfer, without anything
	// the client does.
	req, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(t.BaseURL, "/")+"/"+path+"?v=1", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", f.ContentType())
	req.Header.Set("Authorization", "LivePerson appKey="+t.Credentials.ConsumerKey)
	t0 := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	var s Stages
	s.Bytes, s.ServerAndWire = len(body), time.Since(t0).Seconds()
	t0 = time.Now()
	links, err := wire.ExtractLinks(body, f)
	if err != nil {
		return err
	}
	s.Links, s.LinkCount = time.Since(t0).Seconds(), len(links)
	t0 = time.Now()
	if _, err := apiclient.PrettyPrint(body, f); err != nil {
		return err
	}
	s.Pretty = time.Since(t0).Seconds()
	return json.NewEncoder(os.Stdout).Encode(s)
}
