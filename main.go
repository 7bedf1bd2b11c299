// Command lpdesk is a desktop client for a LivePerson-style REST platform,
// with a command line and a local sandbox server over the same core.
package main

import (
	"os"

	"github.com/lpdesk/lpdesk/cli"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	_ "github.com/lpdesk/lpdesk/internal/locale" // before Fyne reads the locale
)

func main() {
	releaseOwnConsole(os.Args[1:])
	os.Exit(cli.Main(os.Args[1:], cmdutil.System(), desktop()))
}
