//go:build unix

package proxy

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// ListenUnix listens on a Unix-domain socket at path for `lpdesk proxy
// --listen unix:PATH`: on one machine, a cheaper hop than TCP loopback
// (no TCP stack on either side), and reachable only by whoever may open
// the file. So the socket is created 0600 in a directory that is the
// user's alone (0700, created so when missing; refused when group or
// others may enter it, as /tmp may). An existing file at path is refused
// unless it is a socket nobody answers on (left by a proxy that died),
// which is replaced. The listener removes the socket when closed.
func ListenUnix(path string) (net.Listener, error) {
	if path == "" {
		return nil, errors.New("unix socket: empty path")
	}
	path = filepath.Clean(path)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("unix socket directory: %w", err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("unix socket directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("unix socket directory %s is not a directory", dir)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("unix socket directory %s has mode %04o: other users could reach the socket; use a directory only you can enter (mode 0700), such as $XDG_RUNTIME_DIR", dir, perm)
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode().Type() != os.ModeSocket {
			return nil, fmt.Errorf("%s exists and is not a socket: refusing to replace it", path)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("%s is in use by another process", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("remove the stale socket %s: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("unix socket: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on unix:%s: %w", path, err)
	}
	// The directory already keeps others out; the mode says so too, for
	// whoever moves the socket or loosens the directory later.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("unix socket mode: %w", err)
	}
	return ln, nil
}
