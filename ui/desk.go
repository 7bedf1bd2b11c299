package ui

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"github.com/lpdesk/lpdesk/ui/internal/opener"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

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

	view     view
	wiz      *wizard
	br       *browser
	ed       *editor
	set      *settingsView
	root     *fyne.Container
	startMsg *xwidget.Status

	// The agent workspace, once shown, and the bar that switches to it.
	ws      *workspace
	modeBar *modeBar
	// loggingOut closes when the last agent session's logout is done.
	loggingOut <-chan struct{}

	dialogs []dialog.Dialog

	hookMu sync.Mutex
	hooks  []eventHook
	closed bool
	// opener launches the user's browser; openURLHook replaces it (tests,
	// the test drivers).
	opener      opener.Opener
	openURLHook func(string) error

	// The window's geometry is remembered per profile (geometry.go):
	// geomProfile is the profile whose window this is, pendingPlace where
	// to move it once shown.
	placer       placer
	geomProfile  string
	pendingPlace geometry
	// releasePending: a large body was dropped; its memory is released
	// once the next body's text is made (browser.show).
	releasePending bool
	// background is set while the window is not focused: new chat
	background bool
}

func newDesk(a fyne.App, w fyne.Window, b Backend, opts Options, do func(func())) *desk {
	ctx, cancel := context.WithCancel(context.Background())
	d := &desk{app: a, win: w, be: b, opts: opts, do: do, ctx: ctx, cancel: cancel, opener: opener.Default()}
	d.placer = opts.placer
	if d.placer == nil {
		d.placer = nativePlacer{}
	}
	d.root = container.NewStack()
	w.SetContent(d.root)
	d.firstGeometry()
	w.SetCloseIntercept(d.requestClose)
	d.applyTheme(themeChoice(a.Preferences().StringWithFallback(themePreference, string(themeSystem))))
	d.installShortcuts()
	if opts.Demo != nil && opts.driver != nil {
		opts.driver(d)
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

// releaseMemory collects garbage and returns the freed memory to the system,
// off the UI goroutine: after a large body was dropped, so that the
// window's footprint goes back down instead of staying at its peak.
func (d *desk) releaseMemory() {
	d.bg(func(context.Context) func() {
		debug.FreeOSMemory()
		return nil
	})
}

// requestClose closes the window, asking first when the editor holds
// unsaved text.
func (d *desk) requestClose() {
	if d.view == viewEditor && d.ed != nil && d.ed.dirty() {
		d.confirm("Unsaved changes", fmt.Sprintf("Your changes to %s have not been saved. Quit and discard them?", d.ed.describe()),
			"Discard and quit", d.forceClose)
		return
	}
	if q := d.ws.quitQuestion(); q != "" {
		d.confirm("Chats in progress", q, "Quit", d.forceClose)
		return
	}
	d.forceClose()
}

func (d *desk) forceClose() {
	d.saveGeometry()
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
	d.dropWorkspace()
	d.cancel()
}
