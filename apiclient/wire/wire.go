// Package wire holds the platform's message shapes that both the client and
// the sandbox speak: response formats, the error body, and link extraction.
// Like oauthsig it does no I/O.
package wire

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"mime"
	"strconv"
	"strings"
)

// Format is a representation the platform serves: JSON or XML.
type Format string

// The two formats the platform supports.
const (
	JSON Format = "json"
	XML  Format = "xml"
)

// ContentType is the media type of f.
func (f Format) ContentType() string {
	if f == XML {
		return "application/xml"
	}
	return "application/json"
}

// Ext is the case-sensitive path extension that selects f (".json", ".xml").
func (f Format) Ext() string { return "." + string(f) }

// ParseFormat accepts "json" or "xml" (lower case, as the platform does).
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case JSON, XML:
		return Format(s), nil
	}
	return "", fmt.Errorf("unknown format %q (want json or xml)", s)
}

// MarshalText writes f's name, "" for the unset Format.
func (f Format) MarshalText() ([]byte, error) {
	if f != "" {
		if _, err := ParseFormat(string(f)); err != nil {
			return nil, err
		}
	}
	return []byte(f), nil
}

// UnmarshalText reads a name with ParseFormat; "" is the unset Format (the
// client's default), so flags and profile files may leave it out.
func (f *Format) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*f = ""
		return nil
	}
	v, err := ParseFormat(string(b))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// FormatOf maps a Content-Type header to a format; ok is false for anything
// that is neither JSON nor XML. "+json"/"+xml" suffixes and text/xml count.
func FormatOf(contentType string) (f Format, ok bool) {
	// The forms servers send, answered without parsing (ParseMediaType
	// allocates a map for the parameters on every response).
	switch contentType {
	case "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8", "application/json; charset=UTF-8":
		return JSON, true
	case "application/xml", "application/xml; charset=utf-8", "application/xml; charset=UTF-8", "text/xml; charset=utf-8", "text/xml":
		return XML, true
	}
	return formatOfParsed(contentType)
}

func formatOfParsed(contentType string) (f Format, ok bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", false
	}
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return JSON, true
	case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
		return XML, true
	}
	return "", false
}

// Error is the platform's error body:
// <error><time/><message/><reason/><internalCode/></error> or
// {"error":{"time":…,"message":…,"reason":…,"internalCode":…}}.
type Error struct {
	XMLName      xml.Name `xml:"error" json:"-"`
	Time         string   `xml:"time" json:"time"`
	Message      string   `xml:"message" json:"message"`
	Reason       string   `xml:"reason" json:"reason"`
	InternalCode int      `xml:"internalCode" json:"internalCode"`
}

// Marshal renders e in format f.
func (e Error) Marshal(f Format) []byte {
	if f == XML {
		b, _ := xml.Marshal(e)
		return append([]byte(xml.Header), b...)
	}
	b, _ := json.Marshal(struct {
		Error Error `json:"error"`
	}{e})
	return b
}

// ParseError reads an error body in either format, whichever it turns out to
// be. internalCode is accepted as a number or a numeric string because the
// platform's JSON often carried numbers as strings. ok is false when body
// holds no recognisable error.
func ParseError(body []byte) (e Error, ok bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return Error{}, false
	}
	if trimmed[0] == '<' {
		var x struct {
			XMLName      xml.Name `xml:"error"`
			Time         string   `xml:"time"`
			Message      string   `xml:"message"`
			Reason       string   `xml:"reason"`
			InternalCode string   `xml:"internalCode"`
		}
		if err := xml.Unmarshal(trimmed, &x); err != nil {
			return Error{}, false
		}
		return Error{Time: x.Time, Message: x.Message, Reason: x.Reason, InternalCode: codeOf(x.InternalCode)}, true
	}
	var j struct {
		Error *struct {
			Time         any    `json:"time"`
			Message      string `json:"message"`
			Reason       string `json:"reason"`
			InternalCode any    `json:"internalCode"`
		} `json:"error"`
	}
	// Numbers as json.Number: a float64 would round codes past 2^53 (found
	// by FuzzParseError) and refuse ones past its range.
	d := json.NewDecoder(bytes.NewReader(trimmed))
	d.UseNumber()
	if err := d.Decode(&j); err != nil || j.Error == nil || d.InputOffset() != int64(len(trimmed)) {
		return Error{}, false
	}
	e = Error{Message: j.Error.Message, Reason: j.Error.Reason}
	e.Time = scalarString(j.Error.Time)
	e.InternalCode = codeOf(scalarString(j.Error.InternalCode))
	return e, true
}

// codeOf reads an internal code written as an integer ("42", " 42 ") or an
// integral number ("42.0", "4.2e1"); anything else is 0.
func codeOf(s string) int {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) && f >= -1<<53 && f <= 1<<53 {
		return int(f)
	}
	return 0
}

func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
