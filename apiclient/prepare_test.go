package apiclient

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestFormatSelection(t *testing.T) {
	var rec recorder
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		if strings.HasSuffix(r.URL.Path, ".xml") || r.Header.Get("Accept") == "application/xml" {
			w.Header().Set("Content-Type", "application/xml")
			w.Write([]byte(`<a><link rel="self" href="http://x/a"/></a>`))
			return
		}
		okJSON(w, `{"a":{"link":{"@rel":"self","@href":"http://x/a"}}}`)
	})
	ctx := context.Background()
	c := newTestClient(t, srv.URL, nil)
	resp, err := c.Get(ctx, "chat/availability", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); s.Header.Get("Accept") != "application/json" || s.Path != "/api/account/12345678/chat/availability" {
		t.Errorf("accept json: %q %q", s.Header.Get("Accept"), s.Path)
	}
	if resp.Format != wire.JSON || len(resp.Links()) != 1 || resp.Links()[0] != (wire.Link{Rel: "self", Href: "http://x/a"}) {
		t.Errorf("json response: %+v", resp)
	}
	resp, err = c.Do(ctx, &Request{Path: "chat/availability", Format: wire.XML})
	if err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); s.Header.Get("Accept") != "application/xml" || resp.Format != wire.XML || len(resp.Links()) != 1 {
		t.Errorf("accept xml: %q %+v", s.Header.Get("Accept"), resp)
	}

	c = newTestClient(t, srv.URL, func(c *Config) { c.FormatBy = ByExtension; c.Format = wire.XML })
	for path, want := range map[string]string{
		"chat/availability":      "/api/account/12345678/chat/availability.xml",
		"chat/availability.xml":  "/api/account/12345678/chat/availability.xml",
		"chat/availability.json": "/api/account/12345678/chat/availability.json",
		"":                       "/api/account/12345678.xml",
		srv.URL + "/other/x?y=1": "/other/x.xml",
	} {
		resp, err := c.Get(ctx, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := rec.last(t)
		if s.Path != want || s.Header.Get("Accept") != "" || s.SigErr != nil {
			t.Errorf("extension %q: path %q accept %q sig %v", path, s.Path, s.Header.Get("Accept"), s.SigErr)
		}
		if !strings.Contains(resp.URL, want) || strings.Contains(resp.URL, "oauth_") {
			t.Errorf("Response.URL %q", resp.URL)
		}
	}
}
