package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// browser is the resource browser: an address bar relative to the account
// base, history, the links of the resource, its body and the response's
// status, headers and timing.
type browser struct {
	d       *desk
	content fyne.CanvasObject

	address   *xwidget.Entry
	backBtn   *widget.Button
	fwdBtn    *widget.Button
	reloadBtn *widget.Button
	goBtn     *widget.Button
	format    *widget.RadioGroup
	profiles  *widget.Select
	editBtn   *widget.Button
	newBtn    *widget.Button
	deleteBtn *widget.Button
	settings  *widget.Button

	links     *widget.List
	linkData  []wire.Link
	statusLbl *widget.Label
	infoLbl   *widget.Label
	headers   *widget.Label
	sig       *signaturePanel
	body      *xwidget.BodyView
	st        *structured
	status    *xwidget.Status

	banner    *fyne.Container
	bannerMsg *widget.Label
	setupBtn  *widget.Button
	revoked   bool

	history []string
	pos     int
	gen     int

	current     *Response
	currentAddr string
	// received is when the client returned the shown response, its last
	// byte read (the benchmark's "last byte received").
	received time.Time
}

// newAccountOption is the profile switcher's entry that starts onboarding.
const newAccountOption = "Add an account…"

func newBrowser(d *desk) *browser {
	b := &browser{d: d, pos: -1}
	b.address = xwidget.NewEntry(d.keys(), "path relative to the account, e.g. skills?limit=10 (Ctrl+L)")
	b.address.OnSubmitted = func(s string) { b.navigate(s, true) }
	b.backBtn = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), b.back)
	b.fwdBtn = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), b.forward)
	b.reloadBtn = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), b.reload)
	b.goBtn = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), func() { b.navigate(b.address.Text, true) })
	b.goBtn.Importance = widget.HighImportance
	b.format = widget.NewRadioGroup([]string{"JSON", "XML"}, func(string) {
		if b.current != nil {
			b.navigate(b.currentAddr, false)
		}
	})
	b.format.Horizontal = true
	b.format.Required = true
	b.format.Selected = "JSON"
	b.profiles = widget.NewSelect(nil, b.switchProfile)
	b.editBtn = widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), b.edit)
	b.newBtn = widget.NewButtonWithIcon("New", theme.ContentAddIcon(), b.create)
	b.deleteBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), b.remove)
	b.settings = widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), d.showSettings)

	b.links = widget.NewList(
		func() int { return len(b.linkData) },
		func() fyne.CanvasObject {
			rel := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			href := widget.NewLabel("")
			href.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, rel, nil, href)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			l := b.linkData[i]
			href := b.display(l.Href)
			if href == "" {
				href = "(account base)"
			}
			// Border puts the centre object first.
			box.Objects[1].(*widget.Label).SetText(l.Rel)
			box.Objects[0].(*widget.Label).SetText(href)
		},
	)
	b.links.OnSelected = func(i widget.ListItemID) {
		b.links.UnselectAll()
		if i >= 0 && i < len(b.linkData) {
			b.follow(b.linkData[i])
		}
	}
	b.statusLbl = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.infoLbl = widget.NewLabel("")
	b.infoLbl.Wrapping = fyne.TextWrapBreak
	b.headers = widget.NewLabel("")
	b.headers.TextStyle = fyne.TextStyle{Monospace: true}
	b.headers.Wrapping = fyne.TextWrapBreak
	b.headers.SizeName = theme.SizeNameCaptionText
	b.sig = newSignaturePanel(d)
	hooks := d.bodyHooks()
	hooks.ModeChanged = func(m xwidget.BodyMode) {
		if b.st != nil {
			b.st.bodyModeChanged(m)
		}
	}
	b.body = xwidget.NewBodyView(hooks)
	b.body.HideModeSwitch()
	b.st = newStructured(b)
	b.status = xwidget.NewStatus()

	b.bannerMsg = para("")
	b.bannerMsg.Importance = widget.DangerImportance
	b.setupBtn = widget.NewButtonWithIcon("Set up access again", theme.LoginIcon(), b.setupAgain)
	b.setupBtn.Importance = widget.HighImportance
	b.banner = container.NewBorder(nil, nil, nil, b.setupBtn, b.bannerMsg)
	b.banner.Hide()

	nav := container.NewHBox(b.backBtn, b.fwdBtn, b.reloadBtn)
	right := container.NewHBox(b.goBtn, b.format)
	toolbar := container.NewBorder(nil, nil, nav, right, b.address)
	actions := container.NewHBox(b.editBtn, b.newBtn, b.deleteBtn, layoutSpacer(), b.profiles, b.settings)

	linksPanel := container.NewBorder(widget.NewLabelWithStyle("Links", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, b.links)
	info := container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle("Response", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		b.statusLbl, b.infoLbl, b.sig.content,
		widget.NewLabelWithStyle("Headers", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		b.headers))
	side := container.NewVSplit(linksPanel, info)
	side.Offset = 0.5
	b.sig.split, b.sig.scroll = side, info
	main := container.NewHSplit(side, b.st.content)
	main.Offset = 0.27
	b.content = container.NewBorder(
		container.NewVBox(b.banner, toolbar, actions),
		b.status, nil, nil, main)
	b.updateButtons()
	return b
}

