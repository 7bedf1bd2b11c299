package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// runVerifyVsSign is figure 2's second half: what the sandbox spends
// verifying a signed GET (sandbox's BenchmarkVerify: parameters, lookups,
// timestamp, base string, HMAC, nonce) against what the client spends
// signing it (bench's BenchmarkSign, client-header − client-none, as the
// sign rows take it). Both binaries run in alternating passes; the ratio
// is of the two medians (a difference of two timings is too noisy a
// divisor pass by pass: on a busy machine it can even come out negative).
func runVerifyVsSign(o *opts, log io.Writer) (Row, error) {
	row := Row{Figure: "sandbox verification vs client signing (the sign rows' GET, header)", Target: "≤ 2×"}
	bin := func(pkg, name string) (string, error) {
		out, err := filepath.Abs(filepath.Join(o.out, name))
		if err != nil {
			return "", err
		}
		build := exec.Command("go", "test", "-c", "-o", out, pkg)
		build.Dir, build.Stdout, build.Stderr = o.root, log, log
		if err := build.Run(); err != nil {
			return "", fmt.Errorf("build %s benchmarks: %w", pkg, err)
		}
		return out, nil
	}
	benchBin, err := bin("./bench", "bench.test")
	if err != nil {
		return row, err
	}
	sandboxBin, err := bin("./sandbox", "sandbox.test")
	if err != nil {
		return row, err
	}
	raw, err := os.Create(filepath.Join(o.out, "verify-gobench.txt"))
	if err != nil {
		return row, err
	}
	defer raw.Close()
	run := func(testBin, dir, pattern string) (map[string][]goBench, error) {
		cmd := exec.Command(testBin, "-test.run", "^$", "-test.bench", pattern, "-test.benchmem", "-test.benchtime", o.benchtime)
		cmd.Dir = dir
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.MultiWriter(&buf, raw), log
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(testBin), err)
		}
		return parseGoBench(&buf), nil
	}
	var signs, verifies, vAllocs []float64
	for pass := range max(1, o.benchPasses) {
		s, err := run(benchBin, filepath.Join(o.root, "bench"), "^BenchmarkSign$/^client-(none|header)$")
		if err != nil {
			return row, err
		}
		v, err := run(sandboxBin, filepath.Join(o.root, "sandbox"), "^BenchmarkVerify$")
		if err != nil {
			return row, err
		}
		none, header, ver := s["BenchmarkSign/client-none"], s["BenchmarkSign/client-header"], v["BenchmarkVerify"]
		if len(none) == 0 || len(header) == 0 || len(ver) == 0 {
			return row, fmt.Errorf("pass %d: a benchmark result is missing", pass+1)
		}
		sign := header[0].ns - none[0].ns
		signs, verifies, vAllocs = append(signs, sign), append(verifies, ver[0].ns), append(vAllocs, ver[0].allocs)
	}
	fmt.Fprintf(log, "verify vs sign: verify %v ns, sign %v ns\n", verifies, signs)
	if median(signs) <= 0 {
		return row, fmt.Errorf("the signing cost came out at %v ns: the machine is too busy to measure it", median(signs))
	}
	r := median(verifies) / median(signs)
	row.Ours = fmt.Sprintf("%s, %.0f allocs (verify)", fmtDur(median(verifies)), median(vAllocs))
	row.Baseline = fmtDur(median(signs)) + " (sign)"
	row.Ratio, row.Met = fmtRatio(r), met(r <= 2)
	return row, nil
}
