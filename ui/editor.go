package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/ui/internal/repr"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

type editMode int

const (
	editUpdate editMode = iota // Save = update with If-Match
	editCreate                 // Save = create in the collection
)

// editor edits one representation, as a form or as text. Whatever goes
// wrong — a syntax error, a value a field cannot hold, a refused save, a
// 412 conflict, a dropped connection — what the user typed stays in the
// editor until they choose to replace or discard it.
type editor struct {
	d        *desk
	mode     editMode
	path     string
	format   wire.Format
	etag     string
	original string

	text    *xwidget.Entry
	title   *widget.Label
	saveBtn *widget.Button
	status  *xwidget.Status
	content fyne.CanvasObject

	// The form face: the member it edits (nil when editing text only),
	// and whether it is on screen rather than the text.
	member   *repr.Member
	form     *xwidget.FormView
	asForm   bool
	asText   *widget.Button
	faces    *fyne.Container
	hintText *widget.Label

	busy bool
	gen  int

	// The 412 dialog and its choices.
	conflict          dialog.Dialog
	conflictLoad      *widget.Button
	conflictOverwrite *widget.Button
	conflictKeep      *widget.Button
}

// newEditor edits body as text.
func newEditor(d *desk, mode editMode, path, body string, f wire.Format, etag string) *editor {
	e := &editor{d: d, mode: mode, path: path, format: f, etag: etag, original: body}
	e.build(body)
	return e
}

// newFormEditor edits m as a form, with its text one click away.
func newFormEditor(d *desk, mode editMode, path string, m *repr.Member, etag string) *editor {
	e := &editor{d: d, mode: mode, path: path, format: m.Format, etag: etag, member: m, asForm: true}
	e.form = xwidget.NewFormView(xwidget.FormHooks{Keys: d.keys(), OpenLink: func(wire.Link) {}}, true)
	e.form.SetFields(e.formTitle(), formFields(m, true), nil)
	// The text the form's values make, unchanged: what "Edit as text"
	// starts from, and what the text is compared with for unsaved edits.
	if body, err := m.Encode(m.Values()); err == nil {
		e.original = string(xwidget.Pretty(body, m.Format)) + "\n"
	}
	e.build("")
	return e
}

func (e *editor) formTitle() string {
	if e.mode == editCreate {
		return "New " + e.member.Name
	}
	return memberTitle(e.member)
}

// build lays the editor out.
func (e *editor) build(body string) {
	d := e.d
	e.text = xwidget.NewCodeEntry(d.keys())
	e.text.SetText(body)
	e.title = heading(e.describe())
	e.saveBtn = widget.NewButtonWithIcon("Save (Ctrl+S)", theme.DocumentSaveIcon(), e.save)
	e.saveBtn.Importance = widget.HighImportance
	if e.mode == editCreate {
		e.saveBtn.SetText("Create (Ctrl+S)")
	}
	closeBtn := widget.NewButtonWithIcon("Close", theme.CancelIcon(), e.close)
	e.asText = widget.NewButtonWithIcon("Edit as text", theme.DocumentIcon(), e.toText)
	e.status = xwidget.NewStatus()
	e.hintText = widget.NewLabel("")
	e.hintText.Wrapping = fyne.TextWrapWord
	e.faces = container.NewStack(e.text)
	buttons := container.NewHBox(e.saveBtn, closeBtn)
	if e.asForm {
		e.faces.Objects = []fyne.CanvasObject{e.form, e.text}
		e.text.Hide()
		buttons = container.NewHBox(e.asText, e.saveBtn, closeBtn)
	}
	e.hint()
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, buttons, e.title),
		e.hintText,
	)
	e.content = container.NewBorder(top, e.status, nil, nil, e.faces)
}

// hint says what is sent, and how.
func (e *editor) hint() {
	h := "Format: " + strings.ToUpper(string(e.format))
	if e.etag != "" {
		h += " · revision " + e.etag + " (sent as If-Match)"
	}
	if e.asForm {
		h += " · values the form does not show are sent back exactly as they came"
	}
	e.hintText.SetText(h)
}

// focusTarget is where the keyboard goes when the editor opens.
func (e *editor) focusTarget() fyne.Focusable {
	if e.asForm {
		if in := e.form.FirstInput(); in != nil {
			return in
		}
	}
	return e.text
}

