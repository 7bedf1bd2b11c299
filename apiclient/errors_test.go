package apiclient

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/internal/testutil"
)

func TestAPIErrors(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/json"):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			w.Write([]byte(`{"error":{"time":"t","message":"Token revoked","reason":"the admin revoked it","internalCode":"33"}}`))
		case strings.HasSuffix(r.URL.Path, "/xml"):
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(401)
			w.Write(wire.Error{Message: "Bad signature", Reason: "base string was GET&http%3A%2F%2Fx\nline two", InternalCode: wire.CodeBadSignature}.Marshal(wire.XML))
		case strings.HasSuffix(r.URL.Path, "/html"):
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(404)
			w.Write([]byte("<html>nope</html>"))
		}
	})
	logs := &testutil.SyncBuffer{}
	c := newTestClient(t, srv.URL, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c.Placement = PlaceQuery
	})
	ctx := context.Background()

	resp, err := c.Get(ctx, "json", nil)
	var ae *APIError
	if !errors.As(err, &ae) || resp == nil || resp.Status != 401 || string(resp.Body) != string(ae.Body) {
		t.Fatalf("json: %v %+v", err, resp)
	}
	if !ae.AccessRevoked() || !errors.Is(err, ErrAccessRevoked) || ae.BadSignature() || ae.Message != "Token revoked" || ae.Reason != "the admin revoked it" {
		t.Errorf("json error %+v", ae)
	}

	_, err = c.Get(ctx, "xml", nil)
	if !errors.As(err, &ae) || ae.AccessRevoked() || errors.Is(err, ErrAccessRevoked) || !ae.BadSignature() || ae.InternalCode != wire.CodeBadSignature {
		t.Fatalf("xml: %v", err)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "base string was GET&http%3A%2F%2Fx line two") || !strings.Contains(msg, "401") {
		t.Errorf("error line %q", msg)
	}

	resp, err = c.Get(ctx, "html", nil)
	if !errors.As(err, &ae) || ae.Status != 404 || ae.Message != "Not Found (text/html, 17 bytes)" || resp.Format != "" {
		t.Fatalf("html: %v %+v", err, ae)
	}

	for _, secret := range []string{testCreds.ConsumerSecret, testCreds.TokenSecret, "oauth_signature", "oauth_nonce"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log holds %q:\n%s", secret, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "status=401") {
		t.Errorf("nothing logged:\n%s", logs.String())
	}
}
