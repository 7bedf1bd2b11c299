package widget

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// FieldKind is how a form field is shown and edited.
type FieldKind int

const (
	FieldText   FieldKind = iota // an entry
	FieldNumber                  // an entry that flags what is not a number
	FieldBool                    // a check box
	FieldChoice                  // a drop-down of Choices
	FieldList                    // an entry of values separated by commas
	FieldNested                  // shown as written, never editable
)

// FormField is one row of a form.
type FormField struct {
	Key, Label, Value string
	Kind              FieldKind
	Choices           []string
	ReadOnly          bool
	// Note is said after a value, e.g. "sent as If-Match".
	Note string
}

// FormHooks connect a FormView to the window it is in.
type FormHooks struct {
	// Keys are the window's shortcuts, for the entries.
	Keys Keys
	// OpenLink follows a link's button.
	OpenLink func(wire.Link)
	// Changed is told when the user changes a value.
	Changed func()
}

// FormView shows a member as a form: a label and a value per field, and
// its links as buttons. Made editable, each field gets an input for its
// kind; read-only and nested fields stay text. Values reports what the
// inputs hold, and fields the user did not touch report their value as
// given, so that showing a member never changes it.
type FormView struct {
	widget.BaseWidget
	hooks    FormHooks
	editable bool

	title     *widget.Label
	rows      *fyne.Container
	linkBox   *fyne.Container
	linkLabel *widget.Label
	empty     *widget.Label
	content   fyne.CanvasObject

	fields  []FormField
	inputs  map[string]fyne.CanvasObject
	read    map[string]func() string
	touched map[string]bool
	links   map[string]*widget.Button
	setting bool // a value is being set by the program, not the user
}

