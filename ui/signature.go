package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient"
)

// signaturePanel is the response panel's Signature section: the last
// request's signature base string and "Copy as curl". It is collapsed until
// wanted, and opens by itself when the provider answers 401, so that
// lpdesk's base string sits next to the refusal (which often shows the
// provider's own) for comparing.
type signaturePanel struct {
	d *desk

	acc      *widget.Accordion
	item     *widget.AccordionItem
	intro    *widget.Label
	base     *widget.Label
	copyBase *widget.Button
	curlBtn  *widget.Button
	copied   *fyne.Container
	proxy    *widget.Label
	content  fyne.CanvasObject

	signed *apiclient.Signed
	method string
	// opened401 is set when a 401 opened the section, so that the next
	// answer closes it again.
	opened401 bool
	// split shares the response panel's column with the links; a 401
	// gives the panel most of it, and the next answer gives it back.
	split      *container.Split
	prevOffset float64
	// scroll is the response panel's, brought to the section when it has
	// something to say.
	scroll *container.Scroll
}

// The section's titles.
const (
	signatureTitle    = "Signature"
	signatureTitle401 = "Signature (401)"
)

// signatureOffset leaves the links a sliver of the column while the
// section shows a 401's base string.
const signatureOffset = 0.12

// proxyListen is where `lpdesk proxy` listens by default.
var proxyListen = "http://127.0.0.1:" + strconv.Itoa(apiclient.DefaultProxyPort)

func newSignaturePanel(d *desk) *signaturePanel {
	s := &signaturePanel{d: d}
	s.intro = para("")
	s.intro.SizeName = theme.SizeNameCaptionText
	s.base = widget.NewLabel("")
	s.base.TextStyle = fyne.TextStyle{Monospace: true}
	s.base.Wrapping = fyne.TextWrapBreak
	s.base.Selectable = true
	s.copyBase = widget.NewButtonWithIcon("Copy base string", theme.ContentCopyIcon(), func() {
		d.app.Clipboard().SetContent(s.signed.BaseString)
	})
	s.curlBtn = widget.NewButtonWithIcon("Copy as curl", theme.ContentCopyIcon(), s.copyCurl)
	note := para("Copied. The command works once: its nonce makes the provider refuse it the second time. " +
		"To send it again and again, run lpdesk proxy, which signs every copy:")
	note.SizeName = theme.SizeNameCaptionText
	s.proxy = widget.NewLabel("")
	s.proxy.TextStyle = fyne.TextStyle{Monospace: true}
	s.proxy.Wrapping = fyne.TextWrapBreak
	s.proxy.Selectable = true
	s.proxy.SizeName = theme.SizeNameCaptionText
	copyProxy := widget.NewButtonWithIcon("Copy the proxy form", theme.ContentCopyIcon(), func() {
		d.app.Clipboard().SetContent(s.proxy.Text + "\n")
	})
	s.copied = container.NewVBox(note, s.proxy, container.NewHBox(copyProxy))
	s.copied.Hide()
	s.item = widget.NewAccordionItem(signatureTitle, container.NewVBox(
		s.intro, s.base, container.NewHBox(s.copyBase, s.curlBtn), s.copied))
	s.acc = widget.NewAccordion(s.item)
	s.content = s.acc
	s.acc.Hide()
	return s
}

// show puts r's request on the panel: hidden when it was not signed,
// opened on a 401.
func (s *signaturePanel) show(r *Response) {
	s.copied.Hide()
	if r == nil || r.Signed == nil || r.Signed.BaseString == "" {
		s.signed = nil
		s.acc.Hide()
		return
	}
	s.signed, s.method = r.Signed, orGET(r.Method)
	s.base.SetText(r.Signed.BaseString)
	if r.Status == http.StatusUnauthorized {
		s.intro.SetText("The provider refused the request (401). lpdesk signed it with " + string(r.Signed.SignatureMethod) +
			" over this base string; if the provider's answer shows the base string it computed, the first difference is the culprit.")
		s.item.Title = signatureTitle401
		s.acc.Open(0)
		if !s.opened401 && s.split != nil {
			s.prevOffset = s.split.Offset
			s.split.SetOffset(signatureOffset)
		}
		s.opened401 = true
		s.reveal()
	} else {
		s.intro.SetText(string(r.Signed.SignatureMethod) + " signature over this base string:")
		s.item.Title = signatureTitle
		if s.opened401 {
			s.acc.Close(0)
			if s.split != nil {
				s.split.SetOffset(s.prevOffset)
			}
			s.opened401 = false
		}
	}
	s.acc.Show()
	s.acc.Refresh()
}

// copyCurl copies the request as a curl command, and offers the proxy
// form for replaying it.
func (s *signaturePanel) copyCurl() {
	if s.signed == nil {
		return
	}
	s.d.app.Clipboard().SetContent(s.signed.Curl())
	s.proxy.SetText(proxyForm(s.d.profile, s.method, s.signed))
	s.copied.Show()
	s.reveal()
}

// reveal scrolls the response panel to the section's top.
func (s *signaturePanel) reveal() {
	if s.scroll != nil {
		s.scroll.ScrollToOffset(fyne.NewPos(0, s.acc.Position().Y))
	}
}

// proxyForm is the request as sent through `lpdesk proxy`: unsigned, to
// the proxy, with the path relative to the profile's base URL.
func proxyForm(p ProfileInfo, method string, sg *apiclient.Signed) string {
	path := "/PATH"
	if u, err := url.Parse(sg.URL); err == nil {
		// The proxy signs; the query keeps its order minus the oauth_*
		// pairs of the query placement.
		var kept []string
		for _, pair := range strings.Split(u.RawQuery, "&") {
			if pair != "" && !strings.HasPrefix(pair, "oauth_") {
				kept = append(kept, pair)
			}
		}
		u.RawQuery = strings.Join(kept, "&")
		if rel, ok := strings.CutPrefix(u.String(), strings.TrimSuffix(p.BaseURL, "/")); ok && (rel == "" || rel[0] == '/' || rel[0] == '?') {
			path = "/" + strings.TrimPrefix(rel, "/")
		}
	}
	var b strings.Builder
	b.WriteString("lpdesk proxy --profile " + shellWord(p.Name) + "\ncurl")
	if method != http.MethodGet {
		b.WriteString(" -X " + method)
	}
	if ct := sg.Header.Get("Content-Type"); sg.Body != nil && ct != "" {
		b.WriteString(" -H " + shellQuote("Content-Type: "+ct) + " --data-binary @BODY_FILE")
	}
	b.WriteString(" " + shellQuote(proxyListen+path))
	return b.String()
}

// shellWord single-quotes s for a POSIX shell unless it needs no quotes.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:") == "" {
		return s
	}
	return shellQuote(s)
}

// shellQuote single-quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
