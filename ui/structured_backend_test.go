package ui

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/sandbox"
)

// wireLog records what reaches the sandbox: each request's method (with
// its override), path and query, and body.
type wireLog struct {
	mu   sync.Mutex
	reqs []wireReq
}

type wireReq struct {
	method, path, query, ifMatch, contentType string
	body                                      []byte
}

func (l *wireLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		m := r.Method
		if o := r.Header.Get("X-HTTP-Method-Override"); o != "" {
			m = o
		}
		l.mu.Lock()
		l.reqs = append(l.reqs, wireReq{method: m, path: r.URL.Path, query: r.URL.RawQuery, ifMatch: r.Header.Get("If-Match"),
			contentType: r.Header.Get("Content-Type"), body: body})
		l.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// last is the last request with method whose path ends in suffix.
func (l *wireLog) last(method, suffix string) (wireReq, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.reqs) - 1; i >= 0; i-- {
		if r := l.reqs[i]; r.method == method && strings.HasSuffix(r.path, suffix) {
			return r, true
		}
	}
	return wireReq{}, false
}

func (l *wireLog) count(method, part string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.reqs {
		if r.method == method && strings.Contains(r.path+"?"+r.query, part) {
			n++
		}
	}
	return n
}

// sandboxBrowser is the window signed in to an in-process sandbox with
// seed records, its requests logged, showing the account base.
func sandboxBrowser(t *testing.T, seed int) (*harness, *wireLog) {
	t.Helper()
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = seed
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	log := &wireLog{}
	srv := httptest.NewServer(log.wrap(sb))
	t.Cleanup(srv.Close)
	h := newHarness(t, NewBackend(BackendConfig{Store: memStore(t)}), Options{})
	w := h.d.wiz
	h.typeIn(w.accountPage.server, srv.URL)
	h.typeIn(w.accountPage.account, cfg.AccountID)
	h.tap(w.accountPage.codeBtn)
	tok, sec, err := sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	h.typeIn(w.codePage.code, tok+";"+sec)
	h.tap(w.codePage.installBtn)
	h.tap(w.donePage.openBtn)
	if h.d.view != viewBrowser || h.d.br.current == nil {
		t.Fatalf("not signed in: %s", w.codePage.status.ErrorText())
	}
	return h, log
}

func (h *harness) open(addr string) {
	h.t.Helper()
	h.typeIn(h.d.br.address, addr)
	h.tap(h.d.br.goBtn)
	if h.d.br.status.Failed() {
		h.t.Fatalf("open %s: %s", addr, h.d.br.status.ErrorText())
	}
}

