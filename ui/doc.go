// Package ui is lpdesk's desktop window (Fyne): the onboarding wizard, the
// resource browser and editor, and settings with sign-out and revocation.
//
// It only arranges widgets and calls the core through the Backend
// interface (NewBackend adapts onboarding, apiclient and store); it holds
// no protocol logic. Every Backend call runs off the UI goroutine, with
// progress on screen, and its result is brought back with fyne.Do.
//
// The desk (desk.go) is the window's controller; each screen is a type
// over it (wizard and its pages, browser, editor, settingsView). The
// widgets the screens are built from live in ui/internal/widget and know
// nothing of the desk: they take callbacks. Milestones of the window are
// typed events (events.go) that tests follow.
package ui
