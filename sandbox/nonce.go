package sandbox

import (
	"container/heap"
	"hash/maphash"
	"time"
)

// nonceScope is whom a nonce is charged to and unique within: the consumer
// key plus the token the request was signed with (none for request_token).
// RFC 5849 §3.3 asks for uniqueness per timestamp, client credentials and
// token; a request signed for one scope cannot be replayed in another,
// because the signature covers the consumer key and token.
type nonceScope struct {
	kind     tokenKind
	consumer string
	token    string
}

// nonceVerdict is what the store says about a nonce.
type nonceVerdict int

const (
	nonceFresh     nonceVerdict = iota // remembered now; the request may proceed
	nonceReused                        // seen inside its window: a replay
	nonceOverQuota                     // new, but its scope has no room left
)

// nonceStore remembers every nonce until the timestamp it came with can no
// longer pass the ±timestampWindow check, and never forgets one sooner:
// a full scope refuses new nonces instead of evicting old ones, so a flood
// can never make room for a replay. Only requests whose signature verified
// reach it, so forged requests take no space.
//
// Scopes are ordered by their earliest expiry and each scope's entries by
// expiry, so forgetting costs O(log n) per forgotten entry and nothing for
// the entries that stay. Guarded by Server.mu.
type nonceStore struct {
	seed   maphash.Seed
	scopes map[nonceScope]*nonceSet
	due    indexedHeap[*nonceSet] // scopes by their earliest expiry
	// forgotten counts entries dropped at expiry: the store's whole pruning
	// work, which tests hold to the number of entries that expired.
	forgotten int
}

func newNonceStore() *nonceStore {
	return &nonceStore{seed: maphash.MakeSeed(), scopes: map[nonceScope]*nonceSet{}}
}

// nonceSet is one scope's remembered nonces, kept as 64-bit keyed hashes
// to hold a million in little memory. An outsider cannot aim for a
// collision without the seed; by chance a new nonce meets one of a million
// remembered with probability 2^-44, and then the call is only refused as a
// replay.
type nonceSet struct {
	scope nonceScope
	seen  map[uint64]int64 // nonce hash → last unix second it is needed
	queue expiryQueue
	pos   int // index in nonceStore.due
}

type nonceEntry struct {
	expiry int64
	hash   uint64
}

// use checks nonce, signed at unix second ts and received at now, against
// scope's memory, and remembers it when it is fresh and the scope (limited
// to limit entries) has room. For nonceOverQuota, retry is how long until
// the scope's oldest entry is forgotten.
func (n *nonceStore) use(scope nonceScope, limit int, nonce string, ts int64, now time.Time) (v nonceVerdict, retry time.Duration) {
	n.prune(now)
	h := maphash.String(n.seed, nonce)
	set := n.scopes[scope]
	if set != nil {
		if _, ok := set.seen[h]; ok {
			return nonceReused, 0
		}
		if len(set.seen) >= max(limit, 1) {
			return nonceOverQuota, time.Unix(set.queue[0].expiry+1, 0).Sub(now)
		}
	}
	// The timestamp passes while now ≤ ts+window; the entry is dropped once
	// the clock's whole second is past that.
	expiry := ts + int64(timestampWindow/time.Second)
	if set == nil {
		set = &nonceSet{scope: scope, seen: map[uint64]int64{}}
		n.scopes[scope] = set
		set.seen[h] = expiry
		set.queue.push(nonceEntry{expiry, h})
		heap.Push(&n.due, set)
		return nonceFresh, 0
	}
	earliest := set.queue[0].expiry
	set.seen[h] = expiry
	set.queue.push(nonceEntry{expiry, h})
	if expiry < earliest {
		heap.Fix(&n.due, set.pos)
	}
	return nonceFresh, 0
}

// prune forgets every entry whose timestamp can no longer pass the window,
// and scopes left empty.
func (n *nonceStore) prune(now time.Time) {
	sec := now.Unix()
	for len(n.due) > 0 {
		set := n.due[0]
		if set.queue[0].expiry >= sec {
			return
		}
		for len(set.queue) > 0 && set.queue[0].expiry < sec {
			e := set.queue.pop()
			delete(set.seen, e.hash)
			n.forgotten++
		}
		if len(set.queue) == 0 {
			heap.Pop(&n.due)
			delete(n.scopes, set.scope)
		} else {
			heap.Fix(&n.due, 0)
		}
	}
}

// size is the number of nonces remembered in all scopes.
func (n *nonceStore) size() int {
	total := 0
	for _, s := range n.scopes {
		total += len(s.seen)
	}
	return total
}

// expiryQueue is a min-heap of one scope's entries by expiry. Its push
// and pop are written out: container/heap's take an interface, which cost
// an allocation for every nonce remembered.
type expiryQueue []nonceEntry

// push adds e. Timestamps mostly arrive in order, so e mostly stays where
// it is appended.
func (q *expiryQueue) push(e nonceEntry) {
	*q = append(*q, e)
	h := *q
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if h[parent].expiry <= h[i].expiry {
			break
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
}

// pop removes and returns the entry that expires first.
func (q *expiryQueue) pop() nonceEntry {
	h := *q
	e := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		m := 2*i + 1
		if m >= n {
			break
		}
		if r := m + 1; r < n && h[r].expiry < h[m].expiry {
			m = r
		}
		if h[i].expiry <= h[m].expiry {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return e
}

// Scopes stand in nonceStore.due by their earliest expiry.
func (s *nonceSet) before(o *nonceSet) bool { return s.queue[0].expiry < o.queue[0].expiry }
func (s *nonceSet) setIndex(i int)          { s.pos = i }
