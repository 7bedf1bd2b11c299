package ui

import "sync"

// coalescer brings reports from a background goroutine that reports often
// (a poller) to the UI goroutine without piling them up: however many
// arrive while the UI is busy, f runs once for them, and reads the latest
// state itself.
type coalescer struct {
	do func(func())
	f  func()

	mu      sync.Mutex
	pending bool
}

func newCoalescer(do func(func()), f func()) *coalescer { return &coalescer{do: do, f: f} }

// post asks for f to run on the UI goroutine.
func (c *coalescer) post() {
	c.mu.Lock()
	if c.pending {
		c.mu.Unlock()
		return
	}
	c.pending = true
	c.mu.Unlock()
	c.do(func() {
		c.mu.Lock()
		c.pending = false
		c.mu.Unlock()
		c.f()
	})
}
