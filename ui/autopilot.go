package ui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// autopilot drives `lpdesk demo` through the window the way a person
// would — authorize, approve in the sandbox's console, open the account,
// open the skills, open one skill — so that the real-window smoke test can
// run without clicking. The approval is the only step done behind the
// window: it is what the person does in their web browser, sent as the
// console's HTTP Basic form POST. Following the console's redirect hits
// the wizard's loopback callback, so the verifier arrives the normal way.
type autopilot struct {
	d       *desk
	stage   string
	skill   string
	done    bool
	started bool

	// open, when set (LPDESK_TEST_AUTOPILOT_OPEN=PATH), replaces "open the
	// skills, open a skill": the autopilot opens PATH and reports how long
	// until its body was on screen and the longest the UI goroutine took
	// to answer meanwhile — the benchmark's "large resource visible, window
	// answering input" figure.
	open     string
	openedAt time.Time
	stall    *stallMeter
}

// stallMeter posts a no-op to the UI goroutine every 50 ms and keeps the
// longest wait for it to run.
type stallMeter struct {
	stop chan struct{}
	max  atomic.Int64 // ns
}

func startStallMeter(do func(func())) *stallMeter {
	m := &stallMeter{stop: make(chan struct{})}
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-tick.C:
				posted := time.Now()
				done := make(chan struct{})
				do(func() { close(done) })
				select {
				case <-done:
				case <-m.stop:
					return
				}
				if w := int64(time.Since(posted)); w > m.max.Load() {
					m.max.Store(w)
				}
			}
		}
	}()
	return m
}

func (m *stallMeter) finish() time.Duration {
	close(m.stop)
	return time.Duration(m.max.Load())
}

// autopilotTimeout bounds the whole run; the smoke test fails on the
// missing marker line.
const autopilotTimeout = 90 * time.Second

func startAutopilot(d *desk) {
	ap := &autopilot{d: d, stage: "start", open: os.Getenv("LPDESK_TEST_AUTOPILOT_OPEN")}
	d.onEvent(ap.event)
	go func() {
		t := time.NewTimer(autopilotTimeout)
		defer t.Stop()
		select {
		case <-t.C:
			d.do(func() {
				if !ap.done {
					ap.finish(fmt.Sprintf("failed: timed out at stage %s", ap.stage))
				}
			})
		case <-d.ctx.Done():
		}
	}()
}

func (ap *autopilot) finish(msg string) {
	ap.done = true
	fmt.Fprintf(ap.d.opts.Stdout, "%s %s\n", AutopilotMarker, msg)
}

func (ap *autopilot) event(ev event, detail string) {
	if ap.done {
		return
	}
	d := ap.d
	switch {
	case ev == evWizard && !ap.started:
		ap.started = true
		ap.stage = "authorize"
		// Let the first page render before moving on.
		d.bg(func(context.Context) func() { return func() { d.wiz.accountPage.authorize() } })
	case ev == evAuthorize:
		ap.stage = "approve"
		authURL := d.wiz.auth.AuthorizeURL()
		demo := *d.opts.Demo
		d.bg(func(ctx context.Context) func() {
			verifier, err := approve(ctx, authURL, demo)
			return func() {
				if err != nil {
					ap.finish("failed: approving in the console: " + err.Error())
					return
				}
				if verifier != "" && d.wiz != nil && d.wiz.page == pageAuthorize {
					d.wiz.authorizePage.verifier.SetText(verifier)
					d.wiz.authorizePage.continueAuth()
				}
			}
		})
	case ev == evInstalled:
		ap.stage = "open account"
		d.wiz.donePage.openBtn.OnTapped()
	case ev == evWizardError:
		ap.finish("failed: " + detail)
	case ev == evRequestFailed || ev == evRevokedOnServer:
		ap.finish("failed: " + d.br.status.ErrorText())
	case ev == evLoaded:
		addr := detail
		br := d.br
		switch {
		case ap.stage == "open account" && ap.open != "":
			ap.stage = "open large"
			ap.stall = startStallMeter(d.do)
			ap.openedAt = time.Now()
			br.navigate(ap.open, true)
		case ap.stage == "open large":
			ap.stage = "render large"
		case ap.stage == "open account":
			ap.stage = "open skills"
			if l, ok := findLink(br.linkData, func(l wire.Link) bool { return l.Rel == "skills" }); ok {
				br.follow(l)
			} else {
				ap.finish("failed: the account has no skills link")
			}
		case ap.stage == "open skills":
			ap.stage = "open skill"
			if l, ok := findLink(br.linkData, func(l wire.Link) bool {
				return strings.Contains(l.Href, "/skills/")
			}); ok {
				br.follow(l)
			} else {
				ap.finish("failed: the skills list has no skill")
			}
		case ap.stage == "open skill":
			ap.stage = "render"
			ap.skill = addr
		}
	case ev == evBody && ap.stage == "render":
		ap.finish("ok: showing " + ap.skill)
	case ev == evBody && ap.stage == "render large":
		visible := time.Since(ap.openedAt)
		stall := ap.stall.finish()
		ap.finish(fmt.Sprintf("visible %s %.1f maxstall %.1f", ap.open,
			float64(visible)/float64(time.Millisecond), float64(stall)/float64(time.Millisecond)))
	}
}

func findLink(ls []wire.Link, ok func(wire.Link) bool) (wire.Link, bool) {
	for _, l := range ls {
		if ok(l) {
			return l, true
		}
	}
	return wire.Link{}, false
}

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
