package ui

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/lpdesk/lpdesk/apiclient/jsonscan"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// bodyError is a syntax error in an edited body, positioned for people.
type bodyError struct {
	Line, Col int
	Msg       string
}

func (e *bodyError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// validateBody checks that body is one well-formed JSON value or XML
// document before it is sent, so the user sees where the mistake is instead
// of a server error.
func validateBody(body []byte, f wire.Format) *bodyError {
	if len(bytes.TrimSpace(body)) == 0 {
		return &bodyError{Line: 1, Col: 1, Msg: "the body is empty"}
	}
	switch f {
	case wire.XML:
		return validateXML(body)
	default:
		return validateJSON(body)
	}
}

func validateJSON(body []byte) *bodyError {
	dec := json.NewDecoder(bytes.NewReader(body))
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			off := int(se.Offset) - 1
			if off < 0 {
				off = 0
			}
			return positioned(body, off, se.Error())
		case errors.Is(err, io.ErrUnexpectedEOF):
			return positioned(body, len(body), "unexpected end of the body (a bracket or quote is not closed)")
		default:
			return positioned(body, int(dec.InputOffset()), err.Error())
		}
	}
	off := int(dec.InputOffset())
	for off < len(body) && (body[off] == ' ' || body[off] == '\n' || body[off] == '\t' || body[off] == '\r') {
		off++
	}
	if off < len(body) {
		return positioned(body, off, "unexpected text after the JSON value")
	}
	return nil
}

// positioned places msg at a byte offset, as a line and a column in
// characters.
func positioned(body []byte, off int, msg string) *bodyError {
	line, col := jsonscan.Position(body, off)
	return &bodyError{Line: line, Col: col, Msg: msg}
}

func validateXML(body []byte) *bodyError {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, col := d.InputPos()
			msg := err.Error()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				msg = se.Msg
			}
			return &bodyError{Line: line, Col: col, Msg: msg}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots > 1 {
					line, col := d.InputPos()
					return &bodyError{Line: line, Col: col, Msg: fmt.Sprintf("a second root element <%s>; an XML body has exactly one", t.Name.Local)}
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				line, col := d.InputPos()
				return &bodyError{Line: line, Col: col, Msg: "text outside the root element"}
			}
		}
	}
	if roots == 0 {
		line, col := d.InputPos()
		return &bodyError{Line: line, Col: col, Msg: "no root element"}
	}
	return nil
}
