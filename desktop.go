package main

import "github.com/lpdesk/lpdesk/cli"

// desktop returns the window side of the binary (see ui/).
func desktop() *cli.Desktop {
	return nil
}
