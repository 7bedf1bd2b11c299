package sandbox

import "slices"

// meta is what every revisioned record carries: its id in the collection
// and its revision, which reads answer as ETag and writes check against
// If-Match.
type meta struct {
	ID       int `json:"id"`
	Revision int `json:"revision"`
}

func (m *meta) rec() *meta { return m }

// record is a pointer to a struct that embeds meta.
type record interface{ rec() *meta }

// collection holds records by id and in ascending id order, handing out
// ids that are never reused while the collection lives (nor across restarts:
// next is persisted).
type collection[R record] struct {
	items map[int]R
	order []int
	next  int
}

func newCollection[R record]() *collection[R] {
	return &collection[R]{items: map[int]R{}, next: 1}
}

// add stores r, giving it the next id when it has none.
func (c *collection[R]) add(r R) {
	m := r.rec()
	if m.ID == 0 {
		m.ID = c.next
	}
	if m.ID >= c.next {
		c.next = m.ID + 1
	}
	c.items[m.ID] = r
	if i, found := slices.BinarySearch(c.order, m.ID); !found {
		c.order = slices.Insert(c.order, i, m.ID)
	}
}

func (c *collection[R]) get(id int) (R, bool) {
	r, ok := c.items[id]
	return r, ok
}

func (c *collection[R]) remove(id int) {
	delete(c.items, id)
	if i, found := slices.BinarySearch(c.order, id); found {
		c.order = slices.Delete(c.order, i, i+1)
	}
}

func (c *collection[R]) len() int { return len(c.order) }

// all returns the records in id order.
func (c *collection[R]) all() []R {
	out := make([]R, len(c.order))
	for i, id := range c.order {
		out[i] = c.items[id]
	}
	return out
}
