package main

import (
	"os"
	"testing"
)

func TestParseMem(t *testing.T) {
	m, ok := parseMem("LPDESK_AUTOPILOT mem idle rss 150080 anon 55920 file 90920 gosys 28554 goheap 21600")
	if !ok || m["rss"] != 150080 || m["anon"] != 55920 || m["gosys"] != 28554 || m["goheap"] != 21600 {
		t.Errorf("parseMem = %v, %v", m, ok)
	}
	if _, ok := parseMem("LPDESK_AUTOPILOT done"); ok {
		t.Error("a line without figures parsed")
	}
}

func TestRendererAnonCountsOnlyTheRenderersMappings(t *testing.T) {
	smaps := `7f0000000000-7f0000100000 rw-p 00000000 00:00 0
Anonymous:          5000 kB
7f1000000000-7f1000800000 rw-p 02a00000 08:01 1234   /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1
Size:               8192 kB
Anonymous:          8344 kB
VmFlags: rd wr mr mw me ac
7f2000000000-7f2000100000 rw-p 00100000 08:01 99     /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so
Anonymous:           536 kB
7f3000000000-7f3000100000 rw-p 00100000 08:01 98     /usr/lib/x86_64-linux-gnu/libc.so.6
Anonymous:            24 kB
`
	if kb := rendererAnon(smaps); kb != 8344+536 {
		t.Errorf("renderer pages %d kB, want %d", kb, 8344+536)
	}
}

// A process without the software renderer (this test) has none of its
// pages.
func TestRendererAnonOfAProcessWithoutIt(t *testing.T) {
	if _, err := os.Stat("/proc/self/smaps"); err != nil {
		t.Skip("no /proc/self/smaps")
	}
	if kb := rendererAnonKB(os.Getpid()); kb != 0 {
		t.Errorf("renderer pages %d kB in a process without the renderer", kb)
	}
}
