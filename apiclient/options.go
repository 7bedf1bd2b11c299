package apiclient

import (
	"fmt"
	"strings"
)

// The request options a person or a profile file names in words. Each is
// read by its one Parse function (also its UnmarshalText, so flags and
// store.Profile parse through it); everything past that boundary carries
// the type and never checks it again. The zero value of each is "unset":
// the Client's setting in a Request, the documented default in a Config,
// and absent from a profile file.

// Auth selects how requests prove who sends them.
type Auth uint8

// The authentication modes the platform accepts.
const (
	AuthOAuth  Auth = iota + 1 // OAuth 1.0a signature (default)
	AuthAppKey                 // unsigned: "LivePerson appKey=KEY" or appKey=KEY
	AuthNone                   // nothing added
)

var authNames = optionNames{"auth", []string{"", "oauth", "appkey", "none"}}

// ParseAuth reads "oauth", "appkey" or "none"; "" is the unset Auth.
func ParseAuth(s string) (Auth, error) {
	n, err := authNames.parse(s)
	return Auth(n), err
}

func (a Auth) String() string                { return authNames.name(uint8(a)) }
func (a Auth) MarshalText() ([]byte, error)  { return authNames.marshal(uint8(a)) }
func (a *Auth) UnmarshalText(b []byte) error { return authNames.unmarshal((*uint8)(a), b) }

// Placement selects where credentials travel.
type Placement uint8

// The two credential placements. The platform prefers the header and allows
// the query "where headers can't be used".
const (
	PlaceHeader Placement = iota + 1 // Authorization header (default)
	PlaceQuery                       // oauth_* or appKey query parameters
)

var placementNames = optionNames{"placement", []string{"", "header", "query"}}

// ParsePlacement reads "header" or "query"; "" is the unset Placement.
func ParsePlacement(s string) (Placement, error) {
	n, err := placementNames.parse(s)
	return Placement(n), err
}

func (p Placement) String() string                { return placementNames.name(uint8(p)) }
func (p Placement) MarshalText() ([]byte, error)  { return placementNames.marshal(uint8(p)) }
func (p *Placement) UnmarshalText(b []byte) error { return placementNames.unmarshal((*uint8)(p), b) }

// FormatBy selects how the response format is requested.
type FormatBy uint8

// The two ways to ask for a format. An extension wins over Accept on the
// server, and is case-sensitive there.
const (
	ByAccept    FormatBy = iota + 1 // Accept: application/json|xml (default)
	ByExtension                     // .json/.xml on the last path segment
)

var formatByNames = optionNames{"format selection", []string{"", "accept", "extension"}}

// ParseFormatBy reads "accept" or "extension"; "" is the unset FormatBy.
func ParseFormatBy(s string) (FormatBy, error) {
	n, err := formatByNames.parse(s)
	return FormatBy(n), err
}

func (b FormatBy) String() string                { return formatByNames.name(uint8(b)) }
func (b FormatBy) MarshalText() ([]byte, error)  { return formatByNames.marshal(uint8(b)) }
func (b *FormatBy) UnmarshalText(t []byte) error { return formatByNames.unmarshal((*uint8)(b), t) }

// optionNames are the words of one option, indexed by value; index 0, the
// unset value, is "".
type optionNames struct {
	what  string
	names []string
}

// parse is exact: the words are lower case, as the profile file and the
// flags have always spelled them.
func (o optionNames) parse(s string) (uint8, error) {
	for i, n := range o.names {
		if s == n {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("unknown %s %q (want %s)", o.what, s, o.want())
}

func (o optionNames) name(v uint8) string {
	if int(v) < len(o.names) {
		return o.names[v]
	}
	return fmt.Sprintf("%s(%d)", o.what, v)
}

func (o optionNames) marshal(v uint8) ([]byte, error) {
	if int(v) >= len(o.names) {
		return nil, fmt.Errorf("invalid %s %d", o.what, v)
	}
	return []byte(o.names[v]), nil
}

func (o optionNames) unmarshal(v *uint8, b []byte) error {
	n, err := o.parse(string(b))
	if err != nil {
		return err
	}
	*v = n
	return nil
}

// want lists the words for an error message: "a, b or c".
func (o optionNames) want() string {
	w := o.names[1:]
	if len(w) == 1 {
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " or " + w[len(w)-1]
}
