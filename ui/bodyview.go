package ui

import (
	"context"
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// bodyView shows a response body as coloured, numbered lines in a
// virtualised table (only the rows on screen exist as widgets), or as a
// collapsible tree built on demand. Pretty-printing, splitting, searching
// and tree building all run off the UI goroutine, so a body of tens of
// megabytes never freezes the window.
type bodyView struct {
	d *desk

	raw    []byte
	format wire.Format
	doc    *textDoc
	model  *treeModel
	gen    int // invalidates work for a body no longer shown

	table      *widget.Table
	tree       *widget.Tree
	mode       *widget.RadioGroup
	search     *entry
	searchInfo *widget.Label
	prevBtn    *widget.Button
	nextBtn    *widget.Button
	hits       []int
	hit        int
	searchGen  int
	note       *widget.Label
	activity   *widget.ProgressBarInfinite
	stack      *fyne.Container
	content    fyne.CanvasObject
}

func newBodyView(d *desk) *bodyView {
	v := &bodyView{d: d}
	v.table = widget.NewTable(
		func() (int, int) {
			if v.doc == nil {
				return 0, 0
			}
			return len(v.doc.rows), 2
		},
		func() fyne.CanvasObject { return newCodeRow() },
		v.updateCell,
	)
	v.table.StickyColumnCount = 1
	v.tree = widget.NewTree(
		func(id widget.TreeNodeID) []widget.TreeNodeID {
			if v.model == nil {
				return nil
			}
			return v.model.childIDs(id)
		},
		func(id widget.TreeNodeID) bool {
			return v.model != nil && (id == "" || v.model.isBranch(id))
		},
		func(bool) fyne.CanvasObject {
			l := widget.NewLabel("")
			l.TextStyle = fyne.TextStyle{Monospace: true}
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			if v.model != nil {
				o.(*widget.Label).SetText(v.model.label(id))
			}
		},
	)
	v.mode = widget.NewRadioGroup([]string{"Text", "Tree"}, v.modeChanged)
	v.mode.Horizontal = true
	v.mode.SetSelected("Text")
	v.mode.Required = true
	v.search = newEntry(d, "Find (Ctrl+F)")
	v.search.OnChanged = func(string) { v.runSearch() }
	v.search.OnSubmitted = func(string) { v.step(1) }
	v.searchInfo = widget.NewLabel("")
	v.prevBtn = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { v.step(-1) })
	v.nextBtn = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { v.step(1) })
	v.note = widget.NewLabel("")
	v.note.Alignment = fyne.TextAlignCenter
	v.activity = widget.NewProgressBarInfinite()
	v.activity.Hide()
	v.activity.Stop()
	v.stack = container.NewStack(container.NewThemeOverride(v.table, compactTheme{}), v.tree, container.NewCenter(v.note))
	v.tree.Hide()
	bar := container.NewBorder(nil, nil, v.mode,
		container.NewHBox(v.searchInfo, v.prevBtn, v.nextBtn),
		v.search)
	v.content = container.NewBorder(container.NewVBox(bar, v.activity), nil, nil, nil, v.stack)
	v.showNote("No resource loaded.")
	return v
}

func (v *bodyView) showNote(s string) {
	v.note.SetText(s)
	v.note.Show()
}

// setBody prepares body for display off the UI goroutine.
func (v *bodyView) setBody(body []byte, f wire.Format) {
	v.gen++
	gen := v.gen
	v.raw, v.format = body, f
	v.model = nil
	v.hits, v.hit = nil, 0
	v.searchInfo.SetText("")
	if len(body) == 0 {
		v.doc = nil
		v.table.Refresh()
		v.showNote("(empty body)")
		return
	}
	v.activity.Show()
	v.activity.Start()
	v.d.bg(func(context.Context) func() {
		doc := newTextDoc(body, f)
		return func() {
			if gen != v.gen {
				return
			}
			v.doc = doc
			v.note.Hide()
			v.activity.Stop()
			v.activity.Hide()
			v.sizeColumns()
			v.table.UnselectAll()
			v.table.Refresh()
			v.table.ScrollToTop()
			if v.mode.Selected == "Tree" {
				v.buildTree()
			}
			if v.search.Text != "" {
				v.runSearch()
			}
			v.d.emit(evBody)
		}
	})
}