func TestIntegrationTablePagesSortsAndFilters(t *testing.T) {
	h, log := sandboxBrowser(t, 200) // 75 skills, 125 users
	br := h.d.br
	h.open("users?limit=40")
	tbl := br.st.table
	if br.st.shape != shapeCollection || !tbl.Visible() || tbl.Len() != 40 || !tbl.HasMore() {
		t.Fatalf("users: shape %v rows %d more %v", br.st.shape, tbl.Len(), tbl.HasMore())
	}
	if log.count("GET", "offset=40") != 0 {
		t.Fatal("the second page was fetched before the user scrolled")
	}
	h.mustShow("40 of 125 users loaded")
	h.mustShow("Login name")
	// End goes to the last loaded row: the next page comes by its link.
	h.w.Canvas().Focus(tbl.Rows())
	tbl.Rows().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	h.until("the second page", func() bool { return tbl.Len() == 80 })
	if log.count("GET", "offset=40&limit=40") != 1 {
		t.Fatalf("second page requests: %d", log.count("GET", "offset=40&limit=40"))
	}
	if br.currentAddr != "users?limit=40" {
		t.Errorf("paging moved the address to %q", br.currentAddr)
	}
	// Sort by login name, descending on the second click.
	col := slices.Index(br.st.table.Columns(), "Login name")
	if col < 0 {
		t.Fatalf("columns %v", br.st.table.Columns())
	}
	var names []string
	for i := range tbl.Len() {
		names = append(names, tbl.Cell(i, col))
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	h.tap(tbl.HeaderButton(col))
	if tbl.Cell(0, col) != names[0] {
		t.Fatalf("ascending: first %q, want %q", tbl.Cell(0, col), names[0])
	}
	h.tap(tbl.HeaderButton(col))
	if tbl.Cell(0, col) != names[len(names)-1] {
		t.Fatalf("descending: first %q, want %q", tbl.Cell(0, col), names[len(names)-1])
	}
	// Filter: every row shown holds the text; the rest of the users come
	// in as the few matching rows leave the end of the table on screen.
	h.typeIn(tbl.FilterBox(), "müller")
	h.until("all pages", func() bool { return !tbl.HasMore() && !tbl.Loading() })
	if tbl.Len() != 125 || tbl.Shown() == 0 || tbl.Shown() == tbl.Len() {
		t.Fatalf("filter: %d shown of %d", tbl.Shown(), tbl.Len())
	}
	for r := range tbl.Shown() {
		row := strings.ToLower(strings.Join([]string{tbl.Cell(r, 0), tbl.Cell(r, 1), tbl.Cell(r, 2), tbl.Cell(r, 3), tbl.Cell(r, 4)}, " "))
		if !strings.Contains(row, "müller") {
			t.Fatalf("row %d %q does not match", r, row)
		}
	}
	// Enter opens the selected member as a form.
	tbl.SelectRow(0)
	login := tbl.Cell(0, col)
	tbl.Rows().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle()
	if !strings.HasPrefix(br.currentAddr, "users/") || br.st.shape != shapeMember || br.st.form.Value("loginName") != login {
		t.Fatalf("opened %q: loginName %q, want %q", br.currentAddr, br.st.form.Value("loginName"), login)
	}
}

// editViaForm opens addr in format f, edits it in the form with values
// and saves; it returns the representation read before and the body the
// sandbox received.
func editViaForm(t *testing.T, h *harness, log *wireLog, addr string, f wire.Format, values map[string]string) (before, sent []byte) {
	t.Helper()
	br := h.d.br
	h.open(addr)
	if br.current.Format != f || br.st.shape != shapeMember {
		t.Fatalf("%s: format %s shape %v", addr, br.current.Format, br.st.shape)
	}
	before = br.current.Body
	etag := br.current.ETag
	h.tap(br.editBtn)
	ed := h.d.ed
	for k, v := range values {
		if !ed.form.SetValue(k, v) {
			t.Fatalf("no input for %s", k)
		}
	}
	h.tap(ed.saveBtn)
	if h.d.view != viewBrowser {
		t.Fatalf("save failed: %s", ed.status.ErrorText())
	}
	req, ok := log.last("PUT", addr)
	if !ok {
		t.Fatal("no update reached the sandbox")
	}
	if req.ifMatch != etag {
		t.Errorf("If-Match %q, want %q", req.ifMatch, etag)
	}
	if got, _ := wire.FormatOf(req.contentType); got != f {
		t.Errorf("sent as %q, want %s", req.contentType, f)
	}
	return before, req.body
}

func TestIntegrationFormRoundTripJSON(t *testing.T) {
	h, log := sandboxBrowser(t, 8)
	before, sent := editViaForm(t, h, log, "skills/2", wire.JSON,
		map[string]string{"description": `Deals & "quotes" <b>`, "maxWaitTime": "45"})
	// Byte for byte what was read, but for the two values.
	want := strings.NewReplacer(`"description":"Chats about sales"`, `"description":"Deals & \"quotes\" <b>"`,
		`"maxWaitTime":120`, `"maxWaitTime":45`).Replace(string(before))
	if string(sent) != want {
		t.Fatalf("sent\n%s\nwant\n%s", sent, want)
	}
	st := h.d.br.st
	if st.form.Value("description") != `Deals & "quotes" <b>` || st.form.Value("maxWaitTime") != "45" || st.form.Value("name") != "Sales" {
		t.Fatalf("after reload: %v", st.form.Values())
	}
}

func TestIntegrationFormRoundTripXML(t *testing.T) {
	h, log := sandboxBrowser(t, 8)
	h.d.br.format.SetSelected("XML")
	h.settle()
	before, sent := editViaForm(t, h, log, "users/2", wire.XML,
		map[string]string{"fullName": "Bruno Silva & Co", "skillIds": "1, 3", "permission": "AgentManager"})
	if !bytes.Contains(before, []byte("<skillId>2</skillId><skillId>3</skillId>")) {
		t.Fatalf("users/2 changed its seed: %s", before)
	}
	want := strings.NewReplacer("<fullName>Bruno Silva</fullName>", "<fullName>Bruno Silva &amp; Co</fullName>",
		"<permission>Agent</permission>", "<permission>AgentManager</permission>",
		"<skillId>2</skillId><skillId>3</skillId>", "<skillId>1</skillId><skillId>3</skillId>").Replace(string(before))
	if string(sent) != want {
		t.Fatalf("sent\n%s\nwant\n%s", sent, want)
	}
	st := h.d.br.st
	if st.form.Value("fullName") != "Bruno Silva & Co" || st.form.Value("skillIds") != "1, 3" || st.form.Value("loginName") != "bruno.silva" {
		t.Fatalf("after reload: %v", st.form.Values())
	}
}

func TestIntegrationNewSkillFromTheTable(t *testing.T) {
	h, log := sandboxBrowser(t, 8)
	br := h.d.br
	h.open("skills")
	h.tap(br.newBtn)
	ed := h.d.ed
	if ed == nil || !ed.asForm {
		t.Fatal("New did not open a form")
	}
	ed.form.SetValue("name", "Warranty desk")
	ed.form.SetValue("maxWaitTime", "300")
	h.tap(ed.saveBtn)
	req, ok := log.last("POST", "/skills")
	if !ok || string(req.body) != `{"skill":{"name":"Warranty desk","maxWaitTime":300}}` {
		t.Fatalf("create sent %q", req.body)
	}
	if !strings.HasPrefix(br.currentAddr, "skills/") || br.st.form.Value("name") != "Warranty desk" || br.st.form.Value("maxWaitTime") != "300" {
		t.Fatalf("after create: %q %v", br.currentAddr, br.st.form.Values())
	}
	// The new skill reads back the same from another client.
	cur, err := h.be.Fetch(context.Background(), FetchRequest{Path: br.currentAddr, Format: wire.JSON})
	if err != nil || !bytes.Contains(cur.Body, []byte(`"name":"Warranty desk"`)) {
		t.Fatalf("read back: %v %s", err, cur.Body)
	}
}
