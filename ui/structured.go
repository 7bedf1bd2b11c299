package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/ui/internal/repr"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// shape is what a response is to the browser.
type shape int

const (
	shapeRaw        shape = iota // text and tree only
	shapeCollection              // a list of members: a table
	shapeMember                  // one member: a form
)

// pane is which view of the body is on screen.
type pane int

const (
	paneStructured pane = iota // the table or the form
	paneText
	paneTree
)

// maxStructuredBytes bounds what is read into a table or a form; larger
// bodies are shown as text (which is virtualised) only.
const maxStructuredBytes = 8 << 20

// paneLabels are the view switch's choices.
const (
	labelTable = "Table"
	labelForm  = "Form"
	labelText  = "Text"
	labelTree  = "Tree"
)

// structured holds the browser's table and form and what they show.
type structured struct {
	b *browser

	table *xwidget.RecordTable
	form  *xwidget.FormView
	// switcher chooses among the table or form, the text and the tree.
	switcher *widget.RadioGroup
	stack    *fyne.Container
	content  fyne.CanvasObject

	shape shape
	// raw: the user chose the text or the tree; it stays chosen across
	// navigation until they choose the table or form again.
	raw bool

	coll   *repr.Collection
	rows   []repr.Row
	next   string
	member *repr.Member
}

func newStructured(b *browser) *structured {
	s := &structured{b: b}
	d := b.d
	s.table = xwidget.NewRecordTable(xwidget.TableHooks{Keys: d.keys(), More: s.loadMore, Open: s.openRow})
	s.form = xwidget.NewFormView(xwidget.FormHooks{Keys: d.keys(), OpenLink: b.follow}, false)
	s.switcher = widget.NewRadioGroup([]string{labelText, labelTree}, s.switched)
	s.switcher.Horizontal = true
	s.switcher.Required = true
	s.switcher.Selected = labelText
	s.stack = container.NewStack(s.table, s.form, b.body)
	s.table.Hide()
	s.form.Hide()
	s.content = container.NewBorder(s.switcher, nil, nil, nil, s.stack)
	return s
}

// switched follows the user's choice of view.
func (s *structured) switched(label string) {
	if s.b.body == nil {
		return
	}
	switch label {
	case labelTable, labelForm:
		s.raw = false
	case labelTree:
		s.raw = true
		s.b.body.SetMode(xwidget.TreeMode)
	case labelText:
		s.raw = true
		s.b.body.SetMode(xwidget.TextMode)
	default:
		return
	}
	s.arrange()
}

// bodyModeChanged keeps the switch true when the body view changes mode by
// itself (Ctrl+F goes back to the text).
func (s *structured) bodyModeChanged(m xwidget.BodyMode) {
	if s.switcher == nil || s.current() == paneStructured {
		return
	}
	want := labelText
	if m == xwidget.TreeMode {
		want = labelTree
	}
	if s.switcher.Selected != want {
		s.switcher.Selected = want
		s.switcher.Refresh()
	}
}

// setPane shows p (as if chosen by the user); the table or form only when
// the body has one.
func (s *structured) setPane(p pane) {
	switch {
	case p == paneStructured && s.shape == shapeCollection:
		s.switcher.SetSelected(labelTable)
	case p == paneStructured && s.shape == shapeMember:
		s.switcher.SetSelected(labelForm)
	case p == paneTree:
		s.switcher.SetSelected(labelTree)
	case p == paneText:
		s.switcher.SetSelected(labelText)
	}
	s.arrange()
}

// current is the pane on screen.
func (s *structured) current() pane {
	switch {
	case s.shape != shapeRaw && !s.raw:
		return paneStructured
	case s.b.body.Mode() == xwidget.TreeMode:
		return paneTree
	}
	return paneText
}

// arrange shows the pane that fits the shape and the user's choice.
func (s *structured) arrange() {
	opts := []string{labelText, labelTree}
	switch s.shape {
	case shapeCollection:
		opts = []string{labelTable, labelText, labelTree}
	case shapeMember:
		opts = []string{labelForm, labelText, labelTree}
	}
	s.switcher.Options = opts
	p := s.current()
	switch p {
	case paneStructured:
		s.switcher.Selected = opts[0]
	case paneTree:
		s.switcher.Selected = labelTree
	default:
		s.switcher.Selected = labelText
	}
	s.switcher.Refresh()
	s.table.Hide()
	s.form.Hide()
	s.b.body.Hide()
	switch {
	case p == paneStructured && s.shape == shapeCollection:
		s.table.Show()
	case p == paneStructured:
		s.form.Show()
	default:
		s.b.body.Show()
	}
}

// read is what the background found in a body.
type readBody struct {
	shape  shape
	coll   *repr.Collection
	rows   xwidget.TableRows
	member *repr.Member
}

// classify reads a body as a collection, a member or neither. It runs off
// the UI goroutine.
func classify(r *Response) readBody {
	if r.Status < 200 || r.Status >= 300 || len(r.Body) == 0 || len(r.Body) > maxStructuredBytes ||
		(r.Format != wire.JSON && r.Format != wire.XML) {
		return readBody{}
	}
	t, err := repr.Parse(r.Body, r.Format)
	if err != nil {
		return readBody{}
	}
	if c, ok := repr.CollectionOf(t); ok {
		return readBody{shape: shapeCollection, coll: c, rows: xwidget.PrepareRows(cellsOf(c.Rows, c.Columns))}
	}
	if m, err := repr.MemberOf(t); err == nil {
		return readBody{shape: shapeMember, member: m}
	}
	return readBody{}
}

