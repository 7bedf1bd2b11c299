//go:build !windows

package main

// releaseOwnConsole is Windows' concern only (see console_windows.go).
func releaseOwnConsole([]string) {}
