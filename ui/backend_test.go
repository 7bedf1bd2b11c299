package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/sandbox"
	"github.com/lpdesk/lpdesk/sandbox/consoleclient"
	"github.com/lpdesk/lpdesk/store"
)

// These tests run the window against the real core and an in-process
// sandbox: the same path `lpdesk` takes, minus the display.

func startSandbox(t *testing.T) (*sandbox.Server, string) {
	t.Helper()
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 8
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, srv.URL
}

func memStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// consoleApprove posts the administrator's approval in the sandbox's
// console, as the browser would. With a loopback callback the console
// redirects to it, and following the redirect delivers the verifier to the
// wizard; with oob the verifier comes back in the text answer and is
// returned.
func consoleApprove(t *testing.T, authURL string) string {
	t.Helper()
	v, err := consoleclient.Admin{User: "admin", Password: "demo"}.Approve(context.Background(), authURL)
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	return v
}

// linkWhere is the first link of the resource on screen that ok accepts.
func linkWhere(br *browser, ok func(wire.Link) bool) (wire.Link, bool) {
	for _, l := range br.linkData {
		if ok(l) {
			return l, true
		}
	}
	return wire.Link{}, false
}

func findLinkTo(br *browser, part string) (wire.Link, bool) {
	return linkWhere(br, func(l wire.Link) bool { return strings.Contains(l.Href, part) })
}

func TestIntegrationOnboardBrowseEditRevoke(t *testing.T) {
	sb, server := startSandbox(t)
	st := memStore(t)
	h := newHarness(t, NewBackend(BackendConfig{Store: st}), Options{})
	w := h.d.wiz
	if w == nil || w.page != pageAccount {
		t.Fatalf("no wizard on an empty store (view %q)", h.d.view)
	}
	h.typeIn(w.accountPage.server, server)
	h.typeIn(w.accountPage.account, "12345678")
	h.typeIn(w.accountPage.profile, "it")
	h.tap(w.accountPage.authorizeBtn)
	if w.page != pageAuthorize {
		t.Fatalf("page %q: %s", w.page, w.accountPage.status.ErrorText())
	}
	if len(h.opens) != 1 || !strings.HasPrefix(h.opens[0], server+"/oauth/authorize?") {
		t.Fatalf("opened %v", h.opens)
	}
	// The admin approves in the browser; the console redirects to the
	// loopback callback, and the verifier reaches the wizard by itself.
	consoleApprove(t, w.auth.AuthorizeURL())
	h.until("done page", func() bool { return w.page == pageDone || w.authorizePage.status.Failed() })
	if w.page != pageDone {
		t.Fatalf("authorization failed: %s", w.authorizePage.status.ErrorText())
	}
	h.mustShow(st.Path())
	h.mustShow("Access-token secret: " + st.SecretLocation("it"))
	secret, err := st.Secret("it")
	if err != nil || secret == "" {
		t.Fatalf("no secret stored: %v", err)
	}
	h.mustNotShow(secret)

	h.tap(w.donePage.openBtn)
	br := h.d.br
	skills, ok := linkWhere(br, func(l wire.Link) bool { return l.Rel == "skills" })
	if !ok {
		t.Fatalf("account base links %v (status %s)", br.linkData, br.status.ErrorText())
	}
	br.follow(skills)
	h.settle()
	if br.currentAddr != "skills" {
		t.Fatalf("current %q", br.currentAddr)
	}
	skill, ok := findLinkTo(br, "/skills/")
	if !ok {
		t.Fatalf("skills list links %v", br.linkData)
	}
	br.follow(skill)
	h.settle()
	path := br.currentAddr
	if !strings.HasPrefix(path, "skills/") || br.current.ETag == "" {
		t.Fatalf("skill %q etag %q", path, br.current.ETag)
	}

	// Edit as text: an invalid body is caught locally, a valid one is
	// saved.
	br.st.setPane(paneText)
	h.tap(br.editBtn)
	ed := h.d.ed
	good := ed.text.Text
	ed.text.SetText(strings.Replace(good, `"name":`, `"name"`, 1))
	h.tap(ed.saveBtn)
	h.mustShow("line ")
	h.mustShow("column ")
	ed.text.SetText(renameSkill(t, good, "Renamed in the window"))
	h.tap(ed.saveBtn)
	if h.d.view != viewBrowser {
		t.Fatalf("save failed: %s", ed.status.ErrorText())
	}
	h.mustShow("Renamed in the window")

	// Someone else changes the skill: the next save meets a 412.
	other := NewBackend(BackendConfig{Store: st})
	ctx := context.Background()
	if _, err := other.Open(ctx, "it"); err != nil {
		t.Fatal(err)
	}
	h.tap(br.editBtn)
	ed = h.d.ed
	mine := renameSkill(t, ed.text.Text, "Mine")
	ed.text.SetText(mine)
	cur, err := other.Fetch(ctx, FetchRequest{Path: path, Format: wire.JSON})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Update(ctx, path, []byte(renameSkill(t, string(cur.Body), "Theirs")), wire.JSON, cur.ETag); err != nil {
		t.Fatal(err)
	}
	h.tap(ed.saveBtn)
	if ed.conflict == nil || h.dialogs() != 1 {
		t.Fatalf("no conflict dialog: %s", ed.status.ErrorText())
	}
	if ed.text.Text != mine {
		t.Fatal("the 412 lost the text")
	}
	h.tap(ed.conflictOverwrite)
	if h.d.view != viewBrowser {
		t.Fatalf("overwrite failed: %s", ed.status.ErrorText())
	}
	h.mustShow("Mine")

	// Settings never show the secret.
	h.tap(br.settings)
	h.mustShow(store.MaskToken(h.d.profile.Token))
	h.mustNotShow(secret)
	h.d.escape()

	// The admin revokes lpdesk in the console: the window says so and
	// offers onboarding.
	if !sb.RevokeToken(h.d.profile.Token) {
		t.Fatal("token unknown to the sandbox")
	}
	h.tap(br.reloadBtn)
	if !br.banner.Visible() {
		t.Fatalf("revocation not detected: %s", br.status.ErrorText())
	}
	h.mustShow("was revoked on the server")

	// Revoke access from Settings still forgets the profile locally.
	h.tap(br.settings)
	h.tap(h.d.set.revoke)
	var yes *widget.Button
	for _, o := range h.w.Canvas().Overlays().List() {
		yes = findButton(o, "Revoke access")
	}
	h.tap(yes)
	h.until("wizard after revoke", func() bool { return h.d.view == viewWizard })
	if ps, _, _ := st.List(); len(ps) != 0 {
		t.Fatalf("profiles left after revoke: %v", ps)
	}
}

