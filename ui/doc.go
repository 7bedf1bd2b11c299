// Package ui is lpdesk's desktop window (Fyne): the onboarding wizard, the
// resource browser and editor, and settings with sign-out and revocation.
//
// It only arranges widgets and calls the core through the Backend
// interface (NewBackend adapts onboarding, apiclient and store); it holds
// no protocol logic. Every Backend call runs off the UI goroutine, with
// progress on screen, and its result is brought back with fyne.Do.
package ui
