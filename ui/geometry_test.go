package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// fakePlacer is a window system that says where the window is and
// records where it was asked to move it.
type fakePlacer struct {
	screen fyne.Size // zero: unknown
	x, y   int
	moves  []string
}

func (p *fakePlacer) Position(fyne.Window) (int, int, bool) { return p.x, p.y, true }
func (p *fakePlacer) Move(_ fyne.Window, x, y int) {
	p.x, p.y = x, y
	p.moves = append(p.moves, fmt.Sprintf("%d,%d", x, y))
}
func (p *fakePlacer) Screen() (fyne.Size, bool) { return p.screen, p.screen.Width > 0 }

func twoProfiles() *fakeBackend {
	f := newFake()
	f.addProfile("alpha", false)
	f.addProfile("work", true)
	return f
}

func TestGeometryStrings(t *testing.T) {
	for _, g := range []geometry{{size: fyne.NewSize(900, 560), x: 120, y: -8, placed: true}, {size: fyne.NewSize(1000.5, 600)}} {
		back, ok := parseGeometry(g.String())
		if !ok || back != g {
			t.Errorf("%v read back as %v (%v)", g, back, ok)
		}
	}
	for _, s := range []string{"", "x", "0x0", "900"} {
		if _, ok := parseGeometry(s); ok {
			t.Errorf("%q read as a geometry", s)
		}
	}
}

func TestWindowRemembersSizeAndPositionPerProfile(t *testing.T) {
	a := test.NewTempApp(t)
	p1 := &fakePlacer{screen: fyne.NewSize(1920, 1080)}
	h1 := newHarnessOn(t, a, twoProfiles(), Options{placer: p1})
	if h1.d.profile.Name != "work" {
		t.Fatalf("opened %q", h1.d.profile.Name)
	}
	h1.w.Resize(fyne.NewSize(900, 560))
	p1.x, p1.y = 120, 80
	h1.d.requestClose()
	if !h1.d.closed {
		t.Fatal("the window did not close")
	}

	// The next start opens the window as it was, where it was.
	p2 := &fakePlacer{screen: fyne.NewSize(1920, 1080)}
	h2 := newHarnessOn(t, a, twoProfiles(), Options{placer: p2})
	if got := h2.w.Canvas().Size(); got != fyne.NewSize(900, 560) {
		t.Fatalf("restored size %v", got)
	}
	h2.d.placeWindow() // Run does this once the window is shown
	if fmt.Sprint(p2.moves) != "[120,80]" {
		t.Fatalf("moves %v", p2.moves)
	}

	// Another profile has its own window; switching back restores each.
	h2.d.br.profiles.SetSelected("alpha")
	h2.settle()
	if h2.d.profile.Name != "alpha" || h2.w.Canvas().Size() != fyne.NewSize(900, 560) {
		t.Fatalf("alpha (no geometry yet): %q %v", h2.d.profile.Name, h2.w.Canvas().Size())
	}
	h2.w.Resize(fyne.NewSize(800, 500))
	p2.x, p2.y = 10, 20
	h2.d.br.profiles.SetSelected("work")
	h2.settle()
	if h2.w.Canvas().Size() != fyne.NewSize(900, 560) || p2.x != 120 || p2.y != 80 {
		t.Fatalf("back to work: %v at %d,%d", h2.w.Canvas().Size(), p2.x, p2.y)
	}
	h2.d.br.profiles.SetSelected("alpha")
	h2.settle()
	if h2.w.Canvas().Size() != fyne.NewSize(800, 500) || p2.x != 10 || p2.y != 20 {
		t.Fatalf("back to alpha: %v at %d,%d", h2.w.Canvas().Size(), p2.x, p2.y)
	}
}

func TestRememberedWindowFitsASmallerScreen(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLastProfile, "work")
	a.Preferences().SetString(prefGeometry+"work", "1800x1000+1900+40") // from a larger, second monitor
	p := &fakePlacer{screen: fyne.NewSize(1024, 640)}
	h := newHarnessOn(t, a, twoProfiles(), Options{placer: p})
	h.d.placeWindow()
	if s := h.w.Canvas().Size(); s.Width > 1024 || s.Height > 640 {
		t.Errorf("size %v on a 1024×640 screen", s)
	}
	if p.x > 1024-100 || p.y < 0 {
		t.Errorf("placed off screen at %d,%d", p.x, p.y)
	}
}

// The window fits a 1024×640 screen: its first size, and what every
// screen's layout needs.
func TestWindowFitsA1024x640Screen(t *testing.T) {
	screen := fyne.NewSize(1024, 640)
	fits := func(what string, s fyne.Size) {
		t.Helper()
		if s.Width > maxContent.Width || s.Height > maxContent.Height {
			t.Errorf("%s needs %v, more than %v", what, s, maxContent)
		}
	}
	h := newHarness(t, newFake(), Options{placer: &fakePlacer{screen: screen}})
	fits("the first window", h.w.Canvas().Size())
	if s := h.w.Canvas().Size(); s.Width > screen.Width-screenMargin.Width || s.Height > screen.Height-screenMargin.Height {
		t.Errorf("first size %v leaves no room for the title bar on %v", s, screen)
	}
	unknown := newHarness(t, newFake(), Options{placer: &fakePlacer{}})
	fits("the first window on an unknown screen", unknown.w.Canvas().Size())

	fits("the wizard", h.w.Content().MinSize())
	fillAccount(h)
	h.tap(h.d.wiz.accountPage.authorizeBtn)
	fits("the authorize page", h.w.Content().MinSize())
	h.d.wiz.showCode()
	fits("the code page", h.w.Content().MinSize())

	b, _ := openBrowser(t)
	fits("the account base", b.w.Content().MinSize())
	b.open("skills")
	fits("a table", b.w.Content().MinSize())
	b.open("skills/1")
	fits("a form", b.w.Content().MinSize())
	b.d.br.st.setPane(paneTree)
	b.settle()
	fits("a tree", b.w.Content().MinSize())
	b.d.br.st.setPane(paneStructured)
	b.tap(b.d.br.editBtn)
	fits("the form editor", b.w.Content().MinSize())
	b.tap(b.d.ed.asText)
	fits("the text editor", b.w.Content().MinSize())
	b.d.ed.original = b.d.ed.text.Text
	b.d.escape()
	b.tap(b.d.br.settings)
	fits("settings", b.w.Content().MinSize())
}