// bodyHooks connect the body view to the window: its work runs with the
// window's other background work, and what it shows is an event.
func (d *desk) bodyHooks() xwidget.BodyViewHooks {
	return xwidget.BodyViewHooks{
		Keys:       d.keys(),
		Background: func(work func() func()) { d.bg(func(context.Context) func() { return work() }) },
		Focus:      func(o fyne.Focusable) { d.win.Canvas().Focus(o) },
		Shown: func(m xwidget.BodyMode) {
			if m == xwidget.TreeMode {
				d.emit(evTree)
			} else {
				d.emit(evBody)
			}
		},
		Complete: func() {
			if d.releasePending {
				d.releasePending = false
				d.releaseMemory()
			}
			d.emit(evBodyDone)
		},
		Do: d.do,
	}
}

// display shows a link as an address when it is under the account base.
func (b *browser) display(href string) string {
	return relativeAddress(b.d.profile.BaseURL, href, b.d.profile.Dialect == apiclient.DialectGeneric)
}

// profileChanged refreshes what depends on the open profile.
func (b *browser) profileChanged() {
	p := b.d.profile
	if p.Format == wire.XML {
		b.format.Selected = "XML"
	} else {
		b.format.Selected = "JSON"
	}
	b.format.Refresh()
	names := make([]string, 0, len(b.d.profiles)+1)
	for _, q := range b.d.profiles {
		names = append(names, q.Name)
	}
	sort.Strings(names)
	names = append(names, newAccountOption)
	b.profiles.Options = names
	b.profiles.Selected = p.Name
	b.profiles.Refresh()
	if len(b.d.profiles) > 1 {
		b.profiles.Show()
	} else {
		b.profiles.Hide()
	}
}

func (b *browser) switchProfile(name string) {
	switch {
	case name == newAccountOption:
		b.profiles.Selected = b.d.profile.Name
		b.profiles.Refresh()
		b.d.showWizard(AuthRequest{})
	case name != "" && name != b.d.profile.Name:
		b.history, b.pos = nil, -1
		b.hideBanner()
		b.d.openProfile(name)
	}
}

func (b *browser) selectedFormat() wire.Format {
	if b.format.Selected == "XML" {
		return wire.XML
	}
	return wire.JSON
}

// navigate loads addr; push records it in the history.
func (b *browser) navigate(addr string, push bool) {
	addr = strings.TrimSpace(addr)
	b.gen++
	gen := b.gen
	b.address.SetText(addr)
	shown := addr
	if shown == "" {
		shown = "the account base"
	}
	b.status.Busy("Loading " + shown + "…")
	req := FetchRequest{Path: addr, Format: b.selectedFormat()}
	b.d.bg(func(ctx context.Context) func() {
		resp, err := b.d.be.Fetch(ctx, req)
		received := time.Now()
		return func() {
			if gen != b.gen {
				return
			}
			if resp != nil {
				if push {
					b.push(addr)
				}
				b.received = received
				b.show(addr, resp)
			}
			if err != nil {
				b.failed(err, func() { b.navigate(addr, push && resp == nil) })
				return
			}
			b.hideBanner()
			b.status.Info(fmt.Sprintf("%s · %s", statusText(resp.Status), elapsed(resp.Elapsed)))
			b.d.emitDetail(evLoaded, addr)
		}
	})
}

