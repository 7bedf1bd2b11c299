package shared

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// PrintServices lists the service hosts the Domain API named at login, one
// line each under the profile's base URL, so a person can see where
// agentSession/… or chat/… requests will go. Nothing is printed for a
// profile that recorded none (all requests go to the base URL).
func PrintServices(w io.Writer, services map[string]string) {
	names := make([]string, 0, len(services))
	for n := range services {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		label := "services:"
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(w, "%-14s%s %s\n", label, n, strings.TrimSuffix(services[n], "/"))
	}
}
