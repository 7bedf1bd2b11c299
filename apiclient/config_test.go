package apiclient

import (
	"context"
	"strings"
	"testing"
)

func TestNewValidation(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no base":      {Credentials: testCreds},
		"relative":     {BaseURL: "/api/account/1", Credentials: testCreds},
		"bad sig":      {BaseURL: "http://127.0.0.1", SignatureMethod: "PLAINTEXT"},
		"ftp base URL": {BaseURL: "ftp://127.0.0.1/x"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c, err := New(Config{BaseURL: "http://127.0.0.1/api/account/1/", Auth: AuthOAuth})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "http://127.0.0.1/api/account/1" {
		t.Errorf("BaseURL %q", c.BaseURL())
	}
	if _, err := c.Get(context.Background(), "x", nil); err == nil || !strings.Contains(err.Error(), "consumer key") {
		t.Errorf("oauth without credentials: %v", err)
	}
	if _, err := c.Do(context.Background(), &Request{Method: "PATCH", Path: "x", Auth: AuthNone}); err == nil {
		t.Error("PATCH accepted")
	}
}
