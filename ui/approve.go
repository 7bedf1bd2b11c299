//go:build lpdesk_testdrivers

package ui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// approve posts the console's approval for the request token in authURL.
// With a loopback callback the console redirects to it and the client
// follows, delivering the verifier to the wizard; with oob the verifier
// comes back in the text body and is returned.
func approve(ctx context.Context, authURL string, demo DemoInfo) (string, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return "", err
	}
	token := u.Query().Get("oauth_token")
	u.RawQuery = ""
	form := url.Values{"oauth_token": {token}, "decision": {"approve"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/plain")
	req.SetBasicAuth(demo.AdminUser, demo.AdminPassword)
	hc := &http.Client{Timeout: 30 * time.Second}
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("status %d", resp.StatusCode)
	}
	if v, ok := strings.CutPrefix(strings.TrimSpace(string(body)), "oauth_verifier="); ok {
		return v, nil
	}
	return "", nil
}
