package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/assets"
)

// AppID is the application identifier (FyneApp.toml uses the same).
const AppID = "io.lpdesk.app"

// Options configure Run.
type Options struct {
	// Demo is set by `lpdesk demo`: the wizard starts prefilled for the
	// embedded sandbox and shows its console and credentials.
	Demo *DemoInfo
	// ConfigDir is lpdesk's configuration directory, shown in Settings
	// when the backend does not name the profile file.
	ConfigDir string
	// Autopilot completes the demo onboarding and opens a skill without a
	// person, then writes a line starting with AutopilotMarker to Stdout.
	// It is a test hook for the real-window smoke test; the environment
	// variable LPDESK_TEST_AUTOPILOT=1 sets it too. It only acts in demo
	// mode.
	Autopilot bool
	// Stdout receives the autopilot's lines (default os.Stdout).
	Stdout io.Writer

	// tour, when set (LPDESK_TEST_TOUR=1), walks the demo through every
	// screen for scripts/screenshots.sh, reading go-ahead lines from it.
	tour io.Reader
}

// DemoInfo describes the embedded sandbox of `lpdesk demo`.
type DemoInfo struct {
	// ConsoleURL is the sandbox's admin console.
	ConsoleURL string
	// AdminUser and AdminPassword sign in to the console (public demo
	// values, not secrets).
	AdminUser, AdminPassword string
	// ServerURL is the sandbox's root URL, prefilled as the server.
	ServerURL string
	// AccountID is prefilled as the account.
	AccountID string
	// Profile is prefilled as the profile name (default "demo").
	Profile string
	// KeyringNote, when set, says that the demo keeps its secret in
	// memory because no OS keyring answered.
	KeyringNote string
}

// AutopilotMarker starts the line the autopilot prints once a skill is on
// screen.
const AutopilotMarker = "LPDESK_AUTOPILOT"

// HasDisplay reports whether a graphical session is available: without
// DISPLAY or WAYLAND_DISPLAY, GLFW would fail with an unhelpful error.
func HasDisplay() bool {
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

// Run opens the window and blocks until it is closed.
func Run(opts Options, b Backend) error {
	if !HasDisplay() {
		return errors.New("no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)")
	}
	if os.Getenv("LPDESK_TEST_AUTOPILOT") == "1" {
		opts.Autopilot = true
	}
	if os.Getenv("LPDESK_TEST_TOUR") == "1" {
		opts.tour = os.Stdin
	}
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("lpdesk.png", assets.Icon))
	w := a.NewWindow("lpdesk")
	d := newDesk(a, w, b, opts, fyne.Do)
	d.start()
	w.ShowAndRun()
	d.shutdown()
	return nil
}

// desk is the window's controller: it owns the current screen, runs core
// calls off the UI goroutine and brings their results back through do.
type desk struct {
	app  fyne.App
	win  fyne.Window
	be   Backend
	opts Options
	// do runs f on the UI goroutine: fyne.Do in the app, a queue the test
	// drains in tests (so that tests never race with the UI).
	do      func(func())
	pending atomic.Int64

	ctx    context.Context
	cancel context.CancelFunc

	profile  ProfileInfo
	opened   bool
	profiles []ProfileInfo

	view     string // "start", "wizard", "browser", "editor", "settings"
	wiz      *wizard
	br       *browser
	ed       *editor
	set      *settingsView
	root     *fyne.Container
	startMsg *status

	dialogs []dialog.Dialog

	hookMu sync.Mutex
	hooks  []func(event string)
	closed bool
	// openURLHook replaces the browser launch (tests).
	openURLHook func(string)
}

func newDesk(a fyne.App, w fyne.Window, b Backend, opts Options, do func(func())) *desk {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &desk{app: a, win: w, be: b, opts: opts, do: do, ctx: ctx, cancel: cancel}
	d.root = container.NewStack()
	w.SetContent(d.root)
	w.Resize(fyne.NewSize(1100, 720))
	w.SetCloseIntercept(d.requestClose)
	d.applyTheme(a.Preferences().StringWithFallback("theme", "system"))
	d.installShortcuts()
	switch {
	case opts.Demo != nil && opts.tour != nil:
		startTour(d, opts.tour)
	case opts.Demo != nil && opts.Autopilot:
		startAutopilot(d)
	}
	return d
}

