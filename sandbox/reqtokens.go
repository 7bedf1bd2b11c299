package sandbox

import (
	"container/heap"
	"time"
)

// pendingTokens indexes the request tokens in state.RequestTokens by
// consumer key and creation time, so that expiry visits only the tokens
// that expired and the per-consumer count is at hand. Each consumer's
// tokens form a min-heap by Created (not a FIFO: the clock may be set
// back). Consumers are the registered applications, a fixed set.
type pendingTokens struct {
	byConsumer map[string]*indexedHeap[*pendingToken]
	at         map[string]*pendingToken // by token
	// examined counts tokens expiry looked at: the whole expiry work, which
	// tests hold to the number of tokens that expired.
	examined int
}

type pendingToken struct {
	rt  *requestToken
	pos int // index in its consumer's queue
}

func newPendingTokens() *pendingTokens {
	return &pendingTokens{byConsumer: map[string]*indexedHeap[*pendingToken]{}, at: map[string]*pendingToken{}}
}

// addRequestToken stores rt and indexes it.
func (st *state) addRequestToken(rt *requestToken) {
	if old := st.RequestTokens[rt.Token]; old != nil {
		st.deleteRequestToken(old.Token)
	}
	st.RequestTokens[rt.Token] = rt
	p := st.pending
	q := p.byConsumer[rt.ConsumerKey]
	if q == nil {
		q = &indexedHeap[*pendingToken]{}
		p.byConsumer[rt.ConsumerKey] = q
	}
	e := &pendingToken{rt: rt}
	p.at[rt.Token] = e
	heap.Push(q, e)
}

// deleteRequestToken forgets token (exchanged, denied or expired).
func (st *state) deleteRequestToken(token string) {
	rt := st.RequestTokens[token]
	if rt == nil {
		return
	}
	delete(st.RequestTokens, token)
	p := st.pending
	e := p.at[token]
	if e == nil {
		return
	}
	delete(p.at, token)
	q := p.byConsumer[rt.ConsumerKey]
	heap.Remove(q, e.pos)
	if q.Len() == 0 {
		delete(p.byConsumer, rt.ConsumerKey)
	}
}

// expireRequestTokens deletes the request tokens older than
// requestTokenTTL at now and reports whether any went.
func (st *state) expireRequestTokens(now time.Time) bool {
	p := st.pending
	gone := false
	for key, q := range p.byConsumer {
		for q.Len() > 0 && now.Sub((*q)[0].rt.Created) > requestTokenTTL {
			p.examined++
			e := heap.Pop(q).(*pendingToken)
			delete(p.at, e.rt.Token)
			delete(st.RequestTokens, e.rt.Token)
			gone = true
		}
		if q.Len() == 0 {
			delete(p.byConsumer, key)
		}
	}
	return gone
}

// pendingCount is how many request tokens consumer holds, and how long
// until the oldest of them expires.
func (st *state) pendingCount(consumer string, now time.Time) (n int, oldestLeft time.Duration) {
	q := st.pending.byConsumer[consumer]
	if q == nil || q.Len() == 0 {
		return 0, 0
	}
	return q.Len(), (*q)[0].rt.Created.Add(requestTokenTTL).Sub(now)
}

// A consumer's tokens stand in its queue by Created.
func (t *pendingToken) before(o *pendingToken) bool { return t.rt.Created.Before(o.rt.Created) }
func (t *pendingToken) setIndex(i int)              { t.pos = i }
