package onboarding

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode"
)

// Fuzz targets for what onboarding parses from people and from the
// provider's redirect. Seeds live in testdata/fuzz/<target>/.

func stripDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, s)
}

// parseCodeMessages are ParseCode's possible errors with digits removed:
// none of them can carry any of the input, which holds a secret.
var parseCodeMessages = map[string]bool{}

func init() {
	for _, m := range []string{"empty code", "found  ';'-separated parts, want ", "the token or the secret is empty",
		"the code contains spaces or control characters inside"} {
		parseCodeMessages[stripDigits(m+": "+ErrBadCode.Error())] = true
	}
}

func badCodePart(s string) bool {
	return s == "" || strings.ContainsRune(s, ';') ||
		strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0
}

// FuzzParseCode: ParseCode never panics; its errors wrap ErrBadCode and
// never repeat the input; what it accepts is two clean parts that parse
// back to themselves; and a clean token;secret is always accepted.
func FuzzParseCode(f *testing.F) {
	f.Fuzz(func(t *testing.T, code string) {
		tok, sec, err := ParseCode(code)
		if err != nil {
			if !errors.Is(err, ErrBadCode) || !parseCodeMessages[stripDigits(err.Error())] {
				t.Fatalf("ParseCode(%q): unexpected error text %q", code, err)
			}
			if tok != "" || sec != "" {
				t.Fatalf("ParseCode(%q) failed but returned parts", code)
			}
			return
		}
		if badCodePart(tok) || badCodePart(sec) {
			t.Fatalf("ParseCode(%q) = %q, %q: a part is empty or unclean", code, tok, sec)
		}
		if !strings.Contains(code, tok) || !strings.Contains(code, sec) {
			t.Fatalf("ParseCode(%q) = %q, %q: not taken from the input", code, tok, sec)
		}
		t2, s2, err := ParseCode(" \n" + tok + " ; " + sec + "\r\n")
		if err != nil || t2 != tok || s2 != sec {
			t.Fatalf("re-parse of %q;%q = %q;%q, %v", tok, sec, t2, s2, err)
		}
	})
}

// FuzzNormalizeVerifier: never panics; a verifier pasted as
// "oauth_verifier=V" or inside a whole callback URL comes back as V,
// whatever V holds; a bare code comes back trimmed.
func FuzzNormalizeVerifier(f *testing.F) {
	f.Fuzz(func(t *testing.T, v string) {
		got := NormalizeVerifier(v)
		if !strings.Contains(v, "oauth_verifier=") && got != strings.TrimSpace(v) {
			t.Fatalf("bare %q → %q", v, got)
		}
		esc := url.QueryEscape(v)
		for _, pasted := range []string{
			"oauth_verifier=" + esc,
			"  http://127.0.0.1:4242/callback?oauth_token=abc&oauth_verifier=" + esc + "&x=1\n",
			"http://127.0.0.1:4242/callback?oauth_verifier=" + esc + "#frag",
		} {
			if got := NormalizeVerifier(pasted); got != v {
				t.Fatalf("NormalizeVerifier(%q) = %q, want %q", pasted, got, v)
			}
		}
	})
}

// FuzzCallback sends an arbitrary request to the loopback callback handler:
// it never panics or answers 5xx, and it delivers a result only for a GET
// of /callback that carries this flow's request token — a verifier exactly
// as sent, or ErrDenied.
func FuzzCallback(f *testing.F) {
	f.Fuzz(func(t *testing.T, method, path, rawQuery, reqToken string) {
		if reqToken == "" {
			return // providers always issue one (dghubble/oauth1 refuses an empty token)
		}
		fl := &Flow{reqToken: reqToken, results: make(chan CallbackResult, 1), closed: make(chan struct{})}
		r := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: rawQuery}, Header: http.Header{},
			Host: "127.0.0.1:4242", RemoteAddr: "127.0.0.1:5555"}
		w := httptest.NewRecorder()
		fl.serveCallback(w, r)
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed:
		default:
			t.Fatalf("%s %s?%s: status %d", method, path, rawQuery, w.Code)
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("headers %v", w.Header())
		}
		var res *CallbackResult
		select {
		case got := <-fl.results:
			res = &got
		default:
		}
		q := r.URL.Query()
		_, denied := q["denied"]
		routed := path == "/callback" && (method == http.MethodGet || method == http.MethodHead)
		switch {
		case res == nil:
			if w.Code == http.StatusOK {
				t.Fatalf("200 without a delivered result: %s %s?%s", method, path, rawQuery)
			}
		case !routed:
			t.Fatalf("delivered for %s %s", method, path)
		case denied:
			if q.Get("denied") != reqToken || !errors.Is(res.Err, ErrDenied) || w.Code != http.StatusOK {
				t.Fatalf("denial %q delivered %+v", rawQuery, res)
			}
		default:
			if q.Get("oauth_token") != reqToken || res.Err != nil || res.Verifier == "" || res.Verifier != q.Get("oauth_verifier") {
				t.Fatalf("query %q delivered %+v", rawQuery, res)
			}
		}
		// A second answer is never delivered on top of the first.
		if res != nil {
			fl.serveCallback(httptest.NewRecorder(), r)
			select {
			case extra := <-fl.results:
				t.Fatalf("second delivery %+v", extra)
			default:
			}
		}
	})
}
