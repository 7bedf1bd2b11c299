package cli

import (
	"testing"

	"github.com/spf13/cobra"
)

// Started from the Start menu (through explorer.exe), lpdesk opens its
// window instead of cobra's "This is a command line tool" notice; under
// Wine, scripts/wine-screenshot.sh starts lpdesk.exe from Explorer.
func TestStartedFromExplorerIsNotTrapped(t *testing.T) {
	if cobra.MousetrapHelpText != "" {
		t.Fatalf("cobra's mousetrap is on: started from Explorer, lpdesk.exe would print %q and exit", cobra.MousetrapHelpText)
	}
}
