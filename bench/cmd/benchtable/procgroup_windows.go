package main

import (
	"os"
	"os/exec"
	"syscall"
)

// The window figure needs Xvfb and /proc, so it only runs on Linux; on
// Windows these keep the tool building and end the one process they can.

func ownProcessGroup(*exec.Cmd) {}

func signalProcess(pid int, _ syscall.Signal) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

func signalGroup(leader int, sig syscall.Signal) { signalProcess(leader, sig) }