// failed shows err; revoked access turns into the banner offering
// onboarding again.
func (b *browser) failed(err error, retry func()) {
	if errors.Is(err, ErrAccessRevoked) {
		b.showRevoked()
		b.status.Fail(describe(err), nil)
		b.d.emit(evRevokedOnServer)
		return
	}
	b.status.Fail(describe(err), retry)
	b.d.emit(evRequestFailed)
}

func (b *browser) showRevoked() {
	b.revoked = true
	b.bannerMsg.SetText(fmt.Sprintf("Access to account %s was revoked on the server, so lpdesk can no longer read or change it. "+
		"An administrator can authorize lpdesk again.", b.d.profile.AccountID))
	b.setupBtn.Show()
	b.banner.Show()
}

// offerSetup shows the banner with a reason other than revocation.
func (b *browser) offerSetup(msg string) {
	b.bannerMsg.SetText(msg)
	b.setupBtn.Show()
	b.banner.Show()
}

func (b *browser) hideBanner() {
	b.revoked = false
	b.banner.Hide()
}

func (b *browser) setupAgain() {
	p := b.d.profile
	b.d.showWizard(AuthRequest{Server: p.Server, AccountID: p.AccountID, Profile: p.Name})
	if p.Provider != "" {
		b.d.wiz.showProviderFor(p)
	}
}

func (b *browser) push(addr string) {
	if b.pos >= 0 && b.pos < len(b.history) && b.history[b.pos] == addr {
		return
	}
	b.history = append(b.history[:b.pos+1], addr)
	b.pos = len(b.history) - 1
}

func (b *browser) back() {
	if b.pos > 0 {
		b.pos--
		b.navigate(b.history[b.pos], false)
		b.updateButtons()
	}
}

func (b *browser) forward() {
	if b.pos+1 < len(b.history) {
		b.pos++
		b.navigate(b.history[b.pos], false)
		b.updateButtons()
	}
}

func (b *browser) reload() {
	b.navigate(b.address.Text, false)
}

func (b *browser) follow(l wire.Link) {
	b.navigate(b.display(l.Href), true)
}

// largeBody is the size from which a body, once no longer shown, is
// worth handing back to the system at once: its text and rows hold several
// times its size, which the Go runtime would otherwise return only slowly.
const largeBody = 8 << 20

// show puts a response on screen.
func (b *browser) show(addr string, r *Response) {
	if old := b.current; old != nil && len(old.Body) >= largeBody {
		// Once the new text is made: the garbage of the switch goes too.
		b.d.releasePending = true
	}
	b.current, b.currentAddr = r, addr
	b.linkData = r.Links
	b.links.Refresh()
	b.statusLbl.SetText(statusText(r.Status))
	if r.Status >= 400 {
		b.statusLbl.Importance = widget.DangerImportance
	} else {
		b.statusLbl.Importance = widget.SuccessImportance
	}
	b.statusLbl.Refresh()
	info := []string{
		fmt.Sprintf("%s %s", orGET(r.Method), r.URL),
		fmt.Sprintf("Time: %s", elapsed(r.Elapsed)),
		fmt.Sprintf("Size: %s", byteSize(len(r.Body))),
	}
	if r.ContentType != "" {
		info = append(info, "Type: "+r.ContentType)
	}
	if r.ETag != "" {
		info = append(info, "ETag: "+r.ETag)
	}
	b.infoLbl.SetText(strings.Join(info, "\n"))
	b.headers.SetText(formatHeaders(r.Header))
	b.sig.show(r)
	f := r.Format
	if f == "" {
		f, _ = wire.FormatOf(r.ContentType)
	}
	b.body.SetBody(r.Body, f)
	b.st.show(r)
	b.updateButtons()
}

