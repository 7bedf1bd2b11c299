//go:build lpdesk_testdrivers

package ui

import (
	"context"

	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
)

// approve posts the console's approval for the request token in authURL,
// as the demo's administrator. With a loopback callback the console
// redirects to it and the client follows, delivering the verifier to the
// wizard; with oob the verifier comes back and is returned.
func approve(ctx context.Context, authURL string, demo DemoInfo) (string, error) {
	return consoleclient.Admin{User: demo.AdminUser, Password: demo.AdminPassword}.Approve(ctx, authURL)
}

// approveWizard approves the wizard's pending authorization off the UI
// goroutine, then hands the verifier (oob only) and error to then on it.
func (d *desk) approveWizard(then func(verifier string, err error)) {
	authURL := d.wiz.auth.AuthorizeURL()
	demo := *d.opts.Demo
	d.bg(func(ctx context.Context) func() {
		verifier, err := approve(ctx, authURL, demo)
		return func() { then(verifier, err) }
	})
}
