package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// themeChoice is the appearance chosen in Settings, kept in the app's
// preferences under themePreference.
type themeChoice string

const (
	themeSystem themeChoice = "system" // follow the desktop's light or dark
	themeLight  themeChoice = "light"
	themeDark   themeChoice = "dark"

	themePreference = "theme"
)

// applyTheme switches between the system's, the light and the dark theme;
// anything else counts as the system's.
func (d *desk) applyTheme(c themeChoice) {
	var t fyne.Theme = theme.DefaultTheme()
	switch c {
	case themeLight:
		t = variantTheme{Theme: theme.DefaultTheme(), v: theme.VariantLight}
	case themeDark:
		t = variantTheme{Theme: theme.DefaultTheme(), v: theme.VariantDark}
	default:
		c = themeSystem
	}
	d.app.Preferences().SetString(themePreference, string(c))
	d.app.Settings().SetTheme(t)
}

func (d *desk) themeChoice() themeChoice {
	return themeChoice(d.app.Preferences().StringWithFallback(themePreference, string(themeSystem)))
}

// label is the choice as Settings shows it; a label lower-cased is the
// choice.
func (c themeChoice) label() string {
	switch c {
	case themeLight:
		return "Light"
	case themeDark:
		return "Dark"
	}
	return "System"
}

// variantTheme forces the light or dark variant of a theme.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

// Color ignores the system's variant in favour of the chosen one.
func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}
