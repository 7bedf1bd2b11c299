package onboarding

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
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

// fuzzTrade stands in for the provider's access-token answer in
// FuzzCallback: only fuzzGoodVerifier is accepted; "gone…" finds the
// request token dead, "boom…" fails with a provider answer that holds
// markup, anything else is refused.
const fuzzGoodVerifier = "v1"

func fuzzTrade(_ context.Context, v string) (string, string, error) {
	switch {
	case v == fuzzGoodVerifier:
		return "at", "as", nil
	case strings.HasPrefix(v, "gone"):
		return "", "", fmt.Errorf("access token: %w", ErrRequestTokenExpired)
	case strings.HasPrefix(v, "boom"):
		return "", "", errors.New("access token: provider answered 500: <script>alert(1)</script>")
	}
	return "", "", fmt.Errorf("access token: %w", ErrBadVerifier)
}

// FuzzCallback sends an arbitrary request to the loopback callback handler:
// it never panics, answers 5xx only for a failed exchange, never echoes
// markup, and says "authorized" (and delivers a result) only for a GET of
// /callback that carries this flow's request token and a verifier the
// provider accepted. A refused verifier and a denial are noticed, never
// delivered.
func FuzzCallback(f *testing.F) {
	f.Fuzz(func(t *testing.T, method, path, rawQuery, reqToken string) {
		if reqToken == "" {
			return // providers always issue one (dghubble/oauth1 refuses an empty token)
		}
		fl := &Flow{reqToken: reqToken, results: make(chan CallbackResult, 1), notices: make(chan Notice, noticeBuffer),
			closed: make(chan struct{}), trade: fuzzTrade}
		r := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: rawQuery}, Header: http.Header{},
			Host: "127.0.0.1:4242", RemoteAddr: "127.0.0.1:5555"}
		w := httptest.NewRecorder()
		fl.serveCallback(w, r)
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed,
			http.StatusConflict, http.StatusGone, http.StatusBadGateway:
		default:
			t.Fatalf("%s %s?%s: status %d", method, path, rawQuery, w.Code)
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("headers %v", w.Header())
		}
		if strings.Contains(w.Body.String(), "<script") {
			t.Fatalf("page echoes markup: %q", w.Body.String())
		}
		// A request token the provider no longer knows (410) ends the flow
		// from a goroutine, after the page is out: wait for that delivery
		// instead of racing it.
		if w.Code == http.StatusGone {
			select {
			case got := <-fl.results:
				if !errors.Is(got.Err, ErrRequestTokenExpired) {
					t.Fatalf("%s %s?%s: page 410, flow ended with %+v", method, path, rawQuery, got)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s %s?%s: page 410 but the flow did not end", method, path, rawQuery)
			}
		}
		var res *CallbackResult
		select {
		case got := <-fl.results:
			res = &got
		default:
		}
		var note *Notice
		select {
		case got := <-fl.notices:
			note = &got
		default:
		}
		q := r.URL.Query()
		_, denied := q["denied"]
		routed := path == "/callback" && (method == http.MethodGet || method == http.MethodHead)
		ours := denied && q.Get("denied") == reqToken || !denied && q.Get("oauth_token") == reqToken
		v := q.Get("oauth_verifier")
		accepted := routed && ours && !denied && v == fuzzGoodVerifier
		authorized := strings.Contains(w.Body.String(), "is authorized")
		if authorized != accepted || (res != nil) != accepted {
			t.Fatalf("%s %s?%s: page %d authorized=%v, delivered %+v", method, path, rawQuery, w.Code, authorized, res)
		}
		if res != nil && (res.Err != nil || res.Verifier != v || w.Code != http.StatusOK) {
			t.Fatalf("query %q delivered %+v with status %d", rawQuery, res, w.Code)
		}
		switch {
		case !routed || !ours:
			if note != nil {
				t.Fatalf("%s %s?%s noticed %v", method, path, rawQuery, note)
			}
		case denied:
			if note == nil || note.Kind != NoticeDenial {
				t.Fatalf("denial %q noticed %v", rawQuery, note)
			}
		case v != "" && v != fuzzGoodVerifier && !strings.HasPrefix(v, "gone"):
			want := NoticeVerifierRefused
			if strings.HasPrefix(v, "boom") {
				want = NoticeExchangeFailed
			}
			if note == nil || note.Kind != want {
				t.Fatalf("verifier %q noticed %v", v, note)
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
