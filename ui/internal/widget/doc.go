// Package widget holds lpdesk's own Fyne widgets: the entry that hands the
// window's shortcuts on, the progress-and-error strip, the body view
// (virtualised coloured text, search, and a collapsible tree), the record
// table (sortable, filterable, virtualised, paged as it is scrolled) and
// the form (a field per value, typed inputs, links as buttons).
//
// The widgets know nothing of the window or the app: what they need from
// it — running work off the UI goroutine, moving the focus, the window's
// shortcuts, fetching more rows, following a link, being told when
// something is on screen — comes in as callbacks, so each can be built and
// tested alone.
package widget
