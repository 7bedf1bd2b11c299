package widget

import (
	"fmt"
	"image"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// BodyMode is how a BodyView shows a body.
type BodyMode int

const (
	// TextMode shows coloured, numbered lines.
	TextMode BodyMode = iota
	// TreeMode shows a collapsible tree.
	TreeMode
)

// modeLabels are the mode switch's choices, in BodyMode order.
var modeLabels = [...]string{TextMode: "Text", TreeMode: "Tree"}

func (m BodyMode) String() string { return modeLabels[m] }

// BodyViewHooks connect a BodyView to the window it is in.
type BodyViewHooks struct {
	// Keys are the window's shortcuts, for the search box.
	Keys Keys
	// Background runs work off the UI goroutine, then the function it
	// returns, if any, on the UI goroutine.
	Background func(work func() (apply func()))
	// Focus gives the keyboard focus to the search box.
	Focus func(fyne.Focusable)
	// Shown, if set, is told when a body is on screen in a mode: as text
	// once its rows are ready, as a tree once the tree is built.
	Shown func(BodyMode)
	// ModeChanged, if set, is told when the view switches between text
	// and tree, by its own switch or by SetMode.
	ModeChanged func(BodyMode)
	// Complete, if set, is told when the whole body is in the text (Shown
	// comes with its first screen).
	Complete func()
	// Do runs a function on the UI goroutine: the first rows of a body
	// are handed over by it while the rest is made (without it, a body
	// shows when all of it is made).
	Do func(func())
}

// BodyView shows a response body as coloured, numbered lines in a
// virtualised table (only the rows on screen exist as widgets), or as a
// collapsible tree built on demand. Pretty-printing, splitting, searching
// and tree building all run in the background, so a body of tens of
// megabytes never freezes the window.
type BodyView struct {
	widget.BaseWidget
	hooks BodyViewHooks

	raw    []byte
	format wire.Format
	doc    *textDoc
	model  *treeModel
	gen    int // invalidates work for a body no longer shown
	// loadGen is gen for the background: a load stops making the text of
	// a body no longer shown.
	loadGen atomic.Int64

	table      *widget.Table
	tree       *widget.Tree
	mode       *widget.RadioGroup
	search     *Entry
	searchInfo *widget.Label
	prevBtn    *widget.Button
	nextBtn    *widget.Button
	hits       []int
	hit        int
	searchGen  int
	note       *widget.Label
	activity   *pulseBar
	// progress shows how much of a large body's text is made: it is
	// redrawn only when it moves, where an animated bar would repaint the
	// window every frame of a load that takes seconds.
	progress *widget.ProgressBar
	stack    *fyne.Container
	content  fyne.CanvasObject

	// probe and painted: see ProbePaint.
	probe   *canvas.Raster
	painted func()
}

// NewBodyView is an empty view ("No resource loaded").
func NewBodyView(h BodyViewHooks) *BodyView {
	v := &BodyView{hooks: h}
	v.ExtendBaseWidget(v)
	v.table = widget.NewTable(
		func() (int, int) {
			if v.doc == nil {
				return 0, 0
			}
			return v.doc.rowCount(), 2
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
	v.mode = widget.NewRadioGroup(modeLabels[:], v.modeChanged)
	v.mode.Horizontal = true
	v.mode.SetSelected(TextMode.String())
	v.mode.Required = true
	v.search = NewEntry(h.Keys, "Find (Ctrl+F)")
	v.search.OnChanged = func(string) { v.runSearch() }
	v.search.OnSubmitted = func(string) { v.step(1) }
	v.searchInfo = widget.NewLabel("")
	v.prevBtn = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { v.step(-1) })
	v.nextBtn = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { v.step(1) })
	v.note = widget.NewLabel("")
	v.note.Alignment = fyne.TextAlignCenter
	v.activity = newPulseBar()
	v.activity.Hide()
	v.activity.Stop()
	v.stack = container.NewStack(newThemed(v.table, compactTheme{}), v.tree, container.NewCenter(v.note))
	v.tree.Hide()
	bar := container.NewBorder(nil, nil, v.mode,
		container.NewHBox(v.searchInfo, v.prevBtn, v.nextBtn),
		v.search)
	v.progress = widget.NewProgressBar()
	v.progress.Hide()
	v.content = container.NewBorder(container.NewVBox(bar, v.activity, v.progress), nil, nil, nil, v.stack)
	v.showNote("No resource loaded.")
	return v
}

// CreateRenderer shows the mode switch and search bar over the text or
// the tree.
func (v *BodyView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

func (v *BodyView) showNote(s string) {
	v.note.SetText(s)
	v.note.Show()
}

// background runs work through the hooks, or here and now when there are
// none (a view on its own).
func (v *BodyView) background(work func() func()) {
	if v.hooks.Background != nil {
		v.hooks.Background(work)
		return
	}
	if apply := work(); apply != nil {
		apply()
	}
}

func (v *BodyView) shown(m BodyMode) {
	if v.hooks.Shown != nil {
		v.hooks.Shown(m)
	}
}

// SetBody prepares body for display in the background, a slice at a time:
// the first screen comes from the first slice, and the table grows as the
// rest is made, so a body of 100 MB shows as soon as one of 1 MB and the
// window answers input all along.
func (v *BodyView) SetBody(body []byte, f wire.Format) {
	v.gen++
	gen := v.gen
	v.loadGen.Store(int64(gen))
	v.raw, v.format = body, f
	v.model = nil
	v.hits, v.hit = nil, 0
	v.searchInfo.SetText("")
	v.doc = nil
	if len(body) == 0 {
		v.progress.Hide()
		v.table.Refresh()
		v.showNote("(empty body)")
		return
	}
	v.progress.SetValue(0)
	v.progress.Show()
	v.load(gen, &textDoc{format: f}, newDocBuilder(body, f), firstSliceBytes)
}

// publishEvery is how often, at most, the rows made in the background are
// handed to the UI goroutine while a body loads: each hand-over refreshes
// the table, and a frame repainted in software costs tens of milliseconds.
const publishEvery = 150 * time.Millisecond

// load makes doc in the background, slice after slice, handing the chunks
// made to the UI goroutine in batches (the first at once, then at most
// every publishEvery): the UI goroutine only appends them and refreshes
// the table, however large the body.
func (v *BodyView) load(gen int, doc *textDoc, b *docBuilder, size int) {
	v.background(func() func() {
		var batch []*chunk
		last := time.Time{}
		for !b.done {
			if int64(gen) != v.loadGen.Load() {
				return nil
			}
			batch = append(batch, b.next(size))
			size = sliceBytes
			if do := v.hooks.Do; do != nil && !b.done && time.Since(last) >= publishEvery {
				cs, p := batch, b.progress()
				batch, last = nil, time.Now()
				do(func() {
					v.apply(gen, doc, cs)
					if gen == v.gen {
						v.progress.SetValue(p)
					}
				})
			}
		}
		return func() {
			v.apply(gen, doc, batch)
			if gen != v.gen {
				return
			}
			doc.done = true
			v.progress.Hide()
			if v.search.Text != "" {
				v.runSearch()
			}
			if v.hooks.Complete != nil {
				v.hooks.Complete()
			}
		}
	})
}

// apply puts chunks of doc on screen, on the UI goroutine.
func (v *BodyView) apply(gen int, doc *textDoc, cs []*chunk) {
	if gen != v.gen || len(cs) == 0 {
		return
	}
	restart := false
	for _, c := range cs {
		doc.add(c)
		restart = restart || c.restart
	}
	first := v.doc == nil
	if !first && !restart {
		v.sizeColumns()
		v.table.Refresh()
		return
	}
	v.doc = doc
	v.note.Hide()
	v.sizeColumns()
	v.table.UnselectAll()
	v.table.Refresh()
	v.table.ScrollToTop()
	if v.Mode() == TreeMode && v.model == nil {
		v.buildTree()
	}
	if first {
		v.shown(TextMode)
	}
}

// HasText reports whether a body's rows are on screen (the first of them,
// at least).
func (v *BodyView) HasText() bool { return v.doc != nil }

// TextComplete reports whether all of the body's rows are ready.
func (v *BodyView) TextComplete() bool { return v.doc != nil && v.doc.done }

// HasTree reports whether the body's tree is built.
func (v *BodyView) HasTree() bool { return v.model != nil }

func (v *BodyView) sizeColumns() {
	mono := fyne.TextStyle{Monospace: true}
	size := theme.TextSize()
	digits := len(strconv.Itoa(v.doc.rowCount()))
	numW := fyne.MeasureText(strings.Repeat("0", digits+1), size, mono).Width + 2*codePad
	charW := fyne.MeasureText("0000000000", size, mono).Width / 10
	v.table.SetColumnWidth(0, numW)
	v.table.SetColumnWidth(1, charW*float32(v.doc.widest+2)+2*codePad)
}

func (v *BodyView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	r := o.(*CodeRow)
	if v.doc == nil || id.Row >= v.doc.rowCount() {
		r.set(nil)
		return
	}
	if id.Col == 0 {
		num := ""
		if v.doc.continues(id.Row) {
			num = "↪"
		} else {
			num = strconv.Itoa(int(v.doc.lineNo(id.Row)))
		}
		r.set([]seg{{num, tokComment}})
		return
	}
	r.set(colorize(v.doc.row(id.Row), v.doc.format))
}

// Mode is how the body is shown.
func (v *BodyView) Mode() BodyMode {
	if v.mode.Selected == TreeMode.String() {
		return TreeMode
	}
	return TextMode
}

// SetMode switches between the text and the tree.
func (v *BodyView) SetMode(m BodyMode) { v.mode.SetSelected(m.String()) }

func (v *BodyView) modeChanged(label string) {
	if v.hooks.ModeChanged != nil {
		if label == TreeMode.String() {
			v.hooks.ModeChanged(TreeMode)
		} else {
			v.hooks.ModeChanged(TextMode)
		}
	}
	if label == TreeMode.String() {
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

func (v *BodyView) buildTree() {
	if v.raw == nil {
		return
	}
	gen := v.gen
	body, f := v.raw, v.format
	v.activity.Show()
	v.activity.Start()
	v.background(func() func() {
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
			v.shown(TreeMode)
		}
	})
}

// HideModeSwitch hides the view's own Text/Tree switch, for a window
// that offers the choice among others of its own (it calls SetMode).
func (v *BodyView) HideModeSwitch() { v.mode.Hide() }

// FocusSearch goes back to the text and puts the cursor in the search
// box, its text selected.
func (v *BodyView) FocusSearch() {
	if v.Mode() != TextMode {
		v.SetMode(TextMode)
	}
	if v.hooks.Focus != nil {
		v.hooks.Focus(v.search)
	}
	v.search.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// SearchBox is the search entry.
func (v *BodyView) SearchBox() *Entry { return v.search }

// Matches is how many rows hold the search text.
func (v *BodyView) Matches() int { return len(v.hits) }

// runSearch finds the rows holding the search text, in the background.
func (v *BodyView) runSearch() {
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
	chunks := doc.chunks // a snapshot: the document may grow meanwhile
	v.background(func() func() {
		hits := search(chunks, q)
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
			v.showHit()
		}
	})
}

// step moves to the next (+1) or previous (-1) match.
func (v *BodyView) step(dir int) {
	if len(v.hits) == 0 {
		return
	}
	v.hit = (v.hit + dir + len(v.hits)) % len(v.hits)
	v.showHit()
}

func (v *BodyView) showHit() {
	row := v.hits[v.hit]
	v.searchInfo.SetText(fmt.Sprintf("%d of %d", v.hit+1, len(v.hits)))
	id := widget.TableCellID{Row: row, Col: 1}
	v.table.Select(id)
	v.table.ScrollTo(id)
}

// ScrollToEnd shows the last rows of the text.
func (v *BodyView) ScrollToEnd() {
	v.table.ScrollToBottom()
}

// ProbePaint calls f, on the UI goroutine, while the next frame with the
// view in it is painted: for the benchmark's "first screen painted". The
// probe is a transparent raster behind the text whose image is made only
// when a frame is drawn; views never probed have none. f runs in the
// middle of painting: it must only take the time and post anything more.
func (v *BodyView) ProbePaint(f func()) {
	if v.probe == nil {
		v.probe = canvas.NewRaster(func(int, int) image.Image {
			if p := v.painted; p != nil {
				v.painted = nil
				p()
			}
			return probeImage
		})
		v.stack.Objects = append([]fyne.CanvasObject{v.probe}, v.stack.Objects...)
		v.stack.Refresh()
	}
	v.painted = f
	v.probe.Refresh()
}

var probeImage = image.NewNRGBA(image.Rect(0, 0, 1, 1)) // one transparent pixel