// renameSkill changes the skill's name in a JSON representation.
func renameSkill(t *testing.T, body, name string) string {
	t.Helper()
	re := regexp.MustCompile(`"name":\s*"[^"]*"`)
	if !re.MatchString(body) {
		t.Fatalf("no name in %q", body)
	}
	return re.ReplaceAllLiteralString(body, `"name": "`+name+`"`)
}

func TestIntegrationOOBBadVerifierThenGood(t *testing.T) {
	_, server := startSandbox(t)
	st := memStore(t)
	h := newHarness(t, NewBackend(BackendConfig{Store: st, OOB: true}), Options{})
	w := h.d.wiz
	h.typeIn(w.accountPage.server, server)
	h.typeIn(w.accountPage.account, "12345678")
	h.tap(w.accountPage.authorizeBtn)
	if w.page != pageAuthorize {
		t.Fatalf("page %q: %s", w.page, w.accountPage.status.ErrorText())
	}
	v := consoleApprove(t, w.auth.AuthorizeURL())
	if v == "" {
		t.Fatal("no oob verifier from the console")
	}
	h.typeIn(w.authorizePage.verifier, "0000"+v)
	h.tap(w.authorizePage.continueBtn)
	if w.page != pageAuthorize || !strings.Contains(w.authorizePage.status.ErrorText(), "refused this verifier") {
		t.Fatalf("bad verifier: page %q error %q", w.page, w.authorizePage.status.ErrorText())
	}
	h.typeIn(w.authorizePage.verifier, "oauth_verifier="+v) // pasted as the provider shows it
	h.tap(w.authorizePage.continueBtn)
	if w.page != pageDone {
		t.Fatalf("good verifier: page %q error %q", w.page, w.authorizePage.status.ErrorText())
	}
}

