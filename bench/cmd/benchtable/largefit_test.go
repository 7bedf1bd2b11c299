package main

import (
	"math"
	"testing"
)

func TestFitLine(t *testing.T) {
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	// Exactly linear: 3 ms per MB plus 20 ms.
	l := fitLine([]float64{1, 10, 100}, []float64{0.023, 0.050, 0.320})
	if !near(l.slope, 0.003) || !near(l.icept, 0.020) || !near(l.r2, 1) {
		t.Errorf("exact line: %+v", l)
	}
	// Noisy: the slope is the least-squares one and r² below 1.
	l = fitLine([]float64{0, 1, 2}, []float64{0, 2, 1})
	if !near(l.slope, 0.5) || !near(l.icept, 0.5) || !near(l.r2, 0.25) {
		t.Errorf("noisy line: %+v", l)
	}
	if l := fitLine([]float64{5, 5}, []float64{1, 3}); l.slope != 0 || l.icept != 2 {
		t.Errorf("one x: %+v", l)
	}
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("100, 1,10")
	if err != nil || len(got) != 3 || got[0] != 1e6 || got[1] != 1e7 || got[2] != 1e8 {
		t.Errorf("parseSizes = %v %v", got, err)
	}
	for _, bad := range []string{"", "1,x", "0", "-5"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q) accepted", bad)
		}
	}
}
