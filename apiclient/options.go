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
type Auth = Option[authWords]

// The authentication modes the platform accepts.
const (
	AuthOAuth  Auth = iota + 1 // OAuth 1.0a signature (default)
	AuthAppKey                 // unsigned: "LivePerson appKey=KEY" or appKey=KEY
	AuthNone                   // nothing added
)

// ParseAuth reads "oauth", "appkey" or "none"; "" is the unset Auth.
func ParseAuth(s string) (Auth, error) { return parseOption[authWords](s) }

// Placement selects where credentials travel.
type Placement = Option[placementWords]

// The credential placements of RFC 5849 §3.5. The platform prefers the
// header and allows the query "where headers can't be used"; other
// providers may want the form body.
const (
	PlaceHeader Placement = iota + 1 // Authorization header (default)
	PlaceQuery                       // oauth_* or appKey query parameters
	PlaceForm                        // oauth_* in a form-encoded body (§3.5.2)
)

// ParsePlacement reads "header", "query" or "form"; "" is the unset Placement.
func ParsePlacement(s string) (Placement, error) { return parseOption[placementWords](s) }

// FormatBy selects how the response format is requested.
type FormatBy = Option[formatByWords]

// The two ways to ask for a format. An extension wins over Accept on the
// server, and is case-sensitive there.
const (
	ByAccept    FormatBy = iota + 1 // Accept: application/json|xml (default)
	ByExtension                     // .json/.xml on the last path segment
)

// ParseFormatBy reads "accept" or "extension"; "" is the unset FormatBy.
func ParseFormatBy(s string) (FormatBy, error) { return parseOption[formatByWords](s) }

// Dialect selects the conventions on top of OAuth 1.0a a provider follows.
type Dialect = Option[dialectWords]

// The dialects. The LivePerson-style platform's conventions (v=1 on every
// request, PUT and DELETE as POST with X-HTTP-Method-Override, the format by
// Accept or extension, services found by the Domain API) belong to it alone;
// any other OAuth 1.0a provider gets requests as they are written.
const (
	DialectLivePerson Dialect = iota + 1 // the platform's REST conventions (default)
	DialectGeneric                       // plain REST: no v=1, real methods, no discovery
)

// ParseDialect reads "liveperson" or "generic"; "" is the unset Dialect.
func ParseDialect(s string) (Dialect, error) { return parseOption[dialectWords](s) }

// Option is a value of the option whose words W lists: 1 for the first
// word, and so on; 0 is unset.
type Option[W words] uint8

// words names an option's values; index 0, the unset value, is "".
type words interface {
	option() string
	list() []string
}

type authWords struct{}

func (authWords) option() string { return "auth" }
func (authWords) list() []string { return authList }

var authList = []string{"", "oauth", "appkey", "none"}

type placementWords struct{}

func (placementWords) option() string { return "placement" }
func (placementWords) list() []string { return placementList }

var placementList = []string{"", "header", "query", "form"}

type dialectWords struct{}

func (dialectWords) option() string { return "dialect" }
func (dialectWords) list() []string { return dialectList }

var dialectList = []string{"", "liveperson", "generic"}

type formatByWords struct{}

func (formatByWords) option() string { return "format selection" }
func (formatByWords) list() []string { return formatByList }

var formatByList = []string{"", "accept", "extension"}

// parseOption is exact: the words are lower case, as the profile file and
// the flags have always spelled them.
func parseOption[W words](s string) (Option[W], error) {
	var w W
	all := w.list()
	for i, n := range all {
		if s == n {
			return Option[W](i), nil
		}
	}
	return 0, fmt.Errorf("unknown %s %q (want %s or %s)", w.option(), s, strings.Join(all[1:len(all)-1], ", "), all[len(all)-1])
}

// String is the option's word, "" when unset.
func (o Option[W]) String() string {
	var w W
	if all := w.list(); int(o) < len(all) {
		return all[o]
	}
	return fmt.Sprintf("%s(%d)", w.option(), uint8(o))
}

// MarshalText writes the word; a value outside the option's words is an
// error.
func (o Option[W]) MarshalText() ([]byte, error) {
	var w W
	if all := w.list(); int(o) < len(all) {
		return []byte(all[o]), nil
	}
	return nil, fmt.Errorf("invalid %s %d", w.option(), uint8(o))
}

// UnmarshalText reads a word as the option's Parse function does.
func (o *Option[W]) UnmarshalText(b []byte) error {
	v, err := parseOption[W](string(b))
	if err == nil {
		*o = v
	}
	return err
}
