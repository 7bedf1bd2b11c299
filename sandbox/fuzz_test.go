package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
)

// Fuzz targets for the sandbox's request handling. Seeds live in
// testdata/fuzz/<target>/.

// fuzzServer is one sandbox per fuzz worker process, replaced every
// fuzzServerUses requests so that records and tokens created by fuzzed
// requests cannot pile up.
var fuzzServer struct {
	mu   sync.Mutex
	srv  *Server
	uses int
}

const fuzzServerUses = 500

func sharedServer(t *testing.T) *Server {
	fuzzServer.mu.Lock()
	defer fuzzServer.mu.Unlock()
	if fuzzServer.srv == nil || fuzzServer.uses >= fuzzServerUses {
		cfg := DemoConfig()
		cfg.SeedRecords = 8
		cfg.AllowUnsigned = true // so fuzzed appKey calls reach the resources
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		fuzzServer.srv, fuzzServer.uses = s, 0
	}
	fuzzServer.uses++
	return fuzzServer.srv
}

// FuzzServeHTTP sends an arbitrary request through the whole handler: the
// router, OAuth endpoints, console, format negotiation, version check,
// credentials, method override and body parsing. It must never panic
// (ServeHTTP turns a panic into a 500) or answer 5xx, and every refusal of
// an API path must be the platform's error body in a format it names.
func FuzzServeHTTP(f *testing.F) {
	f.Fuzz(func(t *testing.T, method, path, rawQuery, authorization, contentType, accept, override string, body []byte) {
		s := sharedServer(t)
		r := &http.Request{
			Method:     method,
			URL:        &url.URL{Path: path, RawQuery: rawQuery},
			Host:       "127.0.0.1:8088",
			Header:     http.Header{},
			Body:       io.NopCloser(bytes.NewReader(body)),
			RemoteAddr: "127.0.0.1:5555",
			Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		}
		for k, v := range map[string]string{"Authorization": authorization, "Content-Type": contentType,
			"Accept": accept, "X-HTTP-Method-Override": override} {
			if v != "" {
				r.Header.Set(k, v)
			}
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code >= 500 || w.Code < 100 {
			t.Fatalf("%s %s?%s: status %d\n%s", method, path, rawQuery, w.Code, w.Body.Bytes())
		}
		if strings.HasPrefix(path, "/api/") && w.Code >= 400 {
			f, ok := wire.FormatOf(w.Header().Get("Content-Type"))
			we, parsed := wire.ParseError(w.Body.Bytes())
			if !ok || !parsed || we.InternalCode == 0 || we.Message == "" {
				t.Fatalf("%s %s?%s: %d without an error body (%s, %v): %q", method, path, rawQuery, w.Code, f, ok, w.Body.Bytes())
			}
		}
	})
}

// signedRequest builds a request signed with the installed demo token: query
// parameters in the URL, form parameters in a form body when post, the
// OAuth parameters in the header or the query.
func signedRequest(t *testing.T, cr creds, method, path string, query, form []oauthsig.Param, inQuery bool) (*http.Request, []byte) {
	t.Helper()
	u := &url.URL{Scheme: "http", Host: "127.0.0.1:8088", Path: path, RawQuery: encodeParams(query)}
	var body []byte
	if len(form) > 0 {
		body = []byte(encodeParams(form))
	}
	proto := []oauthsig.Param{
		{Key: "oauth_consumer_key", Value: cr.key},
		{Key: "oauth_nonce", Value: oauthsig.Nonce()},
		{Key: "oauth_signature_method", Value: string(oauthsig.HMACSHA1)},
		{Key: "oauth_timestamp", Value: oauthsig.Timestamp(time.Now())},
		{Key: "oauth_token", Value: cr.token},
		{Key: "oauth_version", Value: "1.0"},
	}
	r := &http.Request{Method: method, URL: u, Host: u.Host, Header: http.Header{}}
	if body != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if inQuery {
		u.RawQuery = joinRaw(u.RawQuery, encodeParams(proto))
		base, err := oauthsig.BaseString(method, u, form, nil)
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := oauthsig.Sign(oauthsig.HMACSHA1, cr.secret, cr.tokenSecret, base)
		u.RawQuery = joinRaw(u.RawQuery, "oauth_signature="+oauthsig.PercentEncode(sig))
	} else {
		base, err := oauthsig.BaseString(method, u, form, proto)
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := oauthsig.Sign(oauthsig.HMACSHA1, cr.secret, cr.tokenSecret, base)
		r.Header.Set("Authorization", oauthsig.Header(append(proto, oauthsig.Param{Key: "oauth_signature", Value: sig})))
	}
	return r, body
}

func encodeParams(ps []oauthsig.Param) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = oauthsig.PercentEncode(p.Key) + "=" + oauthsig.PercentEncode(p.Value)
	}
	return strings.Join(parts, "&")
}

