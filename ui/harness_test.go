package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// harness runs a desk on Fyne's headless test driver. Results of
// background calls are queued and run on the test goroutine by settle, so
// tests are deterministic and race-free.
type harness struct {
	t     *testing.T
	d     *desk
	w     fyne.Window
	be    Backend
	queue chan func()
	opens []string
	// openErr is what opening the browser returns.
	openErr error
}

func newHarness(t *testing.T, be Backend, opts Options) *harness {
	t.Helper()
	return newHarnessOn(t, test.NewTempApp(t), be, opts)
}

// newHarnessOn runs a desk in a new window of a, so that two desks can
// share the app's preferences.
func newHarnessOn(t *testing.T, a fyne.App, be Backend, opts Options) *harness {
	t.Helper()
	w := a.NewWindow("lpdesk")
	h := &harness{t: t, w: w, be: be, queue: make(chan func(), 1024)}
	d := newDesk(a, w, be, opts, func(f func()) { h.queue <- f })
	d.openURLHook = func(u string) error {
		h.opens = append(h.opens, u)
		return h.openErr
	}
	h.d = d
	t.Cleanup(func() {
		d.shutdown()
		if !d.closed {
			w.Close()
		}
	})
	d.start()
	h.settle()
	return h
}

const settleTimeout = 20 * time.Second

// settle runs queued UI work until no background call is outstanding.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.After(settleTimeout)
	for {
		select {
		case f := <-h.queue:
			f()
			continue
		default:
		}
		if h.d.pending.Load() == 0 {
			return
		}
		select {
		case f := <-h.queue:
			f()
		case <-deadline:
			h.t.Fatal("background work did not finish")
		}
	}
}

// until runs queued UI work until cond holds.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	h.settle()
	deadline := time.After(settleTimeout)
	for !cond() {
		select {
		case f := <-h.queue:
			f()
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s; window shows:\n%s", what, strings.Join(h.texts(), " | "))
		}
	}
	h.settle()
}

// texts lists the visible text of the window and its dialogs.
func (h *harness) texts() []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text != "" {
				out = append(out, x.Text)
			}
			return
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
			return
		case *xwidget.CodeRow:
			out = append(out, x.Text())
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	c := h.w.Canvas()
	walk(c.Content())
	for _, o := range c.Overlays().List() {
		walk(o)
	}
	return out
}

// shows reports whether some visible text contains s.
func (h *harness) shows(s string) bool {
	for _, t := range h.texts() {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

func (h *harness) mustShow(s string) {
	h.t.Helper()
	if !h.shows(s) {
		h.t.Fatalf("window does not show %q; it shows:\n%s", s, strings.Join(h.texts(), " | "))
	}
}

func (h *harness) mustNotShow(s string) {
	h.t.Helper()
	if h.shows(s) {
		h.t.Fatalf("window shows %q but must not", s)
	}
}

func (h *harness) tap(b *widget.Button) {
	h.t.Helper()
	if b.Disabled() {
		h.t.Fatalf("button %q is disabled", b.Text)
	}
	test.Tap(b)
	h.settle()
}

// typeIn replaces an entry's text by typing.
func (h *harness) typeIn(e *xwidget.Entry, s string) {
	e.SetText("")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd}) // drop a stale selection
	test.Type(e, s)
}

func (h *harness) shortcut(sc fyne.Shortcut) {
	h.w.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
	h.settle()
}

// topDialogs counts the dialogs the desk has open.
func (h *harness) dialogs() int { return len(h.d.dialogs) }

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}