// NewFormView is an empty form; editable forms have inputs.
func NewFormView(h FormHooks, editable bool) *FormView {
	f := &FormView{hooks: h, editable: editable}
	f.ExtendBaseWidget(f)
	f.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.title.SizeName = theme.SizeNameSubHeadingText
	f.title.Truncation = fyne.TextTruncateEllipsis
	f.rows = container.New(layout.NewFormLayout())
	f.linkLabel = widget.NewLabelWithStyle("Links", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.linkBox = container.NewGridWrap(fyne.NewSize(200, 36))
	f.empty = widget.NewLabel("")
	f.empty.Hide()
	body := container.NewVBox(f.title, f.rows, f.empty, f.linkLabel, f.linkBox)
	f.content = container.NewVScroll(container.NewPadded(body))
	f.SetFields("", nil, nil)
	return f
}

// CreateRenderer shows the title, the fields and the link buttons in a
// scroll.
func (f *FormView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(f.content)
}

// SetFields shows a new member.
func (f *FormView) SetFields(title string, fields []FormField, links []wire.Link) {
	f.setting = true
	defer func() { f.setting = false }()
	f.fields = fields
	f.inputs = map[string]fyne.CanvasObject{}
	f.read = map[string]func() string{}
	f.touched = map[string]bool{}
	f.links = map[string]*widget.Button{}
	f.title.SetText(title)
	var objs []fyne.CanvasObject
	for _, fd := range fields {
		name := widget.NewLabelWithStyle(fd.Label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		objs = append(objs, name, f.valueObject(fd))
	}
	f.rows.Objects = objs
	f.rows.Refresh()
	var btns []fyne.CanvasObject
	for _, l := range links {
		if l.Rel == "self" || l.Href == "" {
			continue
		}
		b := widget.NewButtonWithIcon(l.Rel, theme.NavigateNextIcon(), func() {
			if f.hooks.OpenLink != nil {
				f.hooks.OpenLink(l)
			}
		})
		b.Alignment = widget.ButtonAlignLeading
		if _, dup := f.links[l.Rel]; !dup {
			f.links[l.Rel] = b
		}
		btns = append(btns, b)
	}
	// One cell size fits every button: GridWrap flows them into rows.
	cell := fyne.NewSize(140, 0)
	for _, b := range btns {
		cell = cell.Max(b.MinSize())
	}
	f.linkBox.Layout = layout.NewGridWrapLayout(fyne.NewSize(min(cell.Width, 280), cell.Height))
	f.linkBox.Objects = btns
	f.linkBox.Refresh()
	if len(btns) == 0 {
		f.linkLabel.Hide()
		f.linkBox.Hide()
	} else {
		f.linkLabel.Show()
		f.linkBox.Show()
	}
	if len(fields) == 0 && len(btns) == 0 {
		f.empty.SetText("Nothing to show.")
		f.empty.Show()
	} else {
		f.empty.Hide()
	}
}

// valueObject is a field's value: an input when the form is editable and
// the field may change, text otherwise.
func (f *FormView) valueObject(fd FormField) fyne.CanvasObject {
	key := fd.Key
	f.read[key] = func() string { return fd.Value }
	if !f.editable || fd.ReadOnly || fd.Kind == FieldNested {
		return f.textValue(fd)
	}
	changed := func() {
		if f.setting {
			return
		}
		f.touched[key] = true
		if f.hooks.Changed != nil {
			f.hooks.Changed()
		}
	}
	switch fd.Kind {
	case FieldBool:
		c := widget.NewCheck("", func(bool) { changed() })
		c.Checked = fd.Value == "true"
		f.inputs[key] = c
		f.read[key] = func() string {
			if !f.touched[key] {
				return fd.Value
			}
			if c.Checked {
				return "true"
			}
			return "false"
		}
		return c
	case FieldChoice:
		s := widget.NewSelect(fd.Choices, func(string) { changed() })
		s.Selected = fd.Value
		f.inputs[key] = s
		f.read[key] = func() string { return s.Selected }
		return s
	}
	e := NewEntry(f.hooks.Keys, "")
	if strings.Contains(fd.Value, "\n") {
		e.MultiLine = true
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
	}
	switch fd.Kind {
	case FieldNumber:
		e.PlaceHolder = "a number"
		// Flag a value the field cannot hold however it got there,
		// typed or loaded.
		e.AlwaysShowValidationError = true
		e.Validator = func(s string) error {
			if s == "" || isNumberText(s) {
				return nil
			}
			return errNotNumber
		}
	case FieldList:
		e.PlaceHolder = "values separated by commas"
	}
	e.SetText(fd.Value)
	e.OnChanged = func(string) { changed() }
	f.inputs[key] = e
	f.read[key] = func() string { return e.Text }
	return e
}

// textValue shows a value that is not edited here.
func (f *FormView) textValue(fd FormField) fyne.CanvasObject {
	v := widget.NewLabel(fd.Value)
	v.Selectable = true
	v.Wrapping = fyne.TextWrapBreak
	if fd.Kind == FieldNested {
		v.TextStyle = fyne.TextStyle{Monospace: true}
	}
	if fd.Value == "" {
		v.SetText("—")
		v.Importance = widget.LowImportance
	}
	if fd.Note == "" {
		return v
	}
	note := widget.NewLabelWithStyle("("+fd.Note+")", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	return container.NewHBox(v, note)
}

// Values are the fields' values by key.
func (f *FormView) Values() map[string]string {
	out := make(map[string]string, len(f.read))
	for k, r := range f.read {
		out[k] = r()
	}
	return out
}

// Value is one field's value.
func (f *FormView) Value(key string) string {
	if r, ok := f.read[key]; ok {
		return r()
	}
	return ""
}

// SetValue changes an input as the user would; it reports whether the
// field has one.
func (f *FormView) SetValue(key, v string) bool {
	switch in := f.inputs[key].(type) {
	case *Entry:
		in.SetText(v)
	case *widget.Check:
		in.SetChecked(v == "true")
	case *widget.Select:
		in.SetSelected(v)
	default:
		return false
	}
	return true
}

// Input is a field's input, or nil when it has none.
func (f *FormView) Input(key string) fyne.CanvasObject { return f.inputs[key] }

// FirstInput is the first field's input, to put the keyboard focus in.
func (f *FormView) FirstInput() fyne.Focusable {
	for _, fd := range f.fields {
		if in, ok := f.inputs[fd.Key].(fyne.Focusable); ok {
			return in
		}
	}
	return nil
}

// LinkButton is the button of the first link with rel, or nil.
func (f *FormView) LinkButton(rel string) *widget.Button { return f.links[rel] }

// Title is the form's heading.
func (f *FormView) Title() string { return f.title.Text }