// toText leaves the form for the text of the same representation, with
// the form's values in it; the form is not offered again in this editor.
func (e *editor) toText() {
	if !e.asForm {
		return
	}
	body, err := e.member.Encode(e.form.Values())
	if err != nil {
		e.fieldFailed(err)
		return
	}
	e.text.SetText(string(xwidget.Pretty(body, e.format)) + "\n")
	e.asForm = false
	e.form.Hide()
	e.text.Show()
	e.asText.Hide()
	e.hint()
	e.d.win.Canvas().Focus(e.text)
}

// describe names what is edited.
func (e *editor) describe() string {
	p := e.path
	if p == "" {
		p = "the account base"
	}
	if e.mode == editCreate {
		return "New resource in " + p
	}
	return "Edit " + p
}

func (e *editor) dirty() bool {
	if e.asForm {
		return e.member.Changed(e.form.Values())
	}
	return e.text.Text != e.original
}

// close leaves the editor, asking first when there are unsaved edits.
func (e *editor) close() {
	if e.dirty() {
		e.d.confirm("Unsaved changes", "Your changes to "+e.describe()+" have not been saved. Discard them?",
			"Discard changes", func() { e.leave(false) })
		return
	}
	e.leave(false)
}

func (e *editor) leave(reload bool) {
	e.gen++
	e.d.closeEditor(reload)
}

// save validates the text and sends it; a syntax error is shown with its
// line and column and the cursor is put there. From the form, the member
// is written with the form's values.
func (e *editor) save() {
	if e.busy {
		return
	}
	if e.asForm {
		body, err := e.member.Encode(e.form.Values())
		if err != nil {
			e.fieldFailed(err)
			return
		}
		e.send(body, e.etag)
		return
	}
	body := []byte(e.text.Text)
	if be := validateBody(body, e.format); be != nil {
		e.status.Fail(fmt.Sprintf("Not sent: the %s is not well-formed at %s", strings.ToUpper(string(e.format)), be.Error()), nil)
		e.text.CursorRow = be.Line - 1
		e.text.CursorColumn = be.Col - 1
		e.text.Refresh()
		e.d.win.Canvas().Focus(e.text)
		e.d.emit(evInvalidBody)
		return
	}
	e.send(body, e.etag)
}

// fieldFailed shows a value the form cannot send and puts the cursor in
// its field.
func (e *editor) fieldFailed(err error) {
	var fe *repr.FieldError
	if !errors.As(err, &fe) {
		e.status.Fail("Not sent: "+err.Error(), nil)
		return
	}
	e.status.Fail("Not sent: "+fe.Error()+".", nil)
	if in, ok := e.form.Input(fe.Key).(fyne.Focusable); ok {
		e.d.win.Canvas().Focus(in)
	}
	e.d.emit(evInvalidBody)
}

func (e *editor) setBusy(on bool) {
	e.busy = on
	if on {
		e.saveBtn.Disable()
	} else {
		e.saveBtn.Enable()
	}
}

// busyBg runs work off the UI goroutine with the editor busy (Save
// disabled, msg in the status); the function work returns then runs on
// the UI goroutine unless the editor moved on meanwhile (it was closed or
// a newer request started), whose answer alone counts.
func (e *editor) busyBg(msg string, work func(ctx context.Context) func()) {
	e.gen++
	gen := e.gen
	e.setBusy(true)
	e.status.Busy(msg)
	e.d.bg(func(ctx context.Context) func() {
		done := work(ctx)
		return func() {
			if gen != e.gen {
				return
			}
			e.setBusy(false)
			done()
		}
	})
}

func (e *editor) send(body []byte, etag string) {
	verb := "Saving"
	if e.mode == editCreate {
		verb = "Creating"
	}
	mode, path, f := e.mode, e.path, e.format
	e.busyBg(verb+" "+e.path+"…", func(ctx context.Context) func() {
		var resp *Response
		var err error
		if mode == editCreate {
			resp, err = e.d.be.Create(ctx, path, body, f)
		} else {
			resp, err = e.d.be.Update(ctx, path, body, f, etag)
		}
		return func() {
			if err != nil {
				e.saveFailed(err, body)
				return
			}
			e.original = string(body)
			if resp != nil && resp.ETag != "" {
				e.etag = resp.ETag
			}
			e.saved(resp)
		}
	})
}