// bg runs work off the UI goroutine; the function it returns, if any, runs
// on the UI goroutine afterwards.
func (d *desk) bg(work func(ctx context.Context) func()) {
	d.pending.Add(1)
	go func() {
		apply := work(d.ctx)
		d.do(func() {
			defer d.pending.Add(-1)
			if apply != nil && !d.closed {
				apply()
			}
		})
	}()
}

// onEvent registers a hook told about milestones ("wizard", "authorize",
// "installed", "loaded", …); the autopilot and tests follow the window with
// it. Hooks run on the UI goroutine.
func (d *desk) onEvent(f func(event string)) {
	d.hookMu.Lock()
	d.hooks = append(d.hooks, f)
	d.hookMu.Unlock()
}

func (d *desk) emit(event string) {
	d.hookMu.Lock()
	hs := append([]func(string){}, d.hooks...)
	d.hookMu.Unlock()
	for _, h := range hs {
		h(event)
	}
}

func (d *desk) setView(name string, content fyne.CanvasObject) {
	d.view = name
	d.root.Objects = []fyne.CanvasObject{content}
	d.root.Refresh()
	d.updateTitle()
}

func (d *desk) updateTitle() {
	title := "lpdesk"
	switch {
	case d.view == "wizard":
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
	d.startMsg = newStatus()
	d.setView("start", centered(640, container.NewVBox(heading("lpdesk"), d.startMsg.box)))
	d.loadProfiles()
}

func (d *desk) loadProfiles() {
	d.startMsg.busy("Reading profiles…")
	d.bg(func(ctx context.Context) func() {
		ps, err := d.be.Profiles(ctx)
		return func() {
			if err != nil {
				d.startMsg.fail("Could not read the profiles: "+err.Error(), d.loadProfiles)
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

// openURL opens u in the user's browser. The wizard also shows u with a
// Copy button, so a failure here only costs a click.
func (d *desk) openURL(u string) {
	if d.openURLHook != nil {
		d.openURLHook(u)
		return
	}
	if d.opts.Autopilot {
		return
	}
	if parsed, err := url.Parse(u); err == nil {
		_ = d.app.OpenURL(parsed)
	}
}

// openProfile makes name the current profile and shows the browser on its
// account base.
func (d *desk) openProfile(name string) {
	br := d.browser()
	d.setView("browser", br.content)
	br.status.busy("Opening profile " + name + "…")
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
				br.status.fail(fmt.Sprintf("Could not open profile %s: %v", name, err), func() { d.openProfile(name) })
				br.offerSetup(fmt.Sprintf("Profile %s cannot be used: %v", name, err))
				return
			}
			d.profile, d.opened = p, true
			if ps != nil {
				d.profiles = ps
			}
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
	d.setView("browser", br.content)
	br.profileChanged()
}

// showWizard opens onboarding, prefilled with req.
func (d *desk) showWizard(req AuthRequest) {
	if d.wiz != nil {
		d.wiz.cancelFlow()
	}
	d.wiz = newWizard(d, req)
	d.setView("wizard", d.wiz.content)
	d.emit("wizard")
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
	d.setView("settings", d.set.content)
	d.emit("settings")
}

// showEditor opens the editor over the browser.
func (d *desk) showEditor(ed *editor) {
	d.ed = ed
	d.setView("editor", ed.content)
	d.win.Canvas().Focus(ed.text)
	d.emit("editor")
}

// closeEditor returns to the browser, optionally reloading it.
func (d *desk) closeEditor(reload bool) {
	d.ed = nil
	d.showBrowser()
	if reload {
		d.br.reload()
	}
}

// profilesChanged is called after sign-out or revocation removed the open
// profile: the next profile opens, or the wizard when none is left.
func (d *desk) profileRemoved(removed ProfileInfo) {
	d.opened = false
	d.profile = ProfileInfo{}
	d.br = nil
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

// showDialog shows dlg and remembers it so that Esc can close it.
func (d *desk) showDialog(dlg dialog.Dialog) {
	d.dialogs = append(d.dialogs, dlg)
	dlg.SetOnClosed(func() { d.forgetDialog(dlg) })
	dlg.Show()
}

func (d *desk) forgetDialog(dlg dialog.Dialog) {
	for i, x := range d.dialogs {
		if x == dlg {
			d.dialogs = append(d.dialogs[:i], d.dialogs[i+1:]...)
			return
		}
	}
}

// confirm asks a yes/no question in a dialog Esc can dismiss.
func (d *desk) confirm(title, message, yes string, onYes func()) dialog.Dialog {
	msg := para(message)
	var dlg *dialog.CustomDialog
	yesBtn := widget.NewButton(yes, func() {
		dlg.Hide()
		onYes()
	})
	yesBtn.Importance = widget.DangerImportance
	cancel := widget.NewButton("Cancel", func() { dlg.Hide() })
	dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(msg), d.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, yesBtn})
	dlg.Resize(fyne.NewSize(520, 0))
	d.showDialog(dlg)
	return dlg
}

// escape closes the top dialog, or leaves the editor or settings. It
// reports whether it did something.
func (d *desk) escape() bool {
	if n := len(d.dialogs); n > 0 {
		d.dialogs[n-1].Hide()
		return true
	}
	switch d.view {
	case "editor":
		d.ed.close()
		return true
	case "settings":
		d.showBrowser()
		return true
	}
	return false
}

var (
	scAddress = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
	scSend    = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	scSendKP  = &desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault}
	scBack    = &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}
	scForward = &desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt}
	scSave    = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	scFind    = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	scQuit    = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
)

func (d *desk) installShortcuts() {
	c := d.win.Canvas()
	for _, sc := range []*desktop.CustomShortcut{scAddress, scSend, scSendKP, scBack, scForward, scSave, scFind, scQuit} {
		c.AddShortcut(sc, func(s fyne.Shortcut) {
			if cs, ok := s.(*desktop.CustomShortcut); ok {
				d.handleShortcut(cs)
			}
		})
	}
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			d.escape()
		}
	})
}

