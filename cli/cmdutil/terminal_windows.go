package cmdutil

import (
	"os"

	"golang.org/x/sys/windows"
)

// isTerminal reports a console: NUL and pipes have no console mode.
func isTerminal(f *os.File) bool {
	var mode uint32
	return windows.GetConsoleMode(windows.Handle(f.Fd()), &mode) == nil
}
