//go:build lpdesk_testdrivers && !windows

package ui

import "syscall"

// The signals that end the test drivers' CPU profile (and dump a heap
// profile) and their execution trace.
var profileSignal, traceSignal = syscall.SIGUSR1, syscall.SIGUSR2
