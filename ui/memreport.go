//go:build lpdesk_testdrivers

package ui

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"strings"
	"time"
)

// memLine is the process's memory, for the benchmark: resident in all,
// anonymous and file-backed (from /proc/self/status), and of the
// anonymous part what the Go runtime holds (its mappings less what it
// returned to the system) and of that the heap in use; what remains of
// the anonymous memory is C's (GLFW, X, Mesa). All in kB.
func memLine() string {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	status, _ := os.ReadFile("/proc/self/status")
	field := func(name string) int64 {
		for _, l := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(l, name+":"); ok {
				n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				return n
			}
		}
		return 0
	}
	return fmt.Sprintf("rss %d anon %d file %d gosys %d goheap %d", field("VmRSS"), field("RssAnon"), field("RssFile"),
		(m.Sys-m.HeapReleased)/1024, m.HeapInuse/1024)
}

// startMemReport prints a "LPDESK_MEM" memLine every second
// (LPDESK_TEST_MEMREPORT=1): the benchmark reads the last one when it
// reads the idle window's memory from outside.
func startMemReport() {
	go func() {
		for range time.Tick(time.Second) {
			fmt.Printf("LPDESK_MEM %s\n", memLine())
		}
	}()
}

// startCPUProfile writes a CPU profile of the whole run to file
// (LPDESK_TEST_CPUPROFILE=FILE), ended by SIGUSR1, and a heap profile to
// FILE.heapN at the Nth SIGUSR1: for finding what the UI goroutine does
// during a stall, and what the heap holds.
func startCPUProfile(file string) {
	f, err := os.Create(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cpu profile:", err)
		return
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "cpu profile:", err)
		return
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, profileSignal)
	go func() {
		for n := 1; ; n++ {
			<-stop
			if n == 1 {
				pprof.StopCPUProfile()
				f.Close()
			}
			if h, err := os.Create(fmt.Sprintf("%s.heap%d", file, n)); err == nil {
				_ = pprof.Lookup("heap").WriteTo(h, 0)
				h.Close()
			}
			fmt.Println("LPDESK_CPUPROFILE written")
		}
	}()
}

// startTrace writes an execution trace to file (LPDESK_TEST_TRACE=FILE)
// until SIGUSR2: where the UI goroutine waited, and on what.
func startTrace(file string) {
	f, err := os.Create(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "trace:", err)
		return
	}
	if err := trace.Start(f); err != nil {
		fmt.Fprintln(os.Stderr, "trace:", err)
		return
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, traceSignal)
	go func() {
		<-stop
		trace.Stop()
		f.Close()
		fmt.Println("LPDESK_TRACE written")
	}()
}
