package onboarding

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/lpdesk/lpdesk/store"
)

func TestOpenClientErrors(t *testing.T) {
	sb := startSandbox(t, nil)
	st := newStore(t)
	if _, _, err := OpenClient(context.Background(), st, ""); !errors.Is(err, store.ErrProfileNotFound) {
		t.Fatalf("no profiles: %v", err)
	}
	install(t, sb, st)
	_ = keyring.Delete(store.Service, "work")
	if _, _, err := OpenClient(context.Background(), st, "work"); !errors.Is(err, store.ErrNotFound) ||
		!strings.Contains(err.Error(), "lpdesk auth login") {
		t.Fatalf("missing secret: %v", err)
	}
	t.Setenv("LPDESK_CONSUMER_KEY", "other-app")
	t.Setenv("LPDESK_CONSUMER_SECRET", "other-secret")
	if _, _, err := OpenClient(context.Background(), st, "work"); err == nil || !strings.Contains(err.Error(), "other-app") {
		t.Fatalf("consumer mismatch: %v", err)
	}
}
