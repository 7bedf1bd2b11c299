//go:build lpdesk_testdrivers

package ui

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/lpdesk/lpdesk/apiclient/wire"
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
	shows := func(addr string, sh shape) func(d *desk) bool {
		return func(d *desk) bool {
			return loaded(addr)(d) && d.br.st.shape == sh && d.br.st.current() == paneStructured
		}
	}
	// small puts the window at 1024×640 for a screenshot, roomy back again
	// after it.
	small := func(d *desk) { d.win.Resize(tourSmall) }
	roomy := func(d *desk) { d.win.Resize(preferredSize) }
	isSize := func(s fyne.Size) func(d *desk) bool {
		return func(d *desk) bool { return d.win.Canvas().Size() == s }
	}
	return []tourStep{
		{name: "wizard-account", ready: page(pageAccount)},
		{name: "wizard-code", do: func(d *desk) {
			d.wiz.showCode()
			d.wiz.codePage.code.SetText("7a1c0e9d45b2f3a8;pasted-from-the-console")
		}, ready: page(pageCode)},
		{name: "wizard-authorize", do: func(d *desk) {
			// The screens of a desktop with a browser (the tour's Xvfb has
			// none); the next one shows the other case.
			d.openURLHook = func(string) error { return nil }
			d.wiz.showAccount()
			d.wiz.accountPage.authorize()
		}, ready: page(pageAuthorize)},
		{name: "wizard-no-browser", do: func(d *desk) {
			d.openURLHook = func(string) error {
				return errors.New("xdg-open is not installed")
			}
			d.wiz.authorizePage.openBrowser()
		}, ready: page(pageAuthorize)},
		{name: "wizard-done", do: func(d *desk) {
			d.openURLHook = func(string) error { return nil }
			d.approveWizard(func(_ string, err error) {
				if err != nil {
					fmt.Fprintf(out, "%s failed: %v\n", TourMarker, err)
				}
			})
		}, ready: page(pageDone)},
		{name: "browser-account", do: func(d *desk) { d.wiz.donePage.openBtn.OnTapped() }, ready: shows("", shapeMember)},
		{name: "browser-skills-table", do: func(d *desk) {
			if l, ok := findLink(d.br.linkData, func(l wire.Link) bool { return l.Rel == "skills" }); ok {
				d.br.follow(l)
			}
		}, ready: shows("skills", shapeCollection)},
		{name: "browser-skills-table-sorted-1024x640", do: func(d *desk) {
			small(d)
			t := d.br.st.table
			if c := slices.Index(t.Columns(), "Name"); c >= 0 {
				t.SortBy(c, false)
			}
			t.SelectRow(2)
		}, ready: isSize(tourSmall)},
		{name: "browser-skill-form", do: func(d *desk) {
			roomy(d)
			d.br.st.table.OpenSelected()
		}, ready: shows("skills/", shapeMember)},
		{name: "browser-skill-form-1024x640", do: small, ready: isSize(tourSmall)},
		{name: "editor-form", do: func(d *desk) {
			roomy(d)
			d.br.edit()
		}, ready: func(d *desk) bool { return d.view == viewEditor && d.ed.asForm }},
		{name: "editor-form-invalid-1024x640", do: func(d *desk) {
			small(d)
			d.ed.form.SetValue("description", "Questions about orders, before and after they ship")
			d.ed.form.SetValue("maxWaitTime", "two minutes")
			d.ed.save()
		}, ready: func(d *desk) bool { return d.ed != nil && d.ed.status.Failed() && d.win.Canvas().Size() == tourSmall }},
		{name: "browser-search", do: func(d *desk) {
			roomy(d)
			d.ed.leave(false)
			d.br.st.setPane(paneText)
			d.br.body.FocusSearch()
			d.br.body.SearchBox().SetText("maxWaitTime")
		}, ready: func(d *desk) bool { return d.view == viewBrowser && d.br.body.Matches() > 0 }},
		{name: "browser-tree", do: func(d *desk) {
			d.br.body.SearchBox().SetText("")
			d.br.st.setPane(paneTree)
		}, ready: func(d *desk) bool { return d.br.body.HasTree() }},
		{name: "", do: func(d *desk) {
			d.br.st.setPane(paneText)
			d.br.edit()
		}, ready: func(d *desk) bool { return d.view == viewEditor && !d.ed.asForm }},
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

// tourSmall is the small screen the window must fit, for the screenshots
// that show it.
var tourSmall = fyne.NewSize(1024, 640)

// tourDriver runs the tour, reading its go-ahead lines from in and
// announcing each screen on out.
func tourDriver(in io.Reader, out io.Writer) driver {
	return func(d *desk) { startTour(d, in, out) }
}

func startTour(d *desk, in io.Reader, out io.Writer) {
	steps := append(append(tourSteps(out), agentTourSteps(out)...), providerTourSteps(out)...)
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
