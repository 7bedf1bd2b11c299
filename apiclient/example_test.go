package apiclient_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The README's five-line example, kept compiling here.
func ExampleClient() {
	ctx := context.Background()
	baseURL := "http://127.0.0.1:8088/api/account/12345678"
	creds := apiclient.Credentials{ConsumerKey: "key", ConsumerSecret: "secret", Token: "token", TokenSecret: "token secret"}
	body := []byte(`{"skill":{"name":"Support"}}`)

	c, err := apiclient.New(apiclient.Config{BaseURL: baseURL, Credentials: creds})
	if err != nil {
		return
	}
	resp, err := c.Get(ctx, "skills/7", nil)
	if err != nil {
		return
	}
	resp, err = c.Update(ctx, "skills/7", body, wire.JSON, resp.ETag)
	if errors.Is(err, apiclient.ErrAccessRevoked) {
		return // authorize the application again
	}
	fmt.Println(resp.Status, resp.Links(), err)
}
