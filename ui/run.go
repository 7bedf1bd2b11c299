package ui

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

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

	// driver, when set with Demo, walks the window by itself (see
	// testdriver.go); tests set it, Run only in builds with drivers.
	driver driver
	// placer, when set, replaces the window system's (tests).
	placer placer
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

// startupSettle is how long after the window starts its startup garbage is
// collected: by then the first frame is painted.
const startupSettle = time.Second

// HasDisplay reports whether a graphical session is available (see
// hasDisplay for each platform's answer).
func HasDisplay() bool { return hasDisplay() }

// Run opens the window and blocks until it is closed.
func Run(opts Options, b Backend) error {
	if !HasDisplay() {
		return errors.New("no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)")
	}
	if driverFromEnv != nil {
		opts.driver = driverFromEnv()
	}
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("lpdesk.png", assets.Icon))
	w := a.NewWindow("lpdesk")
	d := newDesk(a, w, b, opts, fyne.Do)
	d.start()
	a.Lifecycle().SetOnStarted(func() {
		fyne.Do(d.placeWindow)
		// Starting leaves garbage (font tables read and parsed, the
		// system font index, the first screen's layouts) that the Go
		// runtime would keep mapped for a long while: once the first
		// screen is up, collect it and give the memory back.
		time.AfterFunc(startupSettle, func() { fyne.Do(d.releaseMemory) })
	})
	w.ShowAndRun()
	d.shutdown()
	d.awaitLogout()
	return nil
}
