package sandbox

// indexed is an element of an indexedHeap: it orders itself against
// another and keeps its own index, which heap.Fix and heap.Remove need.
type indexed[E any] interface {
	before(other E) bool
	setIndex(i int)
}

// indexedHeap is a container/heap min-heap whose elements know where they
// stand (-1 once popped). The nonce memory's scopes and the pending request
// tokens are both kept in one.
type indexedHeap[E indexed[E]] []E

func (q indexedHeap[E]) Len() int           { return len(q) }
func (q indexedHeap[E]) Less(i, j int) bool { return q[i].before(q[j]) }
func (q indexedHeap[E]) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].setIndex(i)
	q[j].setIndex(j)
}

func (q *indexedHeap[E]) Push(x any) {
	e := x.(E)
	e.setIndex(len(*q))
	*q = append(*q, e)
}

func (q *indexedHeap[E]) Pop() any {
	old := *q
	e := old[len(old)-1]
	var none E
	old[len(old)-1] = none // no stale pointer in the backing array
	*q = old[:len(old)-1]
	e.setIndex(-1)
	return e
}
