//go:build !unix

package proxy

import (
	"errors"
	"net"
)

// ListenUnix is not offered where Unix-domain sockets lack file modes to
// keep other users out.
func ListenUnix(path string) (net.Listener, error) {
	return nil, errors.New("--listen unix:PATH is available on Linux and macOS only")
}
