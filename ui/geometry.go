package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	fynedriver "fyne.io/fyne/v2/driver"

	"github.com/lpdesk/lpdesk/ui/internal/placement"
)

// The window fits a 1024×640 screen: every screen's layout holds within
// maxContent (the screen less a title bar and a panel), and the first
// size is the roomy preferredSize cut down to the screen when it is known,
// fallbackSize when not.
var (
	maxContent    = fyne.NewSize(1024, 580)
	preferredSize = fyne.NewSize(1100, 720)
	fallbackSize  = fyne.NewSize(1000, 580)
)

// screenMargin is what a desktop's panels and the window's title bar take
// from the screen, at least.
var screenMargin = fyne.NewSize(24, 60)

// placer reads and sets where the window is and how large the screen is;
// ok is false where the platform does not say.
type placer interface {
	Position(w fyne.Window) (x, y int, ok bool)
	Move(w fyne.Window, x, y int)
	Screen() (fyne.Size, bool)
}

// nativePlacer asks the window system (X11) through the window's native
// handle.
type nativePlacer struct{}

func handleOf(w fyne.Window) uintptr {
	var h uintptr
	if nw, ok := w.(fynedriver.NativeWindow); ok {
		nw.RunNative(func(ctx any) {
			if x, ok := ctx.(fynedriver.X11WindowContext); ok {
				h = x.WindowHandle
			}
		})
	}
	return h
}

func (nativePlacer) Position(w fyne.Window) (int, int, bool) { return placement.Position(handleOf(w)) }
func (nativePlacer) Move(w fyne.Window, x, y int)            { placement.Move(handleOf(w), x, y) }
func (nativePlacer) Screen() (fyne.Size, bool) {
	sw, sh, ok := placement.Screen()
	return fyne.NewSize(float32(sw), float32(sh)), ok
}

// geometry is a window's size and, where known, position.
type geometry struct {
	size   fyne.Size
	x, y   int
	placed bool
}

func (g geometry) String() string {
	s := fmt.Sprintf("%gx%g", g.size.Width, g.size.Height)
	if g.placed {
		s += fmt.Sprintf("%+d%+d", g.x, g.y)
	}
	return s
}

func parseGeometry(s string) (geometry, bool) {
	var g geometry
	if n, _ := fmt.Sscanf(s, "%gx%g%d%d", &g.size.Width, &g.size.Height, &g.x, &g.y); n == 4 {
		g.placed = true
	} else if n < 2 {
		return geometry{}, false
	}
	return g, g.size.Width > 0 && g.size.Height > 0
}

// Preferences keys: the geometry of each profile's window, and the
// profile the window showed last (whose geometry the next start uses).
const (
	prefGeometry    = "window.geometry."
	prefLastProfile = "window.lastProfile"
)

// firstGeometry sizes the window before it is shown: the geometry of the
// profile shown last, or the preferred size cut to the screen.
func (d *desk) firstGeometry() {
	d.geomProfile = d.app.Preferences().String(prefLastProfile)
	g, ok := d.savedGeometry(d.geomProfile)
	if !ok {
		g = geometry{size: d.fitScreen(preferredSize)}
		if _, known := d.placer.Screen(); !known {
			g.size = fallbackSize
		}
	}
	d.win.Resize(g.size)
	d.pendingPlace = g
}

// placeWindow moves the shown window where its profile's window was; Run
// calls it once the window exists.
func (d *desk) placeWindow() {
	if g := d.pendingPlace; g.placed {
		d.placer.Move(d.win, g.x, g.y)
	}
	d.pendingPlace = geometry{}
}

// savedGeometry is profile's window as it was last, fitted to the screen.
func (d *desk) savedGeometry(profile string) (geometry, bool) {
	g, ok := parseGeometry(d.app.Preferences().String(prefGeometry + profile))
	if !ok {
		return geometry{}, false
	}
	g.size = d.fitScreen(g.size)
	if s, known := d.placer.Screen(); known && g.placed {
		// A monitor that is gone must not leave the window off screen.
		g.x = min(max(g.x, 0), max(int(s.Width)-100, 0))
		g.y = min(max(g.y, 0), max(int(s.Height)-100, 0))
	}
	return g, true
}

// fitScreen cuts s to the screen, when its size is known.
func (d *desk) fitScreen(s fyne.Size) fyne.Size {
	if scr, ok := d.placer.Screen(); ok {
		s = s.Min(scr.Subtract(screenMargin))
	}
	return s
}

// saveGeometry remembers the window as the current profile's.
func (d *desk) saveGeometry() {
	g := geometry{size: d.win.Canvas().Size()}
	if g.size.Width <= 0 || g.size.Height <= 0 {
		return
	}
	g.x, g.y, g.placed = d.placer.Position(d.win)
	p := d.app.Preferences()
	p.SetString(prefGeometry+d.geomProfile, g.String())
	p.SetString(prefLastProfile, d.geomProfile)
}

// profileGeometry gives the window of profile its own size and place:
// the window as it is stays the previous profile's.
func (d *desk) profileGeometry(profile string) {
	if profile == d.geomProfile {
		return
	}
	d.saveGeometry()
	d.geomProfile = profile
	d.app.Preferences().SetString(prefLastProfile, profile)
	g, ok := d.savedGeometry(profile)
	if !ok {
		return
	}
	d.win.Resize(g.size)
	if g.placed {
		d.placer.Move(d.win, g.x, g.y)
	}
}
