package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
BenchmarkSign/floor-2         	  123204	      3103 ns/op	     952 B/op	       8 allocs/op
BenchmarkSign/client-header-2 	    6933	     75185.5 ns/op	   19997 B/op	     262 allocs/op
BenchmarkGet/raw              	   18765	    148295 ns/op
PASS`
	got := parseGoBench(strings.NewReader(out))
	if r := got["BenchmarkSign/floor"]; len(r) != 1 || r[0].ns != 3103 || r[0].allocs != 8 {
		t.Errorf("floor = %+v", r)
	}
	if r := got["BenchmarkSign/client-header"]; len(r) != 1 || r[0].ns != 75185.5 || r[0].allocs != 262 {
		t.Errorf("client-header = %+v", r)
	}
	if r := got["BenchmarkGet/raw"]; len(r) != 1 || r[0].ns != 148295 {
		t.Errorf("raw = %+v", r)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestRenderAlignsColumns(t *testing.T) {
	table := render([]Row{{"a figure", "1 µs", "2 µs", "0.50×", "≤ 1×", "yes"}})
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 3 {
		t.Fatalf("want header, separator and one row, got %q", table)
	}
	for _, l := range lines {
		if n := len([]rune(l)); n != len([]rune(lines[0])) {
			t.Errorf("line %q is %d runes, header %d", l, n, len([]rune(lines[0])))
		}
	}
	if !strings.HasPrefix(lines[0], "| figure") || !strings.Contains(lines[2], "| yes |") {
		t.Errorf("unexpected table:\n%s", table)
	}
}

func TestFormatting(t *testing.T) {
	if got := fmtDur(float64(1500 * time.Nanosecond)); got != "1.50 µs" {
		t.Errorf("fmtDur = %q", got)
	}
	if got := fmtDur(float64(2500 * time.Millisecond)); got != "2.50 s" {
		t.Errorf("fmtDur = %q", got)
	}
	if got := fmtRatio(0.05); got != "0.050×" {
		t.Errorf("fmtRatio = %q", got)
	}
	if got := fmtRatio(24.4); got != "24×" {
		t.Errorf("fmtRatio = %q", got)
	}
}
