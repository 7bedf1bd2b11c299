package widget

import (
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// codePad is the horizontal padding inside a code row.
const codePad = 6

// CodeRow is one line of code: runs of canvas.Text side by side. It is far
// lighter than a RichText or Label per row and has no padding between
// rows.
type CodeRow struct {
	widget.BaseWidget
	segs []seg
}

func newCodeRow() *CodeRow {
	r := &CodeRow{}
	r.ExtendBaseWidget(r)
	return r
}

// set shows s; the same runs again cost nothing, so the table can be
// refreshed as a body's rows grow without redrawing the rows on screen.
func (r *CodeRow) set(s []seg) {
	if slices.Equal(r.segs, s) {
		return
	}
	r.segs = s
	r.Refresh()
}

// Text is the row's text, without its colours.
func (r *CodeRow) Text() string {
	var b strings.Builder
	for _, s := range r.segs {
		b.WriteString(s.text)
	}
	return b.String()
}

// CreateRenderer makes the row's canvas.Text pool.
func (r *CodeRow) CreateRenderer() fyne.WidgetRenderer {
	return &codeRowRenderer{row: r}
}

type codeRowRenderer struct {
	row   *CodeRow
	texts []*canvas.Text
	objs  []fyne.CanvasObject
}

func kindColor(k tokKind) color.Color {
	switch k {
	case tokKey, tokTag:
		return theme.Color(theme.ColorNamePrimary)
	case tokString:
		return theme.Color(theme.ColorNameSuccess)
	case tokNumber, tokLiteral:
		return theme.Color(theme.ColorNameWarning)
	case tokAttr:
		return theme.Color(theme.ColorNameHyperlink)
	case tokComment:
		return theme.Color(theme.ColorNamePlaceHolder)
	}
	return theme.Color(theme.ColorNameForeground)
}

// Refresh sets one canvas.Text per coloured run, reusing the pool.
func (c *codeRowRenderer) Refresh() {
	segs := c.row.segs
	for len(c.texts) < len(segs) {
		t := canvas.NewText("", nil)
		t.TextStyle = fyne.TextStyle{Monospace: true}
		c.texts = append(c.texts, t)
		c.objs = append(c.objs, t)
	}
	size := theme.TextSize()
	for i, t := range c.texts {
		if i < len(segs) {
			t.Text = segs[i].text
			t.Color = kindColor(segs[i].kind)
			t.TextSize = size
			t.Show()
		} else {
			t.Text = ""
			t.Hide()
		}
	}
	c.Layout(c.row.Size())
	for _, t := range c.texts {
		t.Refresh()
	}
}

// Layout places the runs side by side, centred vertically.
func (c *codeRowRenderer) Layout(s fyne.Size) {
	x := float32(codePad)
	for _, t := range c.texts {
		if !t.Visible() {
			continue
		}
		m := t.MinSize()
		t.Move(fyne.NewPos(x, (s.Height-m.Height)/2))
		t.Resize(m)
		x += m.Width
	}
}

// MinSize is one line of monospace text; the table sets the width.
func (c *codeRowRenderer) MinSize() fyne.Size {
	m := fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{Monospace: true})
	return fyne.NewSize(m.Width+2*codePad, m.Height+2)
}

// Objects are the runs.
func (c *codeRowRenderer) Objects() []fyne.CanvasObject { return c.objs }

// Destroy has nothing to release.
func (c *codeRowRenderer) Destroy() {}
