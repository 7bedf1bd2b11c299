//go:build lpdesk_testdrivers

package ui

import (
	"fmt"
	"time"
)

// pathOpener is the autopilot's LPDESK_TEST_AUTOPILOT_OPEN mode, the
// benchmark's viewer and window figures. Once the account is open and has
// been idle for two seconds it prints the process's memory ("mem idle"),
// then opens each path in turn, as text, and after each prints
//
//	LPDESK_AUTOPILOT opened PATH bytes N visible MS firstscreen MS complete MS end MS maxstall MS received MS maxstallat MS
//
// visible: from navigation to the first screen of text painted;
// firstscreen: from the client returning the response (its last byte
// read) to that paint; complete: from navigation until all of the text is
// made; end: from a jump to the last row to its paint; maxstall: the
// longest the UI goroutine took to run a no-op posted every 50 ms, from
// navigation until the end was painted; received: from navigation to the
// response; maxstallat: from navigation to the start of the longest
// stall. Then it goes back to the account
// base ("closing" the resource) and opens the next. The list is opened
// repeat times; two seconds after the last return to the account base it
// prints "mem after" and finishes with "done".
type pathOpener struct {
	ap     *autopilot
	paths  []string
	repeat int
	round  int
	i      int
	step   string // "idle", "nav", "close", "final"

	navAt, received, painted, doneAt time.Time
	bytes                            int
	stall                            *stallMeter
}

func newOpener(ap *autopilot, paths []string, repeat int) *pathOpener {
	return &pathOpener{ap: ap, paths: paths, repeat: max(repeat, 1)}
}

// settle is how long the window is left alone before memory is read.
const settle = 2 * time.Second

func (o *pathOpener) start() {
	// The text, not the table or form, as if chosen (it stays chosen):
	// the figures are the text's.
	o.ap.d.br.st.switched(labelText)
	o.step = "idle"
	o.after(settle, func() {
		o.mem("idle")
		o.next()
	})
}

// after runs f on the UI goroutine once d has passed.
func (o *pathOpener) after(d time.Duration, f func()) {
	ctx := o.ap.d.ctx
	go func() {
		select {
		case <-time.After(d):
			o.ap.d.do(f)
		case <-ctx.Done():
		}
	}()
}

func (o *pathOpener) mem(label string) {
	fmt.Fprintf(o.ap.out, "%s mem %s %s\n", AutopilotMarker, label, memLine())
}

func (o *pathOpener) next() {
	if o.i == len(o.paths) {
		o.i = 0
		o.round++
	}
	br := o.ap.d.br
	if o.round == o.repeat {
		o.step = "final"
		br.navigate("", true)
		return
	}
	o.step = "nav"
	o.painted, o.doneAt = time.Time{}, time.Time{}
	o.stall = startStallMeter(o.ap.d.do)
	o.navAt = time.Now()
	br.navigate(o.paths[o.i], true)
}

func (o *pathOpener) event(ev event) {
	br := o.ap.d.br
	switch {
	case ev == evBody && o.step == "nav" && br.currentAddr == o.paths[o.i]:
		o.received, o.bytes = br.received, len(br.current.Body)
		br.body.ProbePaint(func() {
			o.painted = time.Now()
			o.ap.d.do(o.measured)
		})
	case ev == evBodyDone && o.step == "nav" && br.currentAddr == o.paths[o.i]:
		o.doneAt = time.Now()
		o.measured()
	// Back at the account base once its text is made (its evBody and
	// evBodyDone come after evLoaded, and must not count as the next
	// path's).
	case ev == evBodyDone && o.step == "close" && br.currentAddr == "":
		o.i++
		o.next()
	case ev == evBodyDone && o.step == "final" && br.currentAddr == "":
		o.step = "done"
		o.after(settle, func() {
			o.mem("after")
			o.ap.finish("done")
		})
	case ev == evRequestFailed || ev == evRevokedOnServer:
		o.ap.finish("failed: " + br.status.ErrorText())
	}
}

// measured jumps to the end once the first screen is painted and all the
// text is made, then reports and goes back to the account base.
func (o *pathOpener) measured() {
	if o.painted.IsZero() || o.doneAt.IsZero() || o.step != "nav" {
		return
	}
	o.step = "end"
	br := o.ap.d.br
	jump := time.Now()
	br.body.ScrollToEnd()
	br.body.ProbePaint(func() {
		end := time.Since(jump)
		o.ap.d.do(func() { o.report(end) })
	})
}

// report prints the figures of the path just opened and goes back to the
// account base.
func (o *pathOpener) report(end time.Duration) {
	stall := o.stall.finish()
	fmt.Fprintf(o.ap.out, "%s opened %s bytes %d visible %.1f firstscreen %.1f complete %.1f end %.1f maxstall %.1f received %.1f maxstallat %.1f\n",
		AutopilotMarker, o.paths[o.i], o.bytes, ms(o.painted.Sub(o.navAt)), ms(o.painted.Sub(o.received)),
		ms(o.doneAt.Sub(o.navAt)), ms(end), ms(stall), ms(o.received.Sub(o.navAt)), ms(o.stall.maxAt()))
	o.step = "close"
	o.ap.d.br.navigate("", true)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
