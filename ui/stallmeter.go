//go:build lpdesk_testdrivers

package ui

import (
	"sync/atomic"
	"time"
)

// stallMeter posts a no-op to the UI goroutine every 50 ms and keeps the
// longest wait for it to run: how long the window would have taken to
// answer input.
type stallMeter struct {
	stop  chan struct{}
	start time.Time
	max   atomic.Int64 // ns
	at    atomic.Int64 // ns from start to when the longest wait began
}

func startStallMeter(do func(func())) *stallMeter {
	m := &stallMeter{stop: make(chan struct{}), start: time.Now()}
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-tick.C:
				posted := time.Now()
				done := make(chan struct{})
				do(func() { close(done) })
				select {
				case <-done:
				case <-m.stop:
					return
				}
				if w := int64(time.Since(posted)); w > m.max.Load() {
					m.max.Store(w)
					m.at.Store(int64(posted.Sub(m.start)))
				}
			}
		}
	}()
	return m
}

func (m *stallMeter) finish() time.Duration {
	close(m.stop)
	return time.Duration(m.max.Load())
}

// maxAt is when the longest wait began, from the meter's start.
func (m *stallMeter) maxAt() time.Duration { return time.Duration(m.at.Load()) }
