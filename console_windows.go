package main

import (
	"syscall"
	"unsafe"
)

// releaseOwnConsole: lpdesk.exe is a console program, so that `lpdesk api …`
// in cmd.exe or PowerShell prints, pipes and returns its exit status like
// any command-line tool. Started with no command from the Start menu or
// Explorer, Windows gives it a console window of its own that would sit
// empty beside the app's window: when no other process shares that console,
// it is hidden and let go. Run from a shell, the console is the shell's and
// stays.
func releaseOwnConsole(args []string) {
	if len(args) > 0 {
		return
	}
	kernel32 := syscall.NewLazyDLL("kernel32.dll")
	var pids [2]uint32
	n, _, _ := kernel32.NewProc("GetConsoleProcessList").Call(uintptr(unsafe.Pointer(&pids[0])), uintptr(len(pids)))
	if n != 1 { // 0: no console at all; 2 or more: a shell's
		return
	}
	if hwnd, _, _ := kernel32.NewProc("GetConsoleWindow").Call(); hwnd != 0 {
		const swHide = 0
		_, _, _ = syscall.NewLazyDLL("user32.dll").NewProc("ShowWindow").Call(hwnd, swHide)
	}
	_, _, _ = kernel32.NewProc("FreeConsole").Call()
}
