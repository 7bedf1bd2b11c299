package agent

import "fmt"

// Availability is an agent session's chat state, as Set Agent Availability
// takes it (case-sensitive).
type Availability string

// The documented states. Offline is a new session's; an agent chooses
// among the other three.
const (
	Online   Availability = "Online"   // receives new chat requests
	Occupied Availability = "Occupied" // receives transferred chats only
	Away     Availability = "Away"     // receives none
	Offline  Availability = "Offline"
)

// Choices are the states an agent picks from, in the order to offer them.
var Choices = []Availability{Online, Occupied, Away}

// Describe says what the state means for incoming chats.
func (a Availability) Describe() string {
	switch a {
	case Online:
		return "new chat requests ring"
	case Occupied:
		return "only transferred chats ring"
	case Away:
		return "no chat requests ring"
	case Offline:
		return "not yet available"
	}
	return ""
}

// ParseAvailability accepts one of the documented states exactly.
func ParseAvailability(s string) (Availability, error) {
	for _, a := range []Availability{Online, Occupied, Away, Offline} {
		if string(a) == s {
			return a, nil
		}
	}
	return "", fmt.Errorf("availability %q is not Online, Occupied, Away or Offline", s)
}
