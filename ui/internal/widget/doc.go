// Package widget holds lpdesk's own Fyne widgets: the entry that hands the
// window's shortcuts on, the progress-and-error strip, and the body view
// (virtualised coloured text, search, and a collapsible tree).
//
// The widgets know nothing of the window or the app: what they need from
// it — running work off the UI goroutine, moving the focus, the window's
// shortcuts, being told when something is on screen — comes in as
// callbacks, so each can be built and tested alone.
package widget
