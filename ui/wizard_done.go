package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// donePage says what the installation stored and where, and opens the
// account.
type donePage struct {
	text    *widget.Label
	stored  *widget.Label
	openBtn *widget.Button
}

// finish records the installation with the desk and shows the done page.
func (w *wizard) finish(in Installed) {
	w.result = in
	w.d.installed(in)
	p := in.Profile
	page := &donePage{}
	w.donePage = page
	what := fmt.Sprintf("account %s on %s", p.AccountID, p.Server)
	if p.AccountID == "" {
		// Another provider's profile has no account, only its API.
		what = p.BaseURL
	}
	page.text = para(fmt.Sprintf("lpdesk is authorized for %s. The profile is called %q.", what, p.Name))
	lines := make([]string, 0, len(in.Stored))
	for _, s := range in.Stored {
		lines = append(lines, "• "+s)
	}
	page.stored = para(strings.Join(lines, "\n"))
	page.openBtn = widget.NewButtonWithIcon("Open the account", theme.NavigateNextIcon(), func() {
		w.d.wiz = nil
		w.d.openProfile(p.Name)
	})
	page.openBtn.Importance = widget.HighImportance
	w.show(pageDone, container.NewVBox(
		heading("lpdesk is ready"),
		page.text,
		widget.NewLabelWithStyle("What was stored, and where", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		page.stored,
		para("The token secret never goes into a file. Settings → Revoke access removes it and tells the server."),
		container.NewHBox(page.openBtn),
	))
	w.d.emit(evInstalled)
}
