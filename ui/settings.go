package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/store"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// settingsView shows the open profile (never its secret), the request
// options, the theme, and the two ways to remove access.
type settingsView struct {
	d       *desk
	content fyne.CanvasObject

	token     *widget.Label
	placement *widget.RadioGroup
	format    *widget.RadioGroup
	theme     *widget.RadioGroup
	signOut   *widget.Button
	revoke    *widget.Button
	status    *xwidget.Status
	loading   bool
}

func newSettings(d *desk) *settingsView {
	s := &settingsView{d: d, status: xwidget.NewStatus()}
	p := d.profile
	s.token = widget.NewLabel(store.MaskToken(p.Token))
	s.token.TextStyle = fyne.TextStyle{Monospace: true}

	s.loading = true
	placement, format := "Authorization header", "JSON"
	placements := []string{"Authorization header", "Query parameters"}
	switch p.Placement {
	case apiclient.PlaceQuery:
		placement = "Query parameters"
	case apiclient.PlaceForm:
		// Another provider's profile may sign in a form body; offering it
		// only there keeps a change of format from moving its credentials.
		placement = formBody
		placements = append(placements, formBody)
	}
	if p.Format == wire.XML {
		format = "XML"
	}
	apply := func(string) { s.apply() }
	s.placement = radio(placements, placement, apply)
	s.format = radio([]string{"JSON", "XML"}, format, apply)
	s.theme = radio([]string{"System", "Light", "Dark"}, d.themeChoice().label(), func(t string) {
		if !s.loading {
			d.applyTheme(themeChoice(strings.ToLower(t)))
		}
	})
	s.loading = false

	s.signOut = widget.NewButtonWithIcon("Sign out", theme.LogoutIcon(), s.confirmSignOut)
	s.revoke = widget.NewButtonWithIcon("Revoke access…", theme.DeleteIcon(), s.confirmRevoke)
	s.revoke.Importance = widget.DangerImportance
	back := widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), d.showBrowser)

	created := ""
	if !p.CreatedAt.IsZero() {
		created = p.CreatedAt.Local().Format("2006-01-02 15:04")
	}
	details := widget.NewForm(
		widget.NewFormItem("Profile", widget.NewLabel(p.Name)),
		widget.NewFormItem("Server", widget.NewLabel(p.Server)),
		widget.NewFormItem("Account", widget.NewLabel(p.AccountID)),
		widget.NewFormItem("Account base", wrapped(p.BaseURL)),
		widget.NewFormItem("Application key", widget.NewLabel(p.ConsumerKey)),
		widget.NewFormItem("Access token", s.token),
		widget.NewFormItem("Token secret", wrapped("kept in "+orUnknown(p.SecretLocation)+"; never shown")),
		widget.NewFormItem("Profile file", wrapped(orUnknown(firstOf(p.ProfileFile, d.opts.ConfigDir)))),
		widget.NewFormItem("Authorized", widget.NewLabel(created)),
	)
	providerDetails(details, p)
	options := widget.NewForm(
		widget.NewFormItem("Credentials in", s.placement),
		widget.NewFormItem("Format", s.format),
		widget.NewFormItem("Theme", s.theme),
	)
	access := container.NewVBox(
		para("Sign out forgets this account on this computer (the keyring item and the profile); the grant stays valid on the server. "+
			"Revoke access also asks the server to cancel the grant."),
		container.NewHBox(s.signOut, s.revoke),
	)
	s.content = container.NewBorder(
		container.NewHBox(back, heading("Settings")), s.status, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewGridWithColumns(2,
			container.NewVBox(section("Profile", details)),
			container.NewVBox(section("Requests and appearance", options), section("Access", access)),
		))))
	return s
}

// radio is a row of options of which exactly one is chosen.
func radio(options []string, selected string, changed func(string)) *widget.RadioGroup {
	r := widget.NewRadioGroup(options, changed)
	r.Horizontal, r.Required = true, true
	r.SetSelected(selected)
	return r
}

// section is a titled group of settings.
func section(title string, content fyne.CanvasObject) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.SizeName = theme.SizeNameSubHeadingText
	return framed(container.NewVBox(t, content), theme.Color(theme.ColorNameInputBackground))
}

func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapBreak
	return l
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// formBody is the placement choice of credentials in a form body.
const formBody = "Form body"

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// apply saves the request options to the profile.
func (s *settingsView) apply() {
	if s.loading {
		return
	}
	set := Settings{Placement: apiclient.PlaceHeader, Format: wire.JSON}
	switch s.placement.Selected {
	case "Query parameters":
		set.Placement = apiclient.PlaceQuery
	case formBody:
		set.Placement = apiclient.PlaceForm
	}
	if s.format.Selected == "XML" {
		set.Format = wire.XML
	}
	s.status.Busy("Saving settings…")
	s.d.bg(func(ctx context.Context) func() {
		p, err := s.d.be.SetSettings(ctx, set)
		return func() {
			if err != nil {
				s.status.Fail("Could not save the settings: "+describe(err), s.apply)
				return
			}
			s.d.profile = p
			s.status.Info("Saved.")
			s.d.emit(evSettingsSaved)
		}
	})
}

func (s *settingsView) confirmSignOut() {
	p := s.d.profile
	s.d.confirm("Sign out", fmt.Sprintf("Forget account %s on this computer? The profile %q and its keyring item are deleted. "+
		"The grant stays valid on the server: revoke it in the admin console if it should end.", p.AccountID, p.Name),
		"Sign out", s.doSignOut)
}

func (s *settingsView) doSignOut() {
	p := s.d.profile
	s.status.Busy("Signing out…")
	s.d.bg(func(ctx context.Context) func() {
		err := s.d.be.SignOut(ctx)
		return func() {
			if err != nil {
				s.status.Fail("Could not sign out: "+describe(err), s.doSignOut)
				return
			}
			s.d.emit(evSignedOut)
			s.d.profileRemoved(p)
		}
	})
}

func (s *settingsView) confirmRevoke() {
	p := s.d.profile
	s.d.confirm("Revoke access", fmt.Sprintf("lpdesk will ask %s to revoke its access token for account %s. "+
		"After that the token stops working on the server for everyone using it, and lpdesk deletes the keyring item and the profile %q here. "+
		"To use the account again an administrator must authorize lpdesk again.", p.Server, p.AccountID, p.Name),
		"Revoke access", s.doRevoke)
}

func (s *settingsView) doRevoke() {
	p := s.d.profile
	s.status.Busy("Revoking access…")
	s.d.bg(func(ctx context.Context) func() {
		res, err := s.d.be.Revoke(ctx)
		return func() {
			if err != nil {
				s.status.Fail("Could not revoke: "+describe(err), s.doRevoke)
				return
			}
			msg := "The server revoked the token; the profile and its keyring item are deleted."
			if !res.ServerRevoked {
				msg = "The profile and its keyring item are deleted, but the server did not confirm the revocation."
			}
			if res.Detail != "" {
				msg += " " + res.Detail
			}
			s.d.emit(evAccessRevoked)
			s.d.profileRemoved(p)
			s.d.showNotice("Access revoked", msg)
		}
	})
}
