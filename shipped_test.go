package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// testDriverSymbol matches the code of ui's test drivers (the autopilot,
// the tour, the console approval and the stall meter they use) in `go tool
// nm` output.
var testDriverSymbol = regexp.MustCompile(`github\.com/lpdesk/lpdesk/ui\.[^ ]*(?i:autopilot|tour|approve|stallmeter|envdriver)`)

// testDriverVariables are the environment variables the drivers read.
var testDriverVariables = []string{"LPDESK_TEST_AUTOPILOT", "LPDESK_TEST_TOUR"}

// TestShippedBinaryHasNoTestDrivers builds lpdesk as it ships and checks
// that neither the drivers of the real-window tests nor the environment
// variables that start them are in it. It builds once more with the
// lpdesk_testdrivers tag and checks that the same search finds them there,
// so that the check cannot pass by looking for the wrong names.
func TestShippedBinaryHasNoTestDrivers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lpdesk twice")
	}
	dir := t.TempDir()
	shipped := buildLpdesk(t, filepath.Join(dir, "lpdesk"))
	tagged := buildLpdesk(t, filepath.Join(dir, "lpdesk-testdrivers"), "-tags", "lpdesk_testdrivers")

	if syms := driverSymbols(t, shipped); len(syms) > 0 {
		t.Errorf("the shipped binary holds test-driver code:\n%s", strings.Join(syms, "\n"))
	}
	if syms := driverSymbols(t, tagged); len(syms) == 0 {
		t.Error("no test-driver symbol found in a build tagged lpdesk_testdrivers: the check looks for the wrong names")
	}
	shippedBytes, taggedBytes := readFile(t, shipped), readFile(t, tagged)
	for _, v := range testDriverVariables {
		if bytes.Contains(shippedBytes, []byte(v)) {
			t.Errorf("the shipped binary names %s", v)
		}
		if !bytes.Contains(taggedBytes, []byte(v)) {
			t.Errorf("a build tagged lpdesk_testdrivers does not name %s: the check looks for the wrong variable", v)
		}
	}
}

func buildLpdesk(t *testing.T, out string, flags ...string) string {
	t.Helper()
	args := append([]string{"build", "-o", out}, flags...)
	cmd := exec.Command("go", append(args, ".")...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return out
}

// driverSymbols lists the symbols of bin that belong to the test drivers.
func driverSymbols(t *testing.T, bin string) []string {
	t.Helper()
	b, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm %s: %v", bin, err)
	}
	var syms []string
	for _, line := range strings.Split(string(b), "\n") {
		if testDriverSymbol.MatchString(line) {
			syms = append(syms, strings.TrimSpace(line))
		}
	}
	return syms
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
