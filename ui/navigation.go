package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// view names the screen on show.
type view int

const (
	viewStart    view = iota // reading the profiles
	viewWizard               // onboarding
	viewBrowser              // the resource browser
	viewEditor               // editing a representation
	viewSettings             // the open profile's settings
	viewAgent                // the agent workspace
)

func (v view) String() string {
	switch v {
	case viewStart:
		return "start"
	case viewWizard:
		return "wizard"
	case viewBrowser:
		return "browser"
	case viewEditor:
		return "editor"
	case viewSettings:
		return "settings"
	case viewAgent:
		return "agent"
	}
	return "unknown"
}

func (d *desk) setView(v view, content fyne.CanvasObject) {
	d.view = v
	d.root.Objects = []fyne.CanvasObject{d.withModeBar(v, content)}
	d.root.Refresh()
	d.updateTitle()
}

func (d *desk) updateTitle() {
	title := "lpdesk"
	switch {
	case d.view == viewWizard:
		title = "lpdesk — set up an account"
	case d.opened:
		title = fmt.Sprintf("lpdesk — %s (account %s)", d.profile.Name, d.profile.AccountID)
	}
	d.win.SetTitle(title)
}

// start shows the first screen: the wizard when there is no profile (or in
// demo mode), otherwise the browser on the default profile.
func (d *desk) start() {
	if d.opts.Demo != nil {
		name := d.opts.Demo.Profile
		if name == "" {
			name = "demo"
		}
		d.showWizard(AuthRequest{Server: d.opts.Demo.ServerURL, AccountID: d.opts.Demo.AccountID, Profile: name})
		return
	}
	d.startMsg = xwidget.NewStatus()
	d.setView(viewStart, centered(640, container.NewVBox(heading("lpdesk"), d.startMsg)))
	d.loadProfiles()
}

func (d *desk) loadProfiles() {
	d.startMsg.Busy("Reading profiles…")
	d.bg(func(ctx context.Context) func() {
		ps, err := d.be.Profiles(ctx)
		return func() {
			if err != nil {
				d.startMsg.Fail("Could not read the profiles: "+err.Error(), d.loadProfiles)
				return
			}
			d.profiles = ps
			if len(ps) == 0 {
				d.showWizard(AuthRequest{})
				return
			}
			d.openDefault()
		}
	})
}

// openDefault opens the default profile of d.profiles.
func (d *desk) openDefault() {
	if len(d.profiles) == 0 {
		d.showWizard(AuthRequest{})
		return
	}
	name := d.profiles[0].Name
	for _, p := range d.profiles {
		if p.Default {
			name = p.Name
		}
	}
	d.openProfile(name)
}

// openURL opens u in the user's browser off the UI goroutine, then tells
// done whether that worked (no opener, or one that failed, is an error).
func (d *desk) openURL(u string, done func(error)) {
	if d.openURLHook != nil {
		err := d.openURLHook(u)
		if done != nil {
			done(err)
		}
		return
	}
	d.bg(func(ctx context.Context) func() {
		err := d.opener.Open(ctx, u)
		return func() {
			if done != nil {
				done(err)
			}
		}
	})
}

// openProfile makes name the current profile and shows the browser on its
// account base.
func (d *desk) openProfile(name string) {
	br := d.browser()
	d.setView(viewBrowser, br.content)
	br.status.Busy("Opening profile " + name + "…")
	d.bg(func(ctx context.Context) func() {
		p, err := d.be.Open(ctx, name)
		var ps []ProfileInfo
		if err == nil {
			ps, _ = d.be.Profiles(ctx)
		}
		return func() {
			if err != nil {
				// Keep what is known of the profile so that "Set up access
				// again" can prefill the wizard.
				for _, q := range d.profiles {
					if q.Name == name {
						d.profile = q
					}
				}
				d.opened = false
				br.status.Fail(fmt.Sprintf("Could not open profile %s: %v", name, err), func() { d.openProfile(name) })
				br.offerSetup(fmt.Sprintf("Profile %s cannot be used: %v", name, err))
				return
			}
			if d.profile.Name != p.Name {
				d.dropWorkspace()
			}
			d.profile, d.opened = p, true
			if ps != nil {
				d.profiles = ps
			}
			d.profileGeometry(p.Name)
			d.updateTitle()
			br.profileChanged()
			br.navigate("", true)
		}
	})
}

func (d *desk) browser() *browser {
	if d.br == nil {
		d.br = newBrowser(d)
	}
	return d.br
}

func (d *desk) showBrowser() {
	br := d.browser()
	d.setView(viewBrowser, br.content)
	br.profileChanged()
}

// showWizard opens onboarding, prefilled with req.
func (d *desk) showWizard(req AuthRequest) {
	if d.wiz != nil {
		d.wiz.cancelFlow()
	}
	d.wiz = newWizard(d, req)
	d.setView(viewWizard, d.wiz.content)
	d.emit(evWizard)
}

// installed is called by the wizard when a profile was saved.
func (d *desk) installed(in Installed) {
	d.profile, d.opened = in.Profile, true
	d.bg(func(ctx context.Context) func() {
		ps, err := d.be.Profiles(ctx)
		return func() {
			if err == nil {
				d.profiles = ps
			}
		}
	})
}

func (d *desk) showSettings() {
	d.set = newSettings(d)
	d.setView(viewSettings, d.set.content)
	d.emit(evSettings)
}

// showEditor opens the editor over the browser.
func (d *desk) showEditor(ed *editor) {
	d.ed = ed
	d.setView(viewEditor, ed.content)
	d.win.Canvas().Focus(ed.focusTarget())
	d.emit(evEditor)
}

// closeEditor returns to the browser, optionally reloading it.
func (d *desk) closeEditor(reload bool) {
	d.ed = nil
	d.showBrowser()
	if reload {
		d.br.reload()
	}
}

// profileRemoved is called after sign-out or revocation removed the open
// profile: the next profile opens, or the wizard when none is left.
func (d *desk) profileRemoved(removed ProfileInfo) {
	d.opened = false
	d.profile = ProfileInfo{}
	d.br = nil
	d.dropWorkspace()
	d.bg(func(ctx context.Context) func() {
		ps, err := d.be.Profiles(ctx)
		return func() {
			if err != nil || len(ps) == 0 {
				d.profiles = nil
				d.showWizard(AuthRequest{Server: removed.Server, AccountID: removed.AccountID})
				return
			}
			d.profiles = ps
			d.openDefault()
		}
	})
}
