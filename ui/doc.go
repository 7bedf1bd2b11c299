// Package ui is lpdesk's desktop window (Fyne): the onboarding wizard, the
// resource browser (a collection as a table, a member as a form, the text
// and tree of any body one click away) and editor (form or text), and
// settings with sign-out and revocation. The window fits a 1024×640 screen
// and remembers its size and place per profile (geometry.go).
//
// It only arranges widgets and calls the core through the Backend
// interface (NewBackend adapts onboarding, apiclient and store); it holds
// no protocol logic. Every Backend call runs off the UI goroutine, with
// progress on screen, and its result is brought back with fyne.Do.
//
// The desk (desk.go) is the window's controller; each screen is a type
// over it (wizard and its pages, browser, editor, settingsView). The
// widgets the screens are built from live in ui/internal/widget and know
// nothing of the desk: they take callbacks. What is Fyne-free lives beside
// them: ui/internal/repr reads representations as rows and fields and
// writes a member back round-trip safe, ui/internal/opener opens the
// browser and reports failure, ui/internal/placement reads and sets the
// window's position. Milestones of the window are typed events
// (events.go) that tests follow.
package ui
