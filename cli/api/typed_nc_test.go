//go:build sandbox_nc

// Issue 12's acceptance line, `lpdesk api 'chat/availability?skill=Sales and
// Support&NC=true'`. The sandbox on this branch still refuses NC (400,
// internalCode 44); after merging platform-sandbox, run
//
//	go test -tags sandbox_nc -run NC ./apiclient/ ./cli/api/
//
// and once it passes, delete the build constraint above.

package api

import (
	"strings"
	"testing"
)

func TestTypedQueryWithNC(t *testing.T) {
	h := newHarness(t)
	out, errOut, err := h.run(t, "", false, "chat/availability?skill=Sales and Support&NC=true")
	if err != nil || !strings.Contains(out, `"availability"`) {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
}
