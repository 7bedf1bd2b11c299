// Package locale fixes up the process's locale environment before Fyne reads
// it. Fyne's translations parse the locale named by LC_ALL/LC_MESSAGES/LANG;
// Debian's default "C.UTF-8" is not a language tag, so every lpdesk command,
// even `lpdesk help`, would print "Fyne error: Error parsing user locale C".
// Setting LANGUAGE (which only gettext-style message lookup reads) to "en"
// for such locales keeps LANG untouched for everything else.
//
// It must be imported (for its side effect) by the main package: Go
// initialises it before golang.org/x/text, and so before Fyne's lang package
// that depends on it.
package locale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	loc := ""
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = os.Getenv(env); loc != "" {
			break
		}
	}
	if strings.HasPrefix(loc, "C.") || strings.HasPrefix(loc, "POSIX.") {
		os.Setenv("LANGUAGE", "en")
	}
}
