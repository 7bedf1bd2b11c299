package widget

import (
	"errors"
	"regexp"
)

var (
	numberText   = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)
	errNotNumber = errors.New("not a number")
)

// isNumberText reports whether s is a number as the platform writes one.
func isNumberText(s string) bool { return numberText.MatchString(s) }
