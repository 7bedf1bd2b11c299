package cli

import "github.com/spf13/cobra"

// cobra's "mousetrap" makes a program started from Explorer print "This is a
// command line tool…" and exit after 5 s. lpdesk with no command is the
// desktop app, and the Start menu and a double-click start it through
// Explorer: the window must open.
func init() { cobra.MousetrapHelpText = "" }
