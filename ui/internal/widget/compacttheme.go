package widget

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// compactTheme removes the table's cell padding and grid lines so that the
// code reads as a text, while following the app's theme otherwise.
type compactTheme struct{}

func (compactTheme) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

// Color, Font and Icon follow the app's theme; Size drops padding and
// separators.
func (t compactTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.current().Color(n, v)
}
func (t compactTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.current().Font(s) }
func (t compactTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.current().Icon(n) }
func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNamePadding, theme.SizeNameSeparatorThickness:
		return 0
	}
	return t.current().Size(n)
}

// themed shows content under a ThemeOverride whose scope stays put. Fyne
// gives an override a new scope each time the override is refreshed, and
// loads every font face again for the new scope (kept for the life of the
// process, several megabytes with the emoji font), while a refresh of any
// container above reaches the override: every navigation showed the body
// view again, and grew the heap by a set of fonts and repainted the text
// from cold caches. themed refreshes the content only.
type themed struct {
	widget.BaseWidget
	over *container.ThemeOverride
}

func newThemed(content fyne.CanvasObject, th fyne.Theme) *themed {
	t := &themed{over: container.NewThemeOverride(content, th)}
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer shows the override.
func (t *themed) CreateRenderer() fyne.WidgetRenderer { return &themedRenderer{t: t} }

type themedRenderer struct{ t *themed }

func (r *themedRenderer) Layout(s fyne.Size) {
	r.t.over.Move(fyne.NewPos(0, 0))
	r.t.over.Resize(s)
}
func (r *themedRenderer) MinSize() fyne.Size           { return r.t.over.MinSize() }
func (r *themedRenderer) Refresh()                     { r.t.over.Content.Refresh() }
func (r *themedRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.t.over} }
func (r *themedRenderer) Destroy()                     {}
