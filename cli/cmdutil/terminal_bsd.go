//go:build darwin || freebsd || netbsd || openbsd

package cmdutil

import (
	"os"

	"golang.org/x/sys/unix"
)

// isTerminal asks the terminal driver, since a character device alone
// (/dev/null, as `< /dev/null` gives a script) is not a terminal to prompt.
func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TIOCGETA)
	return err == nil
}
