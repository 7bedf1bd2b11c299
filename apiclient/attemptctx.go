package apiclient

import (
	"context"
	"sync"
	"time"
)

// timeouts runs the per-attempt timeouts of one Client on a single runtime
// timer. context.WithTimeout per attempt cost a timer, a timer context, a
// value context and, once net/http derived its own context from it, a map
// of children: about a tenth of a request's client-side time. Every
// attempt of a Client has the same timeout, so attempts expire in the order
// they started: they wait in a FIFO list whose head expires next, and the
// one timer is armed for the head. A finished attempt leaves the list
// without touching the timer; the timer, when it fires, expires what is
// due and re-arms for the new head.
type timeouts struct {
	d          time.Duration
	mu         sync.Mutex
	head, tail *attemptCtx
	timer      *time.Timer
	armed      bool // timer pending
}

// start returns the context of one attempt: parent's values and
// cancellation, spec for the transport, and a deadline d from now.
// Its release method ends it (as a context.CancelFunc does) and must be
// called.
func (t *timeouts) start(parent context.Context, spec authSpec) *attemptCtx {
	c := &attemptCtx{parent: parent, spec: spec, deadline: time.Now().Add(t.d), t: t}
	if parent.Done() != nil {
		if err := parent.Err(); err != nil {
			c.err = err
			c.done = closedDone
			return c
		}
		c.stopParent = context.AfterFunc(parent, func() { c.cancel(parent.Err()) })
	}
	t.mu.Lock()
	c.linked = true
	c.prev = t.tail
	if t.tail != nil {
		t.tail.next = c
	} else {
		t.head = c
	}
	t.tail = c
	if !t.armed {
		t.armed = true
		if t.timer == nil {
			t.timer = time.AfterFunc(t.d, t.fire)
		} else {
			t.timer.Reset(t.d)
		}
	}
	t.mu.Unlock()
	return c
}

// unlink removes c from the list; t.mu is held.
func (t *timeouts) unlink(c *attemptCtx) {
	if !c.linked {
		return
	}
	c.linked = false
	if c.prev != nil {
		c.prev.next = c.next
	} else {
		t.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else {
		t.tail = c.prev
	}
	c.prev, c.next = nil, nil
}

// fire expires every attempt that is due and re-arms for the next one.
func (t *timeouts) fire() {
	now := time.Now()
	var due []*attemptCtx
	t.mu.Lock()
	for c := t.head; c != nil && !now.Before(c.deadline); c = t.head {
		t.unlink(c)
		due = append(due, c)
	}
	t.armed = t.head != nil
	if t.armed {
		t.timer.Reset(t.head.deadline.Sub(now))
	}
	t.mu.Unlock()
	for _, c := range due {
		c.cancel(context.DeadlineExceeded)
	}
}

// closedDone is the Done channel of an attempt that ended before anyone
// asked for it.
var closedDone = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// attemptCtx is one attempt's context: what context.WithTimeout over
// context.WithValue(parent, specKey{}, spec) gave, on the Client's shared
// timer. It implements the AfterFunc method the context package looks for,
// so that a context derived from it (net/http derives one per request)
// registers a callback here instead of starting a goroutine.
type attemptCtx struct {
	parent   context.Context
	spec     authSpec
	deadline time.Time
	t        *timeouts
	// prev, next and linked are guarded by t.mu.
	prev, next *attemptCtx
	linked     bool
	stopParent func() bool

	mu     sync.Mutex
	done   chan struct{} // made on first use
	err    error
	afters []func() // nil where stopped
}

var _ context.Context = (*attemptCtx)(nil)

func (c *attemptCtx) Deadline() (time.Time, bool) {
	if d, ok := c.parent.Deadline(); ok && d.Before(c.deadline) {
		return d, true
	}
	return c.deadline, true
}

func (c *attemptCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
	}
	return c.done
}

func (c *attemptCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Value answers specKey with a pointer to the spec (boxing the struct
// would allocate on every look-up) and asks the parent for the rest.
func (c *attemptCtx) Value(key any) any {
	if _, ok := key.(specKey); ok {
		return &c.spec
	}
	return c.parent.Value(key)
}

// AfterFunc calls f once c is done, unless stop is called first (see
// context.AfterFunc; the context package calls this for contexts derived
// from c).
func (c *attemptCtx) AfterFunc(f func()) (stop func() bool) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		go f()
		return func() bool { return false }
	}
	i := len(c.afters)
	c.afters = append(c.afters, f)
	c.mu.Unlock()
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.err != nil || c.afters[i] == nil {
			return false
		}
		c.afters[i] = nil
		return true
	}
}

// cancel ends c with err (the first cause wins) and runs its callbacks.
func (c *attemptCtx) cancel(err error) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	c.err = err
	if c.done == nil {
		c.done = closedDone
	} else {
		close(c.done)
	}
	afters := c.afters
	c.mu.Unlock()
	for _, f := range afters {
		if f != nil {
			f()
		}
	}
}

// release is the attempt's CancelFunc: it leaves the timeout list and
// cancels c, as the CancelFunc of context.WithTimeout did.
func (c *attemptCtx) release() {
	c.t.mu.Lock()
	c.t.unlink(c)
	c.t.mu.Unlock()
	if c.stopParent != nil {
		c.stopParent()
	}
	c.cancel(context.Canceled)
}

func (c *attemptCtx) String() string { return "apiclient.attemptCtx" }
