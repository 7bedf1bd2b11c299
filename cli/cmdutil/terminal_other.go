//go:build !linux && !windows && !darwin && !freebsd && !netbsd && !openbsd

package cmdutil

import "os"

// isTerminal falls back to the file's mode where lpdesk knows no terminal
// call.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
