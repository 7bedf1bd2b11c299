package main

import (
	"bytes"
	"context"
	"regexp"
	"runtime"
	"testing"
	"time"
)

// TestRunBriefly checks that the load test works end to end and prints its
// line; the figures themselves are not asserted (no timing in go test).
func TestRunBriefly(t *testing.T) {
	var log bytes.Buffer
	res, err := run(context.Background(), config{Clients: 2, Duration: 200 * time.Millisecond, Rounds: 2,
		Paths: []string{"skills/1", "chat/availability?skill=Support&maxWaitTime=20"}, Unix: runtime.GOOS != "windows"}, &log)
	if err != nil {
		t.Fatal(err)
	}
	if res.Direct.Requests == 0 || res.Proxy.Requests == 0 {
		t.Fatalf("no requests completed: %+v\n%s", res, log.String())
	}
	if res.Direct.Errors != 0 || res.Proxy.Errors != 0 {
		t.Fatalf("errors: direct %q, proxy %q", res.Direct.First, res.Proxy.First)
	}
	for _, o := range res.Others {
		if o.Side.Requests == 0 || o.Side.Errors != 0 {
			t.Errorf("side %s: %d requests, %d errors (%s)", o.Name, o.Side.Requests, o.Side.Errors, o.Side.First)
		}
	}
	if want := map[bool]int{true: 0, false: 1}[runtime.GOOS == "windows"]; len(res.Others) != want {
		t.Errorf("%d optional sides, want %d", len(res.Others), want)
	}
	re := regexp.MustCompile(`^proxy throughput: direct \d+ req/s, via proxy \d+ req/s, ratio \d+\.\d\d \(target ≥ 0\.8\): (met|NOT met)$`)
	if line := res.line(); !re.MatchString(line) {
		t.Fatalf("line %q does not have the documented shape", line)
	}
}