func joinRaw(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "&" + b
}

// plainParams parses raw into parameters, leaving out oauth_* names (which
// would be protocol parameters in another placement) and capping the count.
func plainParams(raw string) []oauthsig.Param {
	ps, err := oauthsig.ParseForm(raw)
	if err != nil {
		return nil
	}
	ps = slices.DeleteFunc(ps, func(p oauthsig.Param) bool { return strings.HasPrefix(p.Key, "oauth_") })
	if len(ps) > 32 {
		ps = ps[:32]
	}
	return ps
}

var (
	fuzzCredsOnce sync.Once
	fuzzSigServer *Server
	fuzzCreds     creds
)

// FuzzVerifySignature signs a request over a random parameter set (query,
// form body, header or query placement, GET or POST) and checks that the
// sandbox's verifier accepts it, and that one change after signing — a
// value, an added or dropped parameter, the method, the path or the host —
// is refused as a bad signature.
func FuzzVerifySignature(f *testing.F) {
	f.Fuzz(func(t *testing.T, rawQuery, rawForm string, inQuery, post bool, mutation uint8) {
		fuzzCredsOnce.Do(func() {
			cfg := DemoConfig()
			cfg.SeedRecords = 8
			s, err := New(cfg)
			if err != nil {
				panic(err)
			}
			tok, sec, err := s.InstallApp(assets.DemoConsumerKey)
			if err != nil {
				panic(err)
			}
			fuzzSigServer = s
			fuzzCreds = demoCreds()
			fuzzCreds.token, fuzzCreds.tokenSecret = tok, sec
		})
		s := fuzzSigServer
		query, form := plainParams(rawQuery), plainParams(rawForm)
		method := http.MethodGet
		if post {
			method = http.MethodPost
		} else {
			form = nil
		}
		path := s.AccountPath() + "/skills"

		r, body := signedRequest(t, fuzzCreds, method, path, query, form, inQuery)
		if _, e := s.verify(r, body, accessTokKnd); e != nil {
			t.Fatalf("a correctly signed request was refused: %v (%s)\nquery %q form %q", e, e.Reason, query, form)
		}

		r, body = signedRequest(t, fuzzCreds, method, path, query, form, inQuery)
		what := mutate(r, &body, mutation)
		_, e := s.verify(r, body, accessTokKnd)
		if e == nil || e.Code != wire.CodeBadSignature || e.Status != http.StatusUnauthorized {
			t.Fatalf("after %s the request was not refused as a bad signature: %v\nquery %q form %q", what, e, query, form)
		}
	})
}

// mutate changes one thing the signature covers, after signing.
func mutate(r *http.Request, body *[]byte, m uint8) string {
	appendPair := func(raw string) string { return joinRaw(raw, "fuzz-added=1") }
	switch m % 7 {
	case 0: // a query value
		ps, _ := oauthsig.ParseForm(r.URL.RawQuery)
		for i, p := range ps {
			if !strings.HasPrefix(p.Key, "oauth_") {
				ps[i].Value += "x"
				r.URL.RawQuery = encodeParams(ps)
				return "changing query value " + p.Key
			}
		}
		r.URL.RawQuery = appendPair(r.URL.RawQuery)
		return "adding a query parameter"
	case 1: // a form value
		if len(*body) > 0 {
			ps, _ := oauthsig.ParseForm(string(*body))
			ps[0].Value += "x"
			*body = []byte(encodeParams(ps))
			return "changing form value " + ps[0].Key
		}
		r.URL.RawQuery = appendPair(r.URL.RawQuery)
		return "adding a query parameter"
	case 2:
		r.URL.RawQuery = appendPair(r.URL.RawQuery)
		return "adding a query parameter"
	case 3: // drop a parameter
		ps, _ := oauthsig.ParseForm(r.URL.RawQuery)
		for i, p := range ps {
			if !strings.HasPrefix(p.Key, "oauth_") {
				r.URL.RawQuery = encodeParams(slices.Delete(ps, i, i+1))
				return "dropping query parameter " + p.Key
			}
		}
		if len(*body) > 0 {
			ps, _ := oauthsig.ParseForm(string(*body))
			*body = []byte(encodeParams(ps[1:]))
			if len(*body) == 0 {
				r.Header.Del("Content-Type")
			}
			return "dropping form parameter " + ps[0].Key
		}
		r.URL.RawQuery = appendPair(r.URL.RawQuery)
		return "adding a query parameter"
	case 4:
		if r.Method == http.MethodGet {
			r.Method = http.MethodPost
		} else {
			r.Method = http.MethodGet
		}
		return "changing the method"
	case 5:
		r.URL.Path += "x"
		return "changing the path"
	default:
		r.Host = "127.0.0.1:8089"
		return "changing the host"
	}
}
