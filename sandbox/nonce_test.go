package sandbox

import (
	"fmt"
	"testing"
	"time"
)

func TestNonceStoreNeverForgetsInsideTheWindow(t *testing.T) {
	n := newNonceStore()
	a := nonceScope{accessTokKnd, "app", "tok"}
	now := time.Unix(1_000_000, 0)
	ts := now.Unix()
	for _, k := range []string{"a", "b", "c"} {
		if v, _ := n.use(a, 3, k, ts, now); v != nonceFresh {
			t.Fatalf("%s: verdict %d, want fresh", k, v)
		}
	}
	// Full: a new nonce is refused, never an old one forgotten for it.
	v, retry := n.use(a, 3, "d", ts, now.Add(time.Second))
	if v != nonceOverQuota {
		t.Fatalf("fourth nonce in a scope of 3: verdict %d, want over quota", v)
	}
	if want := 300 * time.Second; retry != want {
		t.Fatalf("retry %v, want %v (until the oldest timestamp leaves the window)", retry, want)
	}
	// A replay is a replay even while the scope is full, up to the last
	// second its timestamp passes the ±300 s check.
	for _, at := range []time.Duration{0, 299 * time.Second, 300*time.Second + 999*time.Millisecond} {
		if v, _ := n.use(a, 3, "a", ts, now.Add(at)); v != nonceReused {
			t.Fatalf("replay at +%v: verdict %d, want reused", at, v)
		}
	}
	if n.forgotten != 0 {
		t.Fatalf("forgot %d nonces inside the window", n.forgotten)
	}
	// Once the timestamp is stale the nonce goes, and with it the scope.
	if v, _ := n.use(nonceScope{noToken, "other", ""}, 3, "x", ts+301, now.Add(301*time.Second)); v != nonceFresh {
		t.Fatalf("verdict %d, want fresh", v)
	}
	if n.forgotten != 3 || n.scopes[a] != nil || n.size() != 1 {
		t.Fatalf("after the window: forgotten %d, scope kept %v, size %d; want 3, false, 1",
			n.forgotten, n.scopes[a] != nil, n.size())
	}
	if v, _ := n.use(a, 3, "a", ts+301, now.Add(301*time.Second)); v != nonceFresh {
		t.Fatalf("nonce not forgotten after the window: verdict %d", v)
	}
}

// A timestamp ahead of the server's clock passes the check for longer:
// the nonce is kept for as long.
func TestNonceStoreKeepsFutureTimestampsLonger(t *testing.T) {
	n := newNonceStore()
	a := nonceScope{accessTokKnd, "app", "tok"}
	now := time.Unix(1_000_000, 0)
	n.use(a, 10, "ahead", now.Unix()+300, now)
	if v, _ := n.use(a, 10, "ahead", now.Unix()+300, now.Add(599*time.Second)); v != nonceReused {
		t.Fatalf("nonce signed 300 s ahead forgotten after 599 s (its timestamp still passes): verdict %d", v)
	}
}

func TestNonceStoreScopesAreIndependent(t *testing.T) {
	n := newNonceStore()
	now := time.Unix(1_000_000, 0)
	full := nonceScope{accessTokKnd, "a", "t1"}
	for i := range 5 {
		n.use(full, 5, fmt.Sprint(i), now.Unix(), now)
	}
	if v, _ := n.use(full, 5, "more", now.Unix(), now); v != nonceOverQuota {
		t.Fatalf("verdict %d, want over quota", v)
	}
	for _, other := range []nonceScope{{accessTokKnd, "a", "t2"}, {accessTokKnd, "b", "t1"}, {noToken, "a", ""}, {requestTok, "a", "t1"}} {
		// The same nonce string in another scope is another nonce.
		if v, _ := n.use(other, 5, "0", now.Unix(), now); v != nonceFresh {
			t.Fatalf("%+v refused (verdict %d) because %+v is full", other, v, full)
		}
	}
}

// Pruning visits only what expired, whatever else is remembered, and in
// expiry order across scopes whose entries arrived out of order.
func TestNonceStorePruningWorkIsTheExpiredEntries(t *testing.T) {
	n := newNonceStore()
	now := time.Unix(1_000_000, 0)
	// 50 scopes × 40 nonces, timestamps spread over ±200 s in a scrambled order.
	total := 0
	stale := map[int64]int{} // expiry → entries
	for sc := range 50 {
		scope := nonceScope{accessTokKnd, "app", fmt.Sprint("tok", sc)}
		for i := range 40 {
			ts := now.Unix() - 200 + int64((i*37+sc*11)%400)
			if v, _ := n.use(scope, 1000, fmt.Sprint(sc, "/", i), ts, now); v != nonceFresh {
				t.Fatalf("verdict %d", v)
			}
			stale[ts+300]++
			total++
		}
	}
	for step := int64(0); step <= 600; step += 50 {
		at := now.Add(time.Duration(step) * time.Second)
		want := 0
		for exp, c := range stale {
			if exp < at.Unix() {
				want += c
			}
		}
		n.prune(at)
		if n.forgotten != want || n.size() != total-want {
			t.Fatalf("at +%d s: forgot %d entries, %d remembered; want exactly the %d expired, %d remembered",
				step, n.forgotten, n.size(), want, total-want)
		}
	}
	if len(n.scopes) != 0 || len(n.due) != 0 {
		t.Fatalf("%d scopes left after all expired", len(n.scopes))
	}
}

// The written-out heap gives entries back in expiry order, whatever order
// they came in.
func TestExpiryQueueOrder(t *testing.T) {
	var q expiryQueue
	for i, e := range []int64{50, 10, 40, 10, 30, 20, 60, 5, 45, 25, 35, 15} {
		q.push(nonceEntry{expiry: e, hash: uint64(i)})
	}
	last := int64(-1)
	for n := len(q); n > 0; n-- {
		e := q.pop()
		if e.expiry < last {
			t.Fatalf("popped %d after %d", e.expiry, last)
		}
		last = e.expiry
		if len(q) != n-1 {
			t.Fatalf("length %d after a pop from %d", len(q), n)
		}
	}
}
