//go:build lpdesk_testdrivers

package ui

import "syscall"

// Windows has no SIGUSR1/2: the profile and trace end with the process's
// SIGTERM instead (the bench's profiling runs on Linux).
var profileSignal, traceSignal = syscall.SIGTERM, syscall.SIGTERM
