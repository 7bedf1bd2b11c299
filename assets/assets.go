// Package assets embeds the application icon and the application credentials
// (OAuth consumer key and secret) that the binary signs with.
//
// The platform allows an installed application to embed its consumer secret
// (see the seed's "Why Sign API Requests?"). The defaults are the sandbox's
// demo application; a release build sets its own with
//
//	go build -ldflags "-X github.com/lpdesk/lpdesk/assets.ConsumerKey=KEY -X github.com/lpdesk/lpdesk/assets.ConsumerSecret=SECRET" .
//
// and a developer can point one binary at another provider with the
// LPDESK_CONSUMER_KEY / LPDESK_CONSUMER_SECRET environment variables.
package assets

import (
	_ "embed"
	"os"
)

// Demo application registered in every sandbox. Not a real secret: it only
// opens the local sandbox.
const (
	DemoConsumerKey    = "lpdesk-demo-app"
	DemoConsumerSecret = "demo-consumer-secret-not-for-production"
	DemoAppName        = "lpdesk (demo)"
)

// ConsumerKey and ConsumerSecret are variables, not constants, so that
// -ldflags -X can replace them at build time.
var (
	ConsumerKey    = DemoConsumerKey
	ConsumerSecret = DemoConsumerSecret
)

// Icon is the application icon (PNG, 256×256).
//
//go:embed icon.png
var Icon []byte

// Consumer returns the consumer key and secret to sign with: the environment
// overrides (both must be set) or the build's embedded pair.
func Consumer() (key, secret string) {
	k, s := os.Getenv("LPDESK_CONSUMER_KEY"), os.Getenv("LPDESK_CONSUMER_SECRET")
	if k != "" && s != "" {
		return k, s
	}
	return ConsumerKey, ConsumerSecret
}