// handleShortcut runs the window's shortcuts; it reports whether sc was
// one of them.
func (d *desk) handleShortcut(sc *desktop.CustomShortcut) bool {
	same := func(o *desktop.CustomShortcut) bool {
		return sc.KeyName == o.KeyName && sc.Modifier == o.Modifier
	}
	switch {
	case same(scQuit):
		d.requestClose()
	case same(scAddress):
		if d.view == "browser" && d.br != nil {
			d.win.Canvas().Focus(d.br.address)
			d.br.address.TypedShortcut(&fyne.ShortcutSelectAll{})
		}
	case same(scSend), same(scSendKP):
		switch d.view {
		case "browser":
			d.br.navigate(d.br.address.Text, true)
		case "editor":
			d.ed.save()
		}
	case same(scBack):
		if d.view == "browser" {
			d.br.back()
		}
	case same(scForward):
		if d.view == "browser" {
			d.br.forward()
		}
	case same(scSave):
		if d.view == "editor" {
			d.ed.save()
		}
	case same(scFind):
		if d.view == "browser" && d.br != nil {
			d.br.body.focusSearch()
		}
	default:
		return false
	}
	return true
}

// requestClose closes the window, asking first when the editor holds
// unsaved text.
func (d *desk) requestClose() {
	if d.view == "editor" && d.ed != nil && d.ed.dirty() {
		d.confirm("Unsaved changes", fmt.Sprintf("Your changes to %s have not been saved. Quit and discard them?", d.ed.describe()),
			"Discard and quit", d.forceClose)
		return
	}
	d.forceClose()
}

func (d *desk) forceClose() {
	d.closed = true
	d.shutdown()
	d.win.Close()
}

// shutdown cancels outstanding work and closes the authorization flow's
// listener.
func (d *desk) shutdown() {
	if d.wiz != nil {
		d.wiz.cancelFlow()
	}
	d.cancel()
}

// applyTheme switches between the system's, the light and the dark theme.
func (d *desk) applyTheme(name string) {
	var t fyne.Theme = theme.DefaultTheme()
	switch name {
	case "light":
		t = variantTheme{Theme: theme.DefaultTheme(), v: theme.VariantLight}
	case "dark":
		t = variantTheme{Theme: theme.DefaultTheme(), v: theme.VariantDark}
	default:
		name = "system"
	}
	d.app.Preferences().SetString("theme", name)
	d.app.Settings().SetTheme(t)
}

func (d *desk) themeName() string {
	return d.app.Preferences().StringWithFallback("theme", "system")
}

// showNotice tells the user something in a dialog with an OK button.
func (d *desk) showNotice(title, message string) {
	var dlg *dialog.CustomDialog
	ok := widget.NewButton("OK", func() { dlg.Hide() })
	ok.Importance = widget.HighImportance
	dlg = dialog.NewCustomWithoutButtons(title, para(message), d.win)
	dlg.SetButtons([]fyne.CanvasObject{ok})
	dlg.Resize(fyne.NewSize(520, 0))
	d.showDialog(dlg)
}