// elapsed shows a duration with a precision people can read: 840µs,
// 12ms, 1.3s.
func elapsed(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

func orGET(m string) string {
	if m == "" {
		return http.MethodGet
	}
	return m
}

func statusText(code int) string {
	return fmt.Sprintf("%d %s", code, http.StatusText(code))
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func formatHeaders(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		for _, v := range h[k] {
			lines = append(lines, k+": "+v)
		}
	}
	return strings.Join(lines, "\n")
}

func (b *browser) updateButtons() {
	set := func(btn *widget.Button, on bool) {
		if on {
			btn.Enable()
		} else {
			btn.Disable()
		}
	}
	ok := b.current != nil && b.current.Status >= 200 && b.current.Status < 300
	set(b.backBtn, b.pos > 0)
	set(b.fwdBtn, b.pos+1 < len(b.history))
	set(b.editBtn, ok && (b.current.Format == wire.JSON || b.current.Format == wire.XML))
	set(b.newBtn, ok)
	set(b.deleteBtn, ok && b.currentAddr != "")
}

// maxEditBytes bounds what the editor opens: a multi-line Entry lays out
// all its text, so a huge body belongs in `lpdesk api --input`.
const maxEditBytes = 2 << 20

// edit opens the editor on what is shown: the form when the member is
// shown as one, the text otherwise.
func (b *browser) edit() {
	r := b.current
	if r == nil {
		return
	}
	if m := b.st.member; m != nil && b.st.shape == shapeMember && b.st.current() == paneStructured {
		b.d.showEditor(newFormEditor(b.d, editUpdate, addressPath(b.currentAddr), m, r.ETag))
		return
	}
	if len(r.Body) > maxEditBytes {
		b.status.Fail(fmt.Sprintf("This representation is %s, too large to edit in the window; use lpdesk api --input.", byteSize(len(r.Body))), nil)
		return
	}
	path := addressPath(b.currentAddr)
	b.status.Busy("Opening the editor…")
	b.d.bg(func(context.Context) func() {
		text := string(xwidget.Pretty(r.Body, r.Format)) + "\n"
		return func() {
			if b.current != r || b.d.view != viewBrowser {
				return
			}
			b.status.Clear()
			b.d.showEditor(newEditor(b.d, editUpdate, path, text, r.Format, r.ETag))
		}
	})
}

// create opens the editor on a new member: a form shaped like the
// collection's members when the table is shown, a text template
// otherwise.
func (b *browser) create() {
	r := b.current
	if r == nil {
		return
	}
	if m, ok := b.st.template(); ok && b.st.current() == paneStructured {
		b.d.showEditor(newFormEditor(b.d, editCreate, addressPath(b.currentAddr), m, ""))
		return
	}
	f := r.Format
	if f == "" {
		f = b.selectedFormat()
	}
	b.d.showEditor(newEditor(b.d, editCreate, addressPath(b.currentAddr), newBodyTemplate(r.Body, f), f, ""))
}

func (b *browser) remove() {
	r := b.current
	if r == nil || b.currentAddr == "" {
		return
	}
	path := addressPath(b.currentAddr)
	etag := r.ETag
	b.d.confirm("Delete resource", fmt.Sprintf("Delete %s on the server? This cannot be undone from lpdesk.", path), "Delete", func() {
		b.gen++
		gen := b.gen
		b.status.Busy("Deleting " + path + "…")
		b.d.bg(func(ctx context.Context) func() {
			resp, err := b.d.be.Delete(ctx, path, etag)
			return func() {
				if gen != b.gen {
					return
				}
				if err != nil {
					if resp != nil {
						b.show(b.currentAddr, resp)
					}
					b.failed(err, nil)
					return
				}
				parent := path
				if i := strings.LastIndexByte(parent, '/'); i >= 0 {
					parent = parent[:i]
				} else {
					parent = ""
				}
				b.navigate(parent, true)
				b.status.Info("Deleted " + path + ".")
				b.d.emit(evDeleted)
			}
		})
	})
}
