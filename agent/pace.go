package agent

import (
	"context"
	"time"
)

// Pace is how often a poll runs and how far it backs off while failing.
type Pace struct {
	// Every is the wait between polls that succeed.
	Every time.Duration
	// MaxBackoff caps the wait after failures, which doubles with each
	// failure in a row.
	MaxBackoff time.Duration
}

func (p Pace) orDefault(every, maxBackoff time.Duration) Pace {
	if p.Every <= 0 {
		p.Every = every
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = maxBackoff
	}
	if p.MaxBackoff < p.Every {
		p.MaxBackoff = p.Every
	}
	return p
}

// Wait is the pause before the next poll after failures polls in a row
// failed (0 after a success).
func (p Pace) Wait(failures int) time.Duration {
	d := p.Every
	for range failures {
		if d >= p.MaxBackoff/2 {
			return p.MaxBackoff
		}
		d *= 2
	}
	return min(d, p.MaxBackoff)
}

// pause waits d, or less when poke fires; it reports false when ctx ended.
func pause(ctx context.Context, d time.Duration, poke <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-poke:
		return true
	case <-ctx.Done():
		return false
	}
}

// kick asks a poll to run now; a kick already pending is enough.
func kick(poke chan struct{}) {
	select {
	case poke <- struct{}{}:
	default:
	}
}
