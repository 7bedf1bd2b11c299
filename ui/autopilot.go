//go:build lpdesk_testdrivers

package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// AutopilotMarker starts the line the autopilot prints when it is done.
const AutopilotMarker = "LPDESK_AUTOPILOT"

// autopilot drives `lpdesk demo` through the window the way a person
// would — authorize, approve in the sandbox's console, open the account,
// open the skills, open one skill — so that the real-window smoke test can
// run without clicking. The approval is the only step done behind the
// window: it is what the person does in their web browser, sent as the
// console's HTTP Basic form POST. Following the console's redirect hits
// the wizard's loopback callback, so the verifier arrives the normal way.
type autopilot struct {
	d       *desk
	out     io.Writer
	stage   string
	skill   string
	done    bool
	started bool

	// open, when set (LPDESK_TEST_AUTOPILOT_OPEN=PATH[,PATH…]), replaces
	// "open the skills, open a skill": the autopilot opens each PATH in
	// turn and reports on it (autopilot_open.go) — the benchmark's viewer
	// and window figures.
	open *pathOpener

	// agent (LPDESK_TEST_AUTOPILOT=agent) goes on from the skill to the
	// agent workspace and a chat with the demo's visitor
	// (autopilot_agent.go).
	agent  bool
	answer string // the visitor's answer
}

// autopilotTimeout bounds the whole run; the smoke test fails on the
// missing marker line.
const autopilotTimeout = 90 * time.Second

// autopilotDriver runs the autopilot, writing its marker line to out.
func autopilotDriver(out io.Writer, open string, repeat int) driver {
	return func(d *desk) { startAutopilot(d, out, open, repeat, false) }
}

func startAutopilot(d *desk, out io.Writer, open string, repeat int, agentMode bool) {
	ap := &autopilot{d: d, out: out, stage: "start", agent: agentMode}
	if open != "" {
		ap.open = newOpener(ap, strings.Split(open, ","), repeat)
	}
	// The console approval stands in for the browser: opening one would
	// only cover the window under test.
	d.openURLHook = func(string) error { return nil }
	d.onEvent(ap.event)
	go func() {
		t := time.NewTimer(autopilotTimeout)
		defer t.Stop()
		select {
		case <-t.C:
			d.do(func() {
				if !ap.done {
					ap.finish(fmt.Sprintf("failed: timed out at stage %s", ap.stage))
				}
			})
		case <-d.ctx.Done():
		}
	}()
}

func (ap *autopilot) finish(msg string) {
	ap.done = true
	fmt.Fprintf(ap.out, "%s %s\n", AutopilotMarker, msg)
}

func (ap *autopilot) event(ev event, detail string) {
	if ap.done || (ap.agent && ap.agentEvent(ev, detail)) {
		return
	}
	d := ap.d
	switch {
	case ev == evWizard && !ap.started:
		ap.started = true
		ap.stage = "authorize"
		// Let the first page render before moving on.
		d.bg(func(context.Context) func() { return func() { d.wiz.accountPage.authorize() } })
	case ev == evAuthorize:
		ap.stage = "approve"
		d.approveWizard(func(verifier string, err error) {
			if err != nil {
				ap.finish("failed: approving in the console: " + err.Error())
				return
			}
			if verifier != "" && d.wiz != nil && d.wiz.page == pageAuthorize {
				d.wiz.authorizePage.verifier.SetText(verifier)
				d.wiz.authorizePage.continueAuth()
			}
		})
	case ev == evInstalled:
		ap.stage = "open account"
		d.wiz.donePage.openBtn.OnTapped()
	case ev == evWizardError:
		ap.finish("failed: " + detail)
	case ev == evRequestFailed || ev == evRevokedOnServer:
		ap.finish("failed: " + d.br.status.ErrorText())
	case ap.stage == "open large":
		ap.open.event(ev)
	case ev == evLoaded:
		ap.loaded(detail)
	case ev == evBody && ap.stage == "render" && ap.agent:
		ap.startAgent()
	case ev == evBody && ap.stage == "render":
		ap.finish("ok: showing " + ap.skill)
	}
}

// loaded moves on once the browser shows addr.
func (ap *autopilot) loaded(addr string) {
	d := ap.d
	br := d.br
	switch {
	case ap.stage == "open account" && ap.open != nil:
		ap.stage = "open large"
		ap.open.start()
	case ap.stage == "open account":
		ap.stage = "open skills"
		if l, ok := findLink(br.linkData, func(l wire.Link) bool { return l.Rel == "skills" }); ok {
			br.follow(l)
		} else {
			ap.finish("failed: the account has no skills link")
		}
	case ap.stage == "open skills":
		ap.stage = "open skill"
		if l, ok := findLink(br.linkData, func(l wire.Link) bool {
			return strings.Contains(l.Href, "/skills/")
		}); ok {
			br.follow(l)
		} else {
			ap.finish("failed: the skills list has no skill")
		}
	case ap.stage == "open skill":
		ap.stage = "render"
		ap.skill = addr
	}
}

func findLink(ls []wire.Link, ok func(wire.Link) bool) (wire.Link, bool) {
	for _, l := range ls {
		if ok(l) {
			return l, true
		}
	}
	return wire.Link{}, false
}
