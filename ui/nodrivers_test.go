//go:build !lpdesk_testdrivers

package ui

import "testing"

func TestShippedBuildHasNoDriver(t *testing.T) {
	t.Setenv("LPDESK_TEST_AUTOPILOT", "1")
	t.Setenv("LPDESK_TEST_TOUR", "1")
	if driverFromEnv != nil {
		t.Fatal("a build without the lpdesk_testdrivers tag lets the environment start a test driver")
	}
}
