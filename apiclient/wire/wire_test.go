package wire

import "testing"

func TestErrorRoundTrip(t *testing.T) {
	in := Error{Time: "2012-03-12T06:24:15", Message: "Missing version parameter", Reason: "v is required <&>", InternalCode: 12}
	for _, f := range []Format{JSON, XML} {
		got, ok := ParseError(in.Marshal(f))
		if !ok || got.Message != in.Message || got.Reason != in.Reason || got.InternalCode != 12 || got.Time != in.Time {
			t.Errorf("%s: got %+v ok=%v", f, got, ok)
		}
	}
}

func TestParseErrorStringCode(t *testing.T) {
	e, ok := ParseError([]byte(`{"error":{"time":"t","message":"m","reason":"r","internalCode":"34"}}`))
	if !ok || e.InternalCode != 34 {
		t.Fatalf("got %+v %v", e, ok)
	}
	if _, ok := ParseError([]byte(`{"account":{}}`)); ok {
		t.Fatal("non-error accepted")
	}
	if _, ok := ParseError([]byte(`<html>oops</html>`)); ok {
		t.Fatal("html accepted")
	}
}

func TestFormatOf(t *testing.T) {
	for ct, want := range map[string]Format{"application/json; charset=utf-8": JSON, "text/xml": XML, "application/atom+xml": XML} {
		if f, ok := FormatOf(ct); !ok || f != want {
			t.Errorf("%s: %v %v", ct, f, ok)
		}
	}
	if _, ok := FormatOf("text/plain"); ok {
		t.Error("text/plain accepted")
	}
}

// TestFormatOfFastPath: the Content-Types FormatOf answers without parsing
// get what parsing them gives.
func TestFormatOfFastPath(t *testing.T) {
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
		"application/json; charset=UTF-8", "application/xml", "application/xml; charset=utf-8", "application/xml; charset=UTF-8",
		"text/xml; charset=utf-8", "text/xml"} {
		f, ok := FormatOf(ct)
		pf, pok := formatOfParsed(ct)
		if f != pf || ok != pok || !ok {
			t.Errorf("%q: fast %q %v, parsed %q %v", ct, f, ok, pf, pok)
		}
	}
}
