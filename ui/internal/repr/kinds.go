package repr

import (
	"regexp"
	"strings"
	"unicode"
)

// Kind is what a field holds, and so how it is edited.
type Kind int

const (
	// Text is free text.
	Text Kind = iota
	// Number is an integer or decimal, whether the JSON wrote it as a
	// number or (as the platform often does) as a string.
	Number
	// Bool is true or false.
	Bool
	// Choice is one of a known set of values (Field.Choices).
	Choice
	// List is a wrapped list of scalars, {"skillIds":{"skillId":["1","2"]}}
	// or <skillIds><skillId>1</skillId>…</skillIds>, edited as values
	// separated by commas.
	List
	// Nested is a structure deeper than a list (or repeated elements): it
	// is shown as it was written, read-only, and kept as it is.
	Nested
)

func (k Kind) String() string {
	switch k {
	case Number:
		return "number"
	case Bool:
		return "true/false"
	case Choice:
		return "choice"
	case List:
		return "list"
	case Nested:
		return "nested"
	}
	return "text"
}

// Role says why a field is special.
type Role int

const (
	// Plain is an ordinary field.
	Plain Role = iota
	// Identity is the member's id attribute; it cannot be changed.
	Identity
	// Revision is the member's revision attribute, sent back as If-Match
	// by the server's ETag; it cannot be changed.
	Revision
)

// enumerations are the allowed values the platform's documentation lists,
// keyed by "member/field" or by field alone.
var enumerations = map[string][]string{
	// Chat Agent API, Set Agent Availability: "Online", "Away", "Occupied".
	"availability/chat": {"Online", "Away", "Occupied"},
	// Account configuration users (the sandbox's permissions).
	"user/permission": {"Agent", "AgentManager", "Administrator"},
}

// knownLists name the item element of wrapped lists, for when a member has
// none to show it (<skillIds/> is otherwise empty text).
var knownLists = map[string]string{
	"skillIds": "skillId",
}

// choicesFor are the allowed values of field in member, or nil.
func choicesFor(member, field string) []string {
	if c, ok := enumerations[member+"/"+field]; ok {
		return c
	}
	return enumerations[field]
}

var numberRe = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// isNumber reports whether s is written as a number (no leading zeros, so
// that codes like "007" stay text).
func isNumber(s string) bool { return numberRe.MatchString(s) }

func isBool(s string) bool { return s == "true" || s == "false" }

// inferKind types a scalar from how it was written and what it holds.
func inferKind(k ValueKind, text string) Kind {
	switch {
	case k == KindNumber:
		return Number
	case k == KindBool:
		return Bool
	case k == KindString && isBool(text):
		return Bool
	case k == KindString && isNumber(text):
		return Number
	}
	return Text
}

// label turns a key into words for people: "maxWaitTime" → "Max wait
// time", "@id" → "ID", "skillIds" → "Skill IDs".
func label(key string) string {
	key = strings.TrimPrefix(key, "@")
	var words []string
	var cur []rune
	rs := []rune(key)
	for i, r := range rs {
		split := i > 0 && unicode.IsUpper(r) && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1])))
		if r == '_' || r == '-' || split {
			if len(cur) > 0 {
				words = append(words, string(cur))
			}
			cur = nil
			if r == '_' || r == '-' {
				continue
			}
		}
		cur = append(cur, r)
	}
	if len(cur) > 0 {
		words = append(words, string(cur))
	}
	for i, w := range words {
		switch strings.ToLower(w) {
		case "id":
			words[i] = "ID"
			continue
		case "ids":
			words[i] = "IDs"
			continue
		case "url":
			words[i] = "URL"
			continue
		}
		if i == 0 {
			r := []rune(w)
			words[i] = string(unicode.ToUpper(r[0])) + strings.ToLower(string(r[1:]))
		} else if strings.ToUpper(w) != w || len(w) == 1 {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

// singular guesses a member's name from its collection's: skills → skill,
// entries → entry.
func singular(name string) string {
	switch {
	case strings.HasSuffix(name, "ies") && len(name) > 3:
		return name[:len(name)-3] + "y"
	case strings.HasSuffix(name, "sses"):
		return name[:len(name)-2]
	case strings.HasSuffix(name, "s") && len(name) > 1:
		return name[:len(name)-1]
	}
	return name
}
