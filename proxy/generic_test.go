package proxy

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
)

// A profile of another OAuth 1.0a provider goes through the proxy as it
// goes through `lpdesk api`: PATCH is forwarded, every method leaves as
// itself and no v=1 is added (the sandbox's echo resource says what it
// verified).
func TestGenericProviderThroughTheProxy(t *testing.T) {
	e := newEnv(t, "")
	tok, tsecret, err := e.sb.InstallApp("proxy-test-app")
	if err != nil {
		t.Fatal(err)
	}
	key, csecret := "proxy-test-app", e.secrets[0]
	e.secrets = append(e.secrets, tsecret)
	c, err := apiclient.New(apiclient.Config{
		BaseURL:     e.platform.URL + "/api/echo",
		Dialect:     apiclient.DialectGeneric,
		Credentials: apiclient.Credentials{ConsumerKey: key, ConsumerSecret: csecret, Token: tok, TokenSecret: tsecret},
		MaxRetries:  -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Config{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	defer srv.Close()

	for _, method := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		var body io.Reader
		if method == http.MethodPatch {
			body = strings.NewReader(`{"name":"x"}`)
		}
		req, _ := http.NewRequest(method, srv.URL+"/things/1?tag=a&tag=b", body)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", method, resp.StatusCode, raw)
		}
		var echo struct {
			Method string      `json:"method"`
			Path   string      `json:"path"`
			Query  [][2]string `json:"query"`
			Body   string      `json:"body"`
		}
		if err := json.Unmarshal(raw, &echo); err != nil {
			t.Fatalf("%s: %v: %s", method, err, raw)
		}
		if echo.Method != method || echo.Path != "/api/echo/things/1" {
			t.Errorf("%s arrived as %s %s", method, echo.Method, echo.Path)
		}
		if len(echo.Query) != 2 || echo.Query[0] != [2]string{"tag", "a"} || echo.Query[1] != [2]string{"tag", "b"} {
			t.Errorf("%s: query %v, want tag=a&tag=b and nothing else (no v=1)", method, echo.Query)
		}
		if method == http.MethodPatch && echo.Body != `{"name":"x"}` {
			t.Errorf("PATCH body %q", echo.Body)
		}
	}

	// The platform's own profile still refuses PATCH, naming what it takes.
	req, _ := http.NewRequest(http.MethodPatch, e.proxy.URL+"/skills/1", strings.NewReader(`{}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, POST, PUT, DELETE" {
		t.Errorf("PATCH on the platform's profile: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}
