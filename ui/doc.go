// Package ui is lpdesk's desktop window: the onboarding wizard, the resource
// browser and editor, and settings. It only arranges widgets and calls the
// core through the Backend interface; it holds no protocol logic.
package ui

import (
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/test"
	_ "fyne.io/fyne/v2/widget"
)
