package apiclient

import (
	"fmt"
)

// Auth selects how requests prove who sends them.
type Auth string

// The authentication modes the platform accepts.
const (
	AuthOAuth  Auth = "oauth"  // OAuth 1.0a signature (default)
	AuthAppKey Auth = "appkey" // unsigned: "LivePerson appKey=KEY" or appKey=KEY
	AuthNone   Auth = "none"   // nothing added
)

// Placement selects where credentials travel.
type Placement string

// The two credential placements. The platform prefers the header and allows
// the query "where headers can't be used".
const (
	PlaceHeader Placement = "header" // Authorization header (default)
	PlaceQuery  Placement = "query"  // oauth_* or appKey query parameters
)

// FormatBy selects how the response format is requested.
type FormatBy string

// The two ways to ask for a format. An extension wins over Accept on the
// server, and is case-sensitive there.
const (
	ByAccept    FormatBy = "accept"    // Accept: application/json|xml (default)
	ByExtension FormatBy = "extension" // .json/.xml on the last path segment
)

func checkAuth(a Auth) error {
	switch a {
	case AuthOAuth, AuthAppKey, AuthNone:
		return nil
	}
	return fmt.Errorf("apiclient: unknown auth %q (want oauth, appkey or none)", a)
}

func checkPlacement(p Placement) error {
	switch p {
	case PlaceHeader, PlaceQuery:
		return nil
	}
	return fmt.Errorf("apiclient: unknown placement %q (want header or query)", p)
}

func checkFormatBy(b FormatBy) error {
	switch b {
	case ByAccept, ByExtension:
		return nil
	}
	return fmt.Errorf("apiclient: unknown format selection %q (want accept or extension)", b)
}
