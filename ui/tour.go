//go:build lpdesk_testdrivers

package ui

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// TourMarker starts the lines the tour prints.
const TourMarker = "LPDESK_TOUR"

// The tour is the screenshot script's driver (LPDESK_TEST_TOUR=1 with
// `lpdesk demo`): it walks the window through every screen, and at each one
// prints "LPDESK_TOUR <name>" and waits for a line on its input before
// going on, so that the script can capture the real window under Xvfb.
type tourStep struct {
	// name is the screenshot's name; "" for an intermediate step.
	name string
	// do changes the screen (on the UI goroutine); nil for the first one.
	do func(d *desk)
	// ready tells when the screen is complete (on the UI goroutine).
	ready func(d *desk) bool
}

func tourSteps(out io.Writer) []tourStep {
	page := func(p wizardPage) func(d *desk) bool {
		return func(d *desk) bool { return d.view == viewWizard && d.wiz != nil && d.wiz.page == p }
	}
	loaded := func(addr string) func(d *desk) bool {
		return func(d *desk) bool {
			return d.view == viewBrowser && d.br != nil && d.br.current != nil && strings.HasPrefix(d.br.currentAddr, addr) &&
				d.br.body.HasText()
		}
	}
	return []tourStep{
		{name: "wizard-account", ready: page(pageAccount)},
		{name: "wizard-code", do: func(d *desk) {
			d.wiz.showCode()
			d.wiz.codePage.code.SetText("7a1c0e9d45b2f3a8;pasted-from-the-console")
		}, ready: page(pageCode)},
		{name: "wizard-authorize", do: func(d *desk) {
			d.wiz.showAccount()
			d.wiz.accountPage.authorize()
		}, ready: page(pageAuthorize)},
		{name: "wizard-done", do: func(d *desk) {
			authURL := d.wiz.auth.AuthorizeURL()
			demo := *d.opts.Demo
			d.bg(func(ctx context.Context) func() {
				_, err := approve(ctx, authURL, demo)
				return func() {
					if err != nil {
						fmt.Fprintf(out, "%s failed: %v\n", TourMarker, err)
					}
				}
			})
		}, ready: page(pageDone)},
		{name: "browser-account", do: func(d *desk) { d.wiz.donePage.openBtn.OnTapped() }, ready: loaded("")},
		{name: "", do: func(d *desk) {
			if l, ok := findLink(d.br.linkData, func(l wire.Link) bool { return l.Rel == "skills" }); ok {
				d.br.follow(l)
			}
		}, ready: loaded("skills")},
		{name: "browser-search", do: func(d *desk) {
			d.br.body.FocusSearch()
			d.br.body.SearchBox().SetText("maxWaitTime")
		}, ready: func(d *desk) bool { return d.br.body.Matches() > 0 }},
		{name: "browser-skill", do: func(d *desk) {
			if l, ok := findLink(d.br.linkData, func(l wire.Link) bool { return strings.Contains(l.Href, "/skills/") }); ok {
				d.br.follow(l)
			}
		}, ready: loaded("skills/")},
		{name: "browser-tree", do: func(d *desk) {
			d.br.body.SearchBox().SetText("")
			d.br.body.SetMode(xwidget.TreeMode)
		}, ready: func(d *desk) bool { return d.br.body.HasTree() }},
		{name: "", do: func(d *desk) {
			d.br.body.SetMode(xwidget.TextMode)
			d.br.edit()
		}, ready: func(d *desk) bool { return d.view == viewEditor }},
		{name: "editor-invalid", do: func(d *desk) {
			t := d.ed.text.Text
			d.ed.text.SetText(strings.Replace(t, `"name": `, `"name" `, 1))
			d.ed.save()
		}, ready: func(d *desk) bool { return d.ed != nil && d.ed.status.Failed() }},
		{name: "settings", do: func(d *desk) {
			d.ed.original = d.ed.text.Text // leave without the unsaved-changes question
			d.ed.close()
			d.showSettings()
		}, ready: func(d *desk) bool { return d.view == viewSettings }},
		{name: "settings-revoke", do: func(d *desk) { d.set.confirmRevoke() },
			ready: func(d *desk) bool { return len(d.dialogs) > 0 }},
	}
}

// tourDriver runs the tour, reading its go-ahead lines from in and
// announcing each screen on out.
func tourDriver(in io.Reader, out io.Writer) driver {
	return func(d *desk) { startTour(d, in, out) }
}

func startTour(d *desk, in io.Reader, out io.Writer) {
	steps := append(tourSteps(out), agentTourSteps(out)...)
	lines := bufio.NewScanner(in)
	onUI := func(f func() bool) bool {
		ch := make(chan bool, 1)
		d.do(func() { ch <- f() })
		select {
		case v := <-ch:
			return v
		case <-d.ctx.Done():
			return false
		}
	}
	go func() {
		for _, s := range steps {
			if s.do != nil {
				onUI(func() bool { s.do(d); return true })
			}
			deadline := time.Now().Add(60 * time.Second)
			for !onUI(func() bool { return s.ready(d) && d.pending.Load() == 0 }) {
				if d.ctx.Err() != nil {
					return
				}
				if time.Now().After(deadline) {
					fmt.Fprintf(out, "%s failed: %s did not appear\n", TourMarker, s.name)
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
			if s.name == "" {
				continue
			}
			// Let animations and the last frame settle before the capture.
			time.Sleep(600 * time.Millisecond)
			fmt.Fprintf(out, "%s %s\n", TourMarker, s.name)
			if !lines.Scan() {
				return
			}
		}
		fmt.Fprintf(out, "%s end\n", TourMarker)
	}()
}
