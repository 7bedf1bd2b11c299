package agent

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
	"github.com/lpdesk/lpdesk/sandbox"
)

// world is an in-process sandbox with the Chat Agent and Server Chat APIs
// on listeners of their own, as the platform places them, an agent's
// client and a visitor who talks through the Server Chat API.
type world struct {
	t      *testing.T
	sb     *sandbox.Server
	client *apiclient.Client
	token  string
	agents *httptest.Server // the agentVep listener
	urls   *urlLog
}

// urlLog records the URLs the agent's client sends to.
type urlLog struct {
	mu   sync.Mutex
	urls []string
	base http.RoundTripper
}

func (l *urlLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.urls = append(l.urls, r.Method+" "+r.URL.String())
	l.mu.Unlock()
	return l.base.RoundTrip(r)
}

func (l *urlLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.urls
	l.urls = nil
	return out
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func serve(t *testing.T, ln net.Listener, h http.Handler) *httptest.Server {
	ts := httptest.NewUnstartedServer(h)
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

func newWorld(t *testing.T) *world {
	t.Helper()
	agentLn, chatLn := listen(t), listen(t)
	cfg := sandbox.DemoConfig()
	cfg.SeedRecords = 24
	cfg.ServiceHosts = map[sandbox.Service]string{
		sandbox.ServiceChatAgent: agentLn.Addr().String(), sandbox.ServiceServerChat: chatLn.Addr().String()}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	main := httptest.NewServer(sb)
	t.Cleanup(main.Close)
	agents := serve(t, agentLn, sb.ServiceHandler(sandbox.ServiceChatAgent))
	chats := serve(t, chatLn, sb.ServiceHandler(sandbox.ServiceServerChat))
	tok, sec, err := sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	urls := &urlLog{base: http.DefaultTransport}
	acct := sb.AccountPath()
	c, err := apiclient.New(apiclient.Config{BaseURL: main.URL + acct,
		Services: map[apiclient.Service]string{
			apiclient.ServiceChatAgent: agents.URL + acct, apiclient.ServiceServerChat: chats.URL + acct},
		Credentials: apiclient.Credentials{ConsumerKey: assets.DemoConsumerKey, ConsumerSecret: assets.DemoConsumerSecret,
			Token: tok, TokenSecret: sec},
		// XML on purpose: the agent package asks for JSON whatever the
		// profile reads.
		Format: wire.XML, Transport: urls, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, sb: sb, client: c, token: tok, agents: agents, urls: urls}
}

// fast paces polls for tests: no waiting worth the name.
var fast = Config{Incoming: Pace{Every: 5e6, MaxBackoff: 2e7}, Chat: Pace{Every: 5e6, MaxBackoff: 2e7}}

func (w *world) start(login string) *Session {
	w.t.Helper()
	cfg := fast
	cfg.Login = login
	s, err := Start(context.Background(), w.client, cfg)
	if err != nil {
		w.t.Fatalf("start %q: %v", login, err)
	}
	return s
}

func (w *world) online(s *Session) {
	w.t.Helper()
	if got, err := s.SetAvailability(context.Background(), Online); err != nil || got != Online {
		w.t.Fatalf("go online: %v, %v", got, err)
	}
}

// visitor is a visitor's chat, driven through the Server Chat API.
type visitor struct {
	w   *world
	url string // the chat-session-uri Start Chat answered
}

func (w *world) visitor(skill, name, question string) *visitor {
	w.t.Helper()
	body, _ := json.Marshal(map[string]any{"request": map[string]string{"skill": skill, "visitorName": name, "question": question}})
	r, err := w.client.Create(context.Background(), "chat/request", body, wire.JSON)
	if err != nil {
		w.t.Fatalf("start chat: %v", err)
	}
	return &visitor{w: w, url: r.Header.Get("Location")}
}

func (v *visitor) post(path, body string) {
	v.w.t.Helper()
	if _, err := v.w.client.Create(context.Background(), v.url+path, []byte(body), wire.JSON); err != nil {
		v.w.t.Fatalf("visitor POST %s: %v", path, err)
	}
}

func (v *visitor) say(text string) {
	v.w.t.Helper()
	b, _ := json.Marshal(map[string]any{"event": map[string]string{"@type": "line", "text": text}})
	v.post("/events", string(b))
}

func (v *visitor) typing(on bool) {
	v.w.t.Helper()
	state := "not-typing"
	if on {
		state = "typing"
	}
	if _, err := v.w.client.Update(context.Background(), v.url+"/info/visitorTyping", []byte(`{"visitorTyping":"`+state+`"}`), wire.JSON, ""); err != nil {
		v.w.t.Fatalf("visitor typing: %v", err)
	}
}

// get reads one of the visitor's resources as JSON text.
func (v *visitor) get(path string) string {
	v.w.t.Helper()
	r, err := v.w.client.Do(context.Background(), &apiclient.Request{Path: v.url + path, Format: wire.JSON})
	if err != nil {
		v.w.t.Fatalf("visitor GET %s: %v", path, err)
	}
	return string(r.Body)
}

func (v *visitor) key() string { return v.url[strings.LastIndex(v.url, "/")+1:] }

// lines are the texts of a transcript's lines.
func lines(tr Transcript) []string {
	var out []string
	for _, ev := range tr.Events {
		if ev.Line {
			out = append(out, ev.Text)
		}
	}
	return out
}

func hasLine(tr Transcript, text string) bool {
	for _, l := range lines(tr) {
		if l == text {
			return true
		}
	}
	return false
}

func refresh(t *testing.T, c *Chat) {
	t.Helper()
	if _, err := c.Refresh(context.Background()); err != nil {
		t.Fatalf("refresh: %v", err)
	}
}

func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v is not %v", err, kind)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
