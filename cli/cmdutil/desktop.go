package cmdutil

import "github.com/lpdesk/lpdesk/store"

// Desktop is the window side of lpdesk, injected by the main package so that
// cli stays free of Fyne (and of cgo) and its tests run anywhere.
type Desktop struct {
	// HasDisplay reports whether a window can open here.
	HasDisplay func() bool
	// Run opens the app on the user's profiles, opening the store with
	// openStore (which honours --keyring-timeout); it returns when the
	// window closes. Nil in a build without a window.
	Run func(openStore func() (*store.Store, error)) error
	// Demo opens the app on the demo sandbox. Nil in a build without a
	// window.
	Demo func(DemoInfo) error
}

// DemoInfo is what the window needs to run the demo. It is declared here
// rather than in cli/demo because the Factory carries the Desktop and every
// command package imports cmdutil; demo.Info is an alias.
type DemoInfo struct {
	Server, AccountID, ConsoleURL, AdminUser, AdminPassword string
	// Store is the demo's own store (temporary config dir; OS keyring or,
	// where none answers, memory).
	Store *store.Store
	// KeyringNote is non-empty when the secret is kept in memory only.
	KeyringNote string
}
