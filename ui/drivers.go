//go:build lpdesk_testdrivers

package ui

import (
	"os"
	"strconv"
)

func init() {
	driverFromEnv = envDriver
	if os.Getenv("LPDESK_TEST_MEMREPORT") == "1" {
		startMemReport()
	}
	if f := os.Getenv("LPDESK_TEST_CPUPROFILE"); f != "" {
		startCPUProfile(f)
	}
	if f := os.Getenv("LPDESK_TEST_TRACE"); f != "" {
		startTrace(f)
	}
}

// envDriver starts, with `lpdesk demo`:
//   - LPDESK_TEST_TOUR=1: the tour, reading its go-ahead lines from stdin;
//   - LPDESK_TEST_AUTOPILOT=1: the autopilot, which opens the paths of
//     LPDESK_TEST_AUTOPILOT_OPEN (comma-separated), LPDESK_TEST_AUTOPILOT_REPEAT
//     times, instead of a skill when that is set (autopilot_open.go);
//   - LPDESK_TEST_AUTOPILOT=agent: the autopilot, then a chat with the
//     demo's visitor in the agent workspace.
func envDriver() driver {
	switch {
	case os.Getenv("LPDESK_TEST_TOUR") == "1":
		return tourDriver(os.Stdin, os.Stdout)
	case os.Getenv("LPDESK_TEST_AUTOPILOT") == "1":
		repeat, _ := strconv.Atoi(os.Getenv("LPDESK_TEST_AUTOPILOT_REPEAT"))
		return autopilotDriver(os.Stdout, os.Getenv("LPDESK_TEST_AUTOPILOT_OPEN"), repeat)
	case os.Getenv("LPDESK_TEST_AUTOPILOT") == "agent":
		return agentAutopilotDriver(os.Stdout)
	}
	return nil
}
