// The NC=true cases of issue 12 against the real sandbox: every documented
// Server Chat and Chat Agent URL ends in ?v=1&NC=true.

package apiclient_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
)

func TestTypedPathsWithNCAgainstSandbox(t *testing.T) {
	var log wireLog
	e := newEnv(t, nil, log.wrap)
	ctx := context.Background()
	for _, pl := range []apiclient.Placement{apiclient.PlaceHeader, apiclient.PlaceQuery} {
		c := e.client(t, func(c *apiclient.Config) { c.Placement = pl })
		for _, tc := range typedCases {
			typed := tc.typed + "&NC=true"
			resp, err := c.Do(ctx, &apiclient.Request{Path: apiclient.EncodeTypedURL(typed)})
			if err != nil {
				t.Errorf("%s %q: %v", pl, typed, err)
				continue
			}
			_, query, _ := strings.Cut(log.last(), "?")
			ps, err := oauthsig.ParseForm(query)
			if err != nil || ps[0].Value != tc.skill || ps[1] != (oauthsig.Param{Key: "NC", Value: "true"}) {
				t.Errorf("%s %q: the server reads %v (%v)", pl, typed, ps, err)
			}
			if resp.Status != http.StatusOK || !strings.Contains(string(resp.Body), "availability") {
				t.Errorf("%s %q: %d %s", pl, typed, resp.Status, resp.Body)
			}
		}
	}
}
