package wire

// LinkList collects links in blocks and joins them once, into a slice of
// exactly their number: appending to one slice would regrow it by a
// quarter at a time past a few hundred links, allocating about five times
// the final slice on the way (a 100 MB listing holds 300,000 links).
type LinkList struct {
	full []([]Link)
	cur  []Link
	n    int
}

// maxLinkBlock is the largest block, in links (128 KiB).
const maxLinkBlock = 4096

// Add appends l.
func (ll *LinkList) Add(l Link) {
	if len(ll.cur) == cap(ll.cur) {
		if ll.cur != nil {
			ll.full = append(ll.full, ll.cur)
		}
		ll.cur = make([]Link, 0, min(max(16, 2*cap(ll.cur)), maxLinkBlock))
	}
	ll.cur = append(ll.cur, l)
	ll.n++
}

// Links returns the links added, in order; nil when there are none.
func (ll *LinkList) Links() []Link {
	if len(ll.full) == 0 {
		if ll.n == 0 {
			return nil
		}
		return ll.cur[:ll.n:ll.n]
	}
	out := make([]Link, 0, ll.n)
	for i, b := range ll.full {
		out = append(out, b...)
		ll.full[i] = nil // garbage as soon as it is copied
	}
	return append(out, ll.cur...)
}