func (e *editor) saved(resp *Response) {
	br := e.d.browser()
	if e.mode == editCreate {
		loc := ""
		if resp != nil {
			loc = resp.Location
		}
		e.leave(false)
		if loc != "" {
			br.navigate(br.display(loc), true)
			br.status.Info("Created " + br.display(loc) + ".")
		} else {
			br.reload()
		}
		e.d.emit(evCreated)
		return
	}
	e.leave(true)
	e.d.emit(evSaved)
}

func (e *editor) saveFailed(err error, body []byte) {
	switch {
	case errors.Is(err, ErrPreconditionFailed):
		e.status.Fail("Not saved: "+e.path+" was changed on the server since you opened it.", nil)
		e.showConflict(body)
		e.d.emit(evConflict)
	case errors.Is(err, ErrAccessRevoked):
		e.status.Fail("Not saved: access to the account was revoked on the server. Your text is still here; copy it before setting up access again.", nil)
		e.d.browser().showRevoked()
		e.d.emit(evRevokedOnServer)
	case errors.Is(err, ErrNetwork):
		e.status.Fail("Not saved: the connection failed ("+err.Error()+"). Your text is kept; retry when the server is reachable.",
			func() { e.send(body, e.etag) })
		e.d.emit(evRequestFailed)
	default:
		e.status.Fail("Not saved: "+err.Error(), func() { e.send(body, e.etag) })
		e.d.emit(evRequestFailed)
	}
}

// showConflict offers the three ways out of a 412.
func (e *editor) showConflict(body []byte) {
	var dlg *dialog.CustomDialog
	e.conflictLoad = widget.NewButton("Load theirs", func() {
		dlg.Hide()
		e.loadTheirs()
	})
	e.conflictOverwrite = widget.NewButton("Overwrite", func() {
		dlg.Hide()
		e.overwrite(body)
	})
	e.conflictOverwrite.Importance = widget.DangerImportance
	e.conflictKeep = widget.NewButton("Keep editing", func() { dlg.Hide() })
	e.conflictKeep.Importance = widget.HighImportance
	msg := para("Someone changed " + e.path + " after you opened it, so the server refused your save (412 Precondition Failed).\n\n" +
		"Load theirs: replace your text with the server's current version.\n" +
		"Overwrite: save your text over their change.\n" +
		"Keep editing: go back to your text; nothing is lost.")
	dlg = dialog.NewCustomWithoutButtons("The resource changed on the server", msg, e.d.win)
	dlg.SetButtons([]fyne.CanvasObject{e.conflictLoad, e.conflictOverwrite, e.conflictKeep})
	dlg.Resize(fyne.NewSize(560, 0))
	e.conflict = dlg
	e.d.showDialog(dlg)
}

// fetchCurrent reads the server's version of the resource.
func (e *editor) fetchCurrent(ctx context.Context) (*Response, error) {
	return e.d.be.Fetch(ctx, FetchRequest{Path: e.path, Format: e.format})
}

func (e *editor) loadTheirs() {
	e.busyBg("Loading the server's version…", func(ctx context.Context) func() {
		resp, err := e.fetchCurrent(ctx)
		var text string
		var m *repr.Member
		if err == nil {
			text = string(xwidget.Pretty(resp.Body, e.format)) + "\n"
			if e.asForm {
				m, _ = repr.ParseMember(resp.Body, resp.Format)
			}
		}
		return func() {
			if err != nil {
				e.status.Fail("Could not load the server's version: "+describe(err)+" Your text is unchanged.", e.loadTheirs)
				return
			}
			e.etag = resp.ETag
			e.original = text
			e.text.SetText(text)
			if e.asForm && m != nil {
				e.member = m
				e.form.SetFields(e.formTitle(), formFields(m, true), nil)
			} else if e.asForm {
				// Their version is no longer a shape the form can show.
				e.asForm = false
				e.form.Hide()
				e.text.Show()
				e.asText.Hide()
			}
			e.hint()
			e.status.Info("Loaded the server's current version (revision " + resp.ETag + ").")
			e.d.emit(evLoadedTheirs)
		}
	})
}

// overwrite saves body over the server's newer revision.
func (e *editor) overwrite(body []byte) {
	e.busyBg("Reading the server's revision to overwrite it…", func(ctx context.Context) func() {
		resp, err := e.fetchCurrent(ctx)
		return func() {
			if err != nil {
				e.status.Fail("Could not read the server's revision: "+describe(err)+" Your text is unchanged.", func() { e.overwrite(body) })
				return
			}
			e.etag = resp.ETag
			e.send(body, resp.ETag)
		}
	})
}
