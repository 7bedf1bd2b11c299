// Issue 12's acceptance line, `lpdesk api 'chat/availability?skill=Sales and
// Support&NC=true'`, against the real sandbox.

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
