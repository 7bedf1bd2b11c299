//go:build lpdesk_testdrivers

package ui

import "os"

func init() { driverFromEnv = envDriver }

// envDriver starts, with `lpdesk demo`:
//   - LPDESK_TEST_TOUR=1: the tour, reading its go-ahead lines from stdin;
//   - LPDESK_TEST_AUTOPILOT=1: the autopilot, which opens
//     LPDESK_TEST_AUTOPILOT_OPEN instead of a skill when that is set;
//   - LPDESK_TEST_AUTOPILOT=agent: the autopilot, then a chat with the
//     demo's visitor in the agent workspace.
func envDriver() driver {
	switch {
	case os.Getenv("LPDESK_TEST_TOUR") == "1":
		return tourDriver(os.Stdin, os.Stdout)
	case os.Getenv("LPDESK_TEST_AUTOPILOT") == "1":
		return autopilotDriver(os.Stdout, os.Getenv("LPDESK_TEST_AUTOPILOT_OPEN"))
	case os.Getenv("LPDESK_TEST_AUTOPILOT") == "agent":
		return agentAutopilotDriver(os.Stdout)
	}
	return nil
}
