//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup starts cmd as the leader of a new process group, so that
// signalGroup reaches the D-Bus session and the filters it starts too.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func signalProcess(pid int, sig syscall.Signal) { _ = syscall.Kill(pid, sig) }

// signalGroup signals the process group that leader leads.
func signalGroup(leader int, sig syscall.Signal) { _ = syscall.Kill(-leader, sig) }
