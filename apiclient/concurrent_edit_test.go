package apiclient_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Two instances edit the same resource: both read revision 1, the first
// update wins, the second (still sending If-Match of revision 1) gets a 412
// that PreconditionFailed tells apart, and nothing of its edit is applied.
// Reading again and retrying with the new ETag then succeeds.
func TestTwoClientsEditSameResource(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	a, b := e.client(t, nil), e.client(t, nil)
	created, err := a.Create(ctx, "skills", skillDoc(wire.JSON, "Shared", "v1"), wire.JSON)
	if err != nil {
		t.Fatal(err)
	}
	loc := created.Header.Get("Location")
	ra, err := a.Get(ctx, loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.Get(ctx, loc, nil)
	if err != nil || ra.ETag != rb.ETag || ra.ETag == "" {
		t.Fatalf("ETags %q %q: %v", ra.ETag, rb.ETag, err)
	}
	if _, err := a.Update(ctx, loc, skillDoc(wire.JSON, "Shared", "from A"), wire.JSON, ra.ETag); err != nil {
		t.Fatalf("first update: %v", err)
	}
	resp, err := b.Update(ctx, loc, skillDoc(wire.JSON, "Shared", "from B"), wire.JSON, rb.ETag)
	var ae *apiclient.APIError
	if !errors.As(err, &ae) || !ae.PreconditionFailed() || ae.Status != http.StatusPreconditionFailed ||
		ae.InternalCode != wire.CodePreconditionFailed || resp == nil || resp.Status != http.StatusPreconditionFailed {
		t.Fatalf("stale update: %v", err)
	}
	if ae.AccessRevoked() || ae.BadSignature() {
		t.Error("a 412 classified as an auth failure")
	}
	now, err := b.Get(ctx, loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, desc := skillFields(t, now); desc != "from A" {
		t.Fatalf("after the refused update: %q", desc)
	}
	if _, err := b.Update(ctx, loc, skillDoc(wire.JSON, "Shared", "from B"), wire.JSON, now.ETag); err != nil {
		t.Fatalf("retry with the fresh ETag: %v", err)
	}
	// The same for a delete with a stale ETag.
	_, err = a.Delete(ctx, loc, ra.ETag)
	if !errors.As(err, &ae) || !ae.PreconditionFailed() {
		t.Fatalf("stale delete: %v", err)
	}
	if (&apiclient.APIError{Status: 409, InternalCode: wire.CodeConflict}).PreconditionFailed() {
		t.Error("409 reported as a failed precondition")
	}
}
