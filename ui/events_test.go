package ui

import (
	"fmt"
	"strings"
	"testing"
)

func TestEventNamesAreDistinct(t *testing.T) {
	seen := map[string]event{}
	for e := evWizard; e <= lastEvent; e++ {
		name := e.String()
		if name == "" || name == event(0).String() {
			t.Errorf("event %d has no name", int(e))
		}
		if prev, dup := seen[name]; dup {
			t.Errorf("events %d and %d are both called %q", int(prev), int(e), name)
		}
		seen[name] = e
	}
	if len(seen) != len(eventNames)-1 {
		t.Errorf("%d named events, %d names", len(seen), len(eventNames)-1)
	}
}

// recorder keeps the events a desk emits, as "name" or "name:detail".
type recorder struct{ got []string }

func (r *recorder) hook(e event, detail string) {
	if detail != "" {
		r.got = append(r.got, e.String()+":"+detail)
		return
	}
	r.got = append(r.got, e.String())
}

func (r *recorder) String() string { return strings.Join(r.got, " ") }

func TestEventsFollowTheWindow(t *testing.T) {
	h, f := openBrowser(t)
	var r recorder
	h.d.onEvent(r.hook)
	h.d.br.links.Select(1) // skills
	h.settle()
	// The text and the table are prepared side by side; either may be
	// ready first. A small body's text is all made with its first screen.
	if s := r.String(); s != "loaded:skills body body-done table" && s != "loaded:skills table body body-done" {
		t.Errorf("following a link: events %q", s)
	}
	r.got = nil
	f.mu.Lock()
	f.netDown = true
	f.mu.Unlock()
	h.tap(h.d.br.reloadBtn)
	if r.String() != "error" {
		t.Errorf("a failed reload: events %q", r.String())
	}
	r.got = nil
	h.tap(h.d.br.settings)
	if r.String() != "settings" {
		t.Errorf("opening settings: events %q", r.String())
	}
}

func TestWizardErrorEventCarriesTheMessage(t *testing.T) {
	f := newFake()
	f.beginErrs = []error{fmt.Errorf("%w: connection refused", ErrNetwork)}
	h := newHarness(t, f, Options{})
	var r recorder
	h.d.onEvent(r.hook)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	h.tap(h.d.wiz.accountPage.status.RetryButton())
	want := "wizard-error:enter the server address " +
		"wizard-error:Could not reach the server: network error: connection refused. Check the address and the connection, then retry. " +
		"authorize"
	if r.String() != want {
		t.Errorf("events\n got %q\nwant %q", r.String(), want)
	}
}