// show reads r in the background and puts it in the table or form; until
// then, and for anything else, the text shows.
func (s *structured) show(r *Response) {
	b := s.b
	gen := b.gen
	s.shape, s.coll, s.rows, s.next, s.member = shapeRaw, nil, nil, "", nil
	s.arrange()
	b.d.bg(func(context.Context) func() {
		rb := classify(r)
		return func() {
			if gen != b.gen || b.current != r {
				return
			}
			s.shape = rb.shape
			switch rb.shape {
			case shapeCollection:
				s.showCollection(rb.coll, rb.rows)
			case shapeMember:
				s.showMember(rb.member)
			}
			s.arrange()
			b.updateButtons()
			switch {
			case rb.shape == shapeCollection && !s.raw:
				b.d.emit(evTable)
			case rb.shape == shapeMember && !s.raw:
				b.d.emit(evForm)
			}
		}
	})
}

func (s *structured) showCollection(c *repr.Collection, rows xwidget.TableRows) {
	s.coll, s.rows, s.next = c, c.Rows, c.Next
	total := -1
	if n, err := strconv.Atoi(c.Count); err == nil {
		total = n
	}
	s.table.SetData(columnLabels(c.Columns), rows, c.Next != "", total, c.Name)
}

func columnLabels(cols []repr.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Label
	}
	return out
}

func cellsOf(rows []repr.Row, cols []repr.Column) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = r.Cells(cols)
	}
	return out
}

func (s *structured) showMember(m *repr.Member) {
	s.member = m
	s.form.SetFields(memberTitle(m), formFields(m, false), m.Links)
}

// memberTitle names a member: "skill 3".
func memberTitle(m *repr.Member) string {
	if f := m.Field("@id"); f != nil {
		return m.Name + " " + f.Value
	}
	return m.Name
}

// formFields are a member's fields for the form widget.
func formFields(m *repr.Member, editing bool) []xwidget.FormField {
	out := make([]xwidget.FormField, 0, len(m.Fields))
	for _, f := range m.Fields {
		ff := xwidget.FormField{Key: f.Key, Label: f.Label, Value: f.Value, Choices: f.Choices, ReadOnly: f.ReadOnly}
		switch f.Kind {
		case repr.Number:
			ff.Kind = xwidget.FieldNumber
		case repr.Bool:
			ff.Kind = xwidget.FieldBool
		case repr.Choice:
			ff.Kind = xwidget.FieldChoice
		case repr.List:
			ff.Kind = xwidget.FieldList
		case repr.Nested:
			ff.Kind = xwidget.FieldNested
			if editing {
				ff.Note = "edit as text to change"
			}
		}
		if f.Role == repr.Revision && editing {
			ff.Note = "checked with If-Match when saving"
		}
		out = append(out, ff)
	}
	return out
}

// loadMore fetches the collection's next page for the table.
func (s *structured) loadMore() {
	b := s.b
	next, c := s.next, s.coll
	if next == "" || c == nil {
		s.table.Loaded(false)
		return
	}
	gen, format := b.gen, c.Format
	b.status.Busy("Loading more " + c.Name + "…")
	b.d.bg(func(ctx context.Context) func() {
		resp, err := b.d.be.Fetch(ctx, FetchRequest{Path: next, Format: format})
		var page *repr.Collection
		var rows xwidget.TableRows
		ok := false
		if err == nil {
			page, ok, _ = repr.ParseCollection(resp.Body, resp.Format)
		}
		if ok {
			rows = xwidget.PrepareRows(cellsOf(page.Rows, c.Columns))
		}
		return func() {
			if gen != b.gen || s.coll != c {
				return
			}
			switch {
			case err != nil:
				s.table.Loaded(true)
				b.failed(err, s.loadMore)
				return
			case !ok || page.Item != c.Item:
				s.table.Loaded(false)
				b.status.Fail(fmt.Sprintf("The next page of %s (%s) is not a list of %s.", c.Name, b.display(next), c.Name), nil)
				return
			}
			s.rows = append(s.rows, page.Rows...)
			s.next = page.Next
			if s.next == next { // a server that sends the same page again would never end
				s.next = ""
			}
			s.table.Append(rows, s.next != "")
			b.status.Info(fmt.Sprintf("Loaded %d more %s.", len(page.Rows), c.Name))
			b.d.emit(evPage)
		}
	})
}

// openRow opens a member of the table: its self link, or its id under the
// collection's address.
func (s *structured) openRow(i int) {
	if i < 0 || i >= len(s.rows) {
		return
	}
	r := s.rows[i]
	b := s.b
	switch {
	case r.Self != "":
		b.navigate(b.display(r.Self), true)
	case r.ID != "":
		b.navigate(strings.TrimSuffix(addressPath(b.currentAddr), "/")+"/"+r.ID, true)
	default:
		b.status.Fail("This row has neither a self link nor an id to open it by.", nil)
	}
}

// template is an empty member shaped like the collection's, for New.
func (s *structured) template() (*repr.Member, bool) {
	if s.shape != shapeCollection || s.coll == nil {
		return nil, false
	}
	return s.coll.Template()
}
