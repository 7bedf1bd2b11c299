// Package testutil holds what tests of several packages share. Only tests
// import it, so none of it reaches the shipped binary.
package testutil

import (
	"bytes"
	"sync"
)

// SyncBuffer collects output written from other goroutines (a server's
// log, a child process's output) for the test to read at any time.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// WriteString is Write of s.
func (b *SyncBuffer) WriteString(s string) (int, error) { return b.Write([]byte(s)) }

// String is everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
