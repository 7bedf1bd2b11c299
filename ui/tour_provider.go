//go:build lpdesk_testdrivers

package ui

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"fyne.io/fyne/v2"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
)

// The tour's other OAuth 1.0a providers and signature inspector: the
// provider picker, a custom provider's form, an RSA provider's form, the
// four values, then the browser's Signature section after Copy as curl, and
// a 401 with lpdesk's base string beside the answer. They come last, after
// the agent workspace, since the 401 is the demo's token revoked.
func providerTourSteps(out io.Writer) []tourStep {
	onPage := func(d *desk) bool { return d.view == viewWizard && d.wiz != nil && d.wiz.page == pageProvider }
	closePicker := func(d *desk) {
		if o := d.win.Canvas().Overlays().Top(); o != nil {
			o.Hide()
		}
	}
	choose := func(d *desk, id string) *providerPage {
		p := d.wiz.providerPage
		for i, pr := range p.providers {
			if pr.ID == id {
				p.choice.SetSelectedIndex(i)
			}
		}
		return p
	}
	chosen := func(id string) func(d *desk) bool {
		return func(d *desk) bool {
			pr, ok := d.wiz.providerPage.chosen()
			return onPage(d) && ok && pr.ID == id && d.win.Canvas().Overlays().Top() == nil
		}
	}
	return []tourStep{
		{name: "", do: func(d *desk) {
			d.showBrowser()
			d.showWizard(AuthRequest{})
			d.wiz.showProvider()
		}, ready: func(d *desk) bool {
			// The picker opens its list on the canvas it is drawn on.
			return onPage(d) && fyne.CurrentApp().Driver().CanvasForObject(d.wiz.providerPage.choice) != nil
		}},
		{name: "provider-picker", do: func(d *desk) {
			p := d.wiz.providerPage
			d.win.Canvas().Focus(p.choice)
			p.choice.Tapped(&fyne.PointEvent{})
		}, ready: func(d *desk) bool { return onPage(d) && d.win.Canvas().Overlays().Top() != nil }},
		{name: "provider-custom", do: func(d *desk) {
			closePicker(d)
			p := choose(d, CustomProvider)
			p.baseURL.SetText("https://api.example.com/v2")
			p.requestURL.SetText("https://api.example.com/oauth/request_token")
			p.authorizeURL.SetText("https://www.example.com/oauth/authorize")
			p.accessURL.SetText("https://api.example.com/oauth/access_token")
			p.method.SetSelected(string(oauthsig.HMACSHA256))
			p.realm.SetText("Example")
			p.consumerKey.SetText("3f9a1c7e2b")
			p.consumerSecret.SetText("a-consumer-secret-typed-here")
			p.profile.SetText("example")
			d.win.Canvas().Focus(p.profile)
		}, ready: chosen(CustomProvider)},
		{name: "provider-rsa", do: func(d *desk) {
			p := choose(d, "jira")
			p.baseURL.SetText("https://jira.example.com")
			p.consumerKey.SetText("lpdesk")
			p.keyFile.SetText("/home/me/keys/jira-application-link.pem")
			p.profile.SetText("jira")
			d.win.Canvas().Focus(p.keyFile)
		}, ready: chosen("jira")},
		{name: "provider-four-values", do: func(d *desk) {
			p := choose(d, "magento")
			p.baseURL.SetText("https://shop.example.com")
			p.consumerKey.SetText("k2m7v0yq8h3c1n5r")
			p.consumerSecret.SetText("the-consumer-secret")
			p.token.SetText("t4x9b2w6z1j8p3d7")
			p.tokenSecret.SetText("the-access-token-secret")
			p.profile.SetText("shop")
			d.win.Canvas().Focus(p.tokenSecret)
		}, ready: func(d *desk) bool { return chosen("magento")(d) && d.wiz.providerPage.tokensMode() }},
		{name: "", do: func(d *desk) {
			d.wiz.leave()
			d.br.navigate("skills", true)
		}, ready: func(d *desk) bool {
			return d.view == viewBrowser && d.br.current != nil && d.br.currentAddr == "skills" && d.br.body.HasText()
		}},
		{name: "", do: func(d *desk) {
			d.br.sig.split.SetOffset(signatureOffset)
			d.br.sig.acc.Open(0)
		}, ready: func(d *desk) bool { return d.br.sig.item.Open }},
		{name: "browser-signature", do: func(d *desk) { d.br.sig.copyCurl() },
			ready: func(d *desk) bool { return d.br.sig.copied.Visible() }},
		{name: "browser-401", do: func(d *desk) {
			d.br.sig.split.SetOffset(0.5)
			d.br.sig.acc.Close(0)
			demo, token := *d.opts.Demo, d.profile.Token
			d.bg(func(ctx context.Context) func() {
				err := consoleclient.Admin{Server: demo.ServerURL, User: demo.AdminUser, Password: demo.AdminPassword}.Revoke(ctx, token)
				return func() {
					if err != nil {
						fmt.Fprintf(out, "%s failed: revoke: %v\n", TourMarker, err)
						return
					}
					d.br.reload()
				}
			})
		}, ready: func(d *desk) bool {
			r := d.br.current
			return r != nil && r.Status == http.StatusUnauthorized && d.br.sig.item.Open && d.br.body.HasText()
		}},
	}
}