func (v *bodyView) sizeColumns() {
	mono := fyne.TextStyle{Monospace: true}
	size := theme.TextSize()
	digits := len(strconv.Itoa(len(v.doc.rows)))
	numW := fyne.MeasureText(strings.Repeat("0", digits+1), size, mono).Width + 2*codePad
	charW := fyne.MeasureText("0000000000", size, mono).Width / 10
	v.table.SetColumnWidth(0, numW)
	v.table.SetColumnWidth(1, charW*float32(v.doc.widest+2)+2*codePad)
}

func (v *bodyView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	r := o.(*codeRow)
	if v.doc == nil || id.Row >= len(v.doc.rows) {
		r.set(nil)
		return
	}
	if id.Col == 0 {
		num := ""
		if v.doc.continues(id.Row) {
			num = "↪"
		} else {
			num = strconv.Itoa(int(v.doc.lineNo[id.Row]))
		}
		r.set([]seg{{num, tokComment}})
		return
	}
	r.set(colorize(v.doc.row(id.Row), v.doc.format))
}

func (v *bodyView) modeChanged(m string) {
	if m == "Tree" {
		v.table.Hide()
		v.tree.Show()
		if v.model == nil {
			v.buildTree()
		}
		return
	}
	v.tree.Hide()
	v.table.Show()
}

func (v *bodyView) buildTree() {
	if v.raw == nil {
		return
	}
	gen := v.gen
	body, f := v.raw, v.format
	v.activity.Show()
	v.activity.Start()
	v.d.bg(func(context.Context) func() {
		m, err := buildTree(body, f)
		return func() {
			if gen != v.gen {
				return
			}
			v.activity.Stop()
			v.activity.Hide()
			if err != nil {
				v.model = &treeModel{root: &treeNode{kids: []*treeNode{{label: "Cannot show a tree: " + err.Error()}}}}
			} else {
				v.model = m
			}
			v.tree.Refresh()
			v.tree.OpenBranch("0")
			if n := v.model.node("0"); n != nil && len(n.kids) == 1 {
				v.tree.OpenBranch("0/0")
			}
			v.d.emit(evTree)
		}
	})
}

func (v *bodyView) focusSearch() {
	if v.mode.Selected != "Text" {
		v.mode.SetSelected("Text")
	}
	v.d.win.Canvas().Focus(v.search)
	v.search.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// runSearch finds the rows holding the search text, off the UI goroutine.
func (v *bodyView) runSearch() {
	v.searchGen++
	sg := v.searchGen
	q := v.search.Text
	doc := v.doc
	if doc == nil || q == "" {
		v.hits, v.hit = nil, 0
		v.searchInfo.SetText("")
		v.table.UnselectAll()
		return
	}
	v.d.bg(func(context.Context) func() {
		hits := doc.search(q)
		return func() {
			if sg != v.searchGen || doc != v.doc {
				return
			}
			v.hits, v.hit = hits, 0
			if len(hits) == 0 {
				v.searchInfo.SetText("no match")
				v.table.UnselectAll()
				return
			}
			v.show()
		}
	})
}

// step moves to the next (+1) or previous (-1) match.
func (v *bodyView) step(dir int) {
	if len(v.hits) == 0 {
		return
	}
	v.hit = (v.hit + dir + len(v.hits)) % len(v.hits)
	v.show()
}

func (v *bodyView) show() {
	row := v.hits[v.hit]
	v.searchInfo.SetText(fmt.Sprintf("%d of %d", v.hit+1, len(v.hits)))
	id := widget.TableCellID{Row: row, Col: 1}
	v.table.Select(id)
	v.table.ScrollTo(id)
}

// codePad is the horizontal padding inside a code row.
const codePad = 6

// codeRow is one line of code: runs of canvas.Text side by side. It is far
// lighter than a RichText or Label per row and has no padding between
// rows.
type codeRow struct {
	widget.BaseWidget
	segs []seg
}

func newCodeRow() *codeRow {
	r := &codeRow{}
	r.ExtendBaseWidget(r)
	return r
}

func (r *codeRow) set(s []seg) {
	r.segs = s
	r.Refresh()
}

// text returns the row's text (for tests).
func (r *codeRow) text() string {
	var b strings.Builder
	for _, s := range r.segs {
		b.WriteString(s.text)
	}
	return b.String()
}

// CreateRenderer makes the row's canvas.Text pool.
func (r *codeRow) CreateRenderer() fyne.WidgetRenderer {
	return &codeRowRenderer{row: r}
}

type codeRowRenderer struct {
	row   *codeRow
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
