package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/dghubble/oauth1"
	"github.com/lpdesk/lpdesk/apiclient"
)

// OverheadPath is the resource the client-overhead figure fetches: one
// small record, so that what is measured is the cost around a request
// rather than the size of its body.
const OverheadPath = "skills/1"

// LoadPaths are the GETs the sandbox load cycles through: the account base,
// a skill, a user and an answer computed per request.
var LoadPaths = []string{"", "skills/1", "users/200", "chat/availability"}

// OursGet is figure 2's "ours": a signed apiclient GET of path, one
// client shared by every worker (as the UI shares one).
func OursGet(c *apiclient.Client, path string) func(ctx context.Context, worker int) error {
	return func(ctx context.Context, _ int) error {
		_, err := c.Get(ctx, path, nil)
		return err
	}
}

// RawGet is figure 2's baseline: a plain net/http GET of the same URL
// (v=1, Accept: application/json) with the unsigned
// "Authorization: LivePerson appKey=KEY" and nothing else; the body is read
// to the end, as the client reads it.
func RawGet(hc *http.Client, t Target, path string) func(ctx context.Context, worker int) error {
	url := resourceURL(t, path)
	auth := "LivePerson appKey=" + t.Credentials.ConsumerKey
	return func(ctx context.Context, _ int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", auth)
		return Send(hc, req)
	}
}

// DghubbleGet is a diagnostic baseline: net/http with dghubble/oauth1's
// Transport signing the same GET, so the server does the same
// verification work as for ours and only the client side differs.
func DghubbleGet(base http.RoundTripper, t Target, path string) func(ctx context.Context, worker int) error {
	cfg := oauth1.NewConfig(t.Credentials.ConsumerKey, t.Credentials.ConsumerSecret)
	ctx := context.WithValue(context.Background(), oauth1.HTTPClient, &http.Client{Transport: base})
	hc := cfg.Client(ctx, oauth1.NewToken(t.Credentials.Token, t.Credentials.TokenSecret))
	url := resourceURL(t, path)
	return func(ctx context.Context, _ int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept", "application/json")
		return Send(hc, req)
	}
}

func resourceURL(t Target, path string) string {
	u := strings.TrimSuffix(t.BaseURL, "/")
	if path != "" {
		u += "/" + path
	}
	return u + "?v=1"
}

// Send does req and reads the answer to its end, as a client that uses it
// would; anything but 200 is an error.
func Send(hc *http.Client, req *http.Request) error {
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", req.URL.Path, resp.Status)
	}
	return nil
}

// SandboxLoad is figure 5's request: worker w uses its own client (one
// desktop each) and cycles through LoadPaths.
func SandboxLoad(clients []*apiclient.Client) func(ctx context.Context, worker int) error {
	next := make([]int, len(clients))
	return func(ctx context.Context, w int) error {
		p := LoadPaths[next[w]%len(LoadPaths)]
		next[w]++
		_, err := clients[w].Get(ctx, p, nil)
		return err
	}
}
