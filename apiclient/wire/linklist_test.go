package wire

import (
	"fmt"
	"runtime"
	"testing"
)

func TestLinkList(t *testing.T) {
	for _, n := range []int{0, 1, 16, 17, 5000, 3 * maxLinkBlock} {
		var ll LinkList
		for i := range n {
			ll.Add(Link{Rel: "self", Href: fmt.Sprint(i)})
		}
		got := ll.Links()
		if len(got) != n || n == 0 && got != nil {
			t.Fatalf("%d links: got %d (nil %v)", n, len(got), got == nil)
		}
		for i, l := range got {
			if l.Href != fmt.Sprint(i) {
				t.Fatalf("%d links: link %d is %v", n, i, l)
			}
		}
		if cap(got) != len(got) {
			t.Errorf("%d links: capacity %d", n, cap(got))
		}
	}
}

// Collecting many links allocates about twice their slice (the blocks and
// the joined copy), where append alone allocates about five times.
func TestLinkListAllocations(t *testing.T) {
	const n = 100_000
	link := Link{Rel: "self", Href: "h"}
	final := float64(n * 32) // two string headers a link
	allocated := func(f func()) float64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc - before.TotalAlloc)
	}
	list := allocated(func() {
		var ll LinkList
		for range n {
			ll.Add(link)
		}
		_ = ll.Links()
	})
	var sink []Link
	appended := allocated(func() {
		for range n {
			sink = append(sink, link)
		}
	})
	if list > 2.2*final || appended < 3*final {
		t.Errorf("LinkList allocated %.1f× the links' slice, append %.1f×", list/final, appended/final)
	}
}