func TestIntegrationVerificationCode(t *testing.T) {
	sb, server := startSandbox(t)
	st := memStore(t)
	h := newHarness(t, NewBackend(BackendConfig{Store: st}), Options{})
	w := h.d.wiz
	h.typeIn(w.accountPage.server, server)
	h.typeIn(w.accountPage.account, "12345678")
	h.typeIn(w.accountPage.profile, "code")
	h.tap(w.accountPage.codeBtn)
	h.typeIn(w.codePage.code, "not-a-code")
	h.tap(w.codePage.installBtn)
	if w.page != pageCode || !w.codePage.status.Failed() {
		t.Fatal("a malformed code was accepted")
	}
	tok, sec, err := sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	h.typeIn(w.codePage.code, tok+";"+sec)
	h.tap(w.codePage.installBtn)
	if w.page != pageDone {
		t.Fatalf("code install: %s", w.codePage.status.ErrorText())
	}
	h.mustNotShow(sec)
	h.tap(w.donePage.openBtn)
	if !h.d.opened || len(h.d.br.linkData) == 0 {
		t.Fatalf("browser after code install: %s", h.d.br.status.ErrorText())
	}
}

// What a person types in the address bar is made a valid URL before it is
// signed (issue 12): a space, and a documented NC=true, reach the platform.
func TestIntegrationTypedAddress(t *testing.T) {
	sb, server := startSandbox(t)
	st := memStore(t)
	h := newHarness(t, NewBackend(BackendConfig{Store: st}), Options{})
	w := h.d.wiz
	h.typeIn(w.accountPage.server, server)
	h.typeIn(w.accountPage.account, "12345678")
	h.typeIn(w.accountPage.profile, "typed")
	h.tap(w.accountPage.codeBtn)
	tok, sec, err := sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	h.typeIn(w.codePage.code, tok+";"+sec)
	h.tap(w.codePage.installBtn)
	h.tap(w.donePage.openBtn)
	br := h.d.br
	br.navigate("chat/availability?skill=Sales and Support&NC=true", true)
	h.settle()
	if br.status.Failed() || br.current == nil || br.current.Status != http.StatusOK {
		t.Fatalf("typed address: %s", br.status.ErrorText())
	}
	if !strings.Contains(br.current.URL, "skill=Sales%20and%20Support") || !strings.Contains(br.current.URL, "NC=true") {
		t.Fatalf("sent %q", br.current.URL)
	}
	h.mustShow("availability")
}

// countingKeyring counts the calls that reach the secrets.
type countingKeyring struct {
	store.Keyring
	calls atomic.Int32
}

func (k *countingKeyring) Get(p string) (string, error) { k.calls.Add(1); return k.Keyring.Get(p) }
func (k *countingKeyring) Set(p, s string) error        { k.calls.Add(1); return k.Keyring.Set(p, s) }
func (k *countingKeyring) Delete(p string) error        { k.calls.Add(1); return k.Keyring.Delete(p) }

// Changing placement or format neither reads nor rewrites the token secret,
// and the next request already goes out with the new options.
func TestSetSettingsLeavesTheKeyringAlone(t *testing.T) {
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 2
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var lastQuery atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lastQuery.Store(r.URL.RawQuery)
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	kr := &countingKeyring{Keyring: store.NewMemoryKeyring()}
	st, _ := store.Open(t.TempDir(), kr)
	be := NewBackend(BackendConfig{Store: st})
	ctx := context.Background()
	tok, sec, err := sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := be.InstallCode(ctx, AuthRequest{Server: srv.URL, AccountID: "12345678", Profile: "work"}, tok+";"+sec); err != nil {
		t.Fatal(err)
	}
	if _, err := be.Open(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	kr.calls.Store(0)
	info, err := be.SetSettings(ctx, Settings{Placement: apiclient.PlaceQuery, Format: wire.XML})
	if err != nil {
		t.Fatal(err)
	}
	if info.Placement != apiclient.PlaceQuery || info.Format != wire.XML {
		t.Errorf("SetSettings returned %+v", info)
	}
	resp, err := be.Fetch(ctx, FetchRequest{Path: "skills"})
	if err != nil {
		t.Fatal(err)
	}
	if n := kr.calls.Load(); n != 0 {
		t.Errorf("settings change and fetch made %d keyring calls, want 0", n)
	}
	if resp.Format != wire.XML || resp.Method != http.MethodGet {
		t.Errorf("fetch after the change: format %q, method %q", resp.Format, resp.Method)
	}
	if q, _ := lastQuery.Load().(string); !strings.Contains(q, "oauth_signature=") {
		t.Errorf("fetch after the change was not signed in the query: %q", q)
	}
	if p, err := st.Get("work"); err != nil || p.Placement != apiclient.PlaceQuery || p.Format != wire.XML {
		t.Errorf("stored profile %+v, %v", p, err)
	}
}
