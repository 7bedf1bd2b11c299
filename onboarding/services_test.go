package onboarding

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lpdesk/lpdesk/assets"
)

// TestInstallRecordsServices: the API host answers the Domain API with the
// Server Chat service on a second listener of the same sandbox. Login
// records it in the profile, and the client OpenClient builds from the
// stored profile sends chat/… there and everything else to the account
// base.
func TestInstallRecordsServices(t *testing.T) {
	var chatHost atomic.Pointer[string]
	var onMain, onChat atomic.Int32
	var sb *testSandbox
	sb = startSandbox(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/account/12345678/service/conversationVep/baseURI.json" {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"service":"conversationVep","account":"12345678","baseURI":%q}`, *chatHost.Load())
				return
			}
			if strings.Contains(r.URL.Path, "/service/") {
				http.NotFound(w, r)
				return
			}
			onMain.Add(1)
			h.ServeHTTP(w, r)
		})
	})
	chat := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		onChat.Add(1)
		sb.Server.ServeHTTP(w, r)
	}))
	t.Cleanup(chat.Close)
	host := strings.TrimPrefix(chat.URL, "http://")
	chatHost.Store(&host)

	st := newStore(t)
	token, secret, err := sb.InstallApp(assets.DemoConsumerKey)
	if err != nil {
		t.Fatal(err)
	}
	p, err := InstallCode(context.Background(), opts(st, sb.URL), token+";"+secret)
	if err != nil {
		t.Fatal(err)
	}
	wantChat := chat.URL + "/api/account/12345678"
	if p.BaseURL != sb.URL+"/api/account/12345678" || len(p.Services) != 1 || p.Services["conversationVep"] != wantChat {
		t.Fatalf("profile %+v", p)
	}
	if stored, err := st.Get("work"); err != nil || stored.Services["conversationVep"] != wantChat {
		t.Fatalf("stored profile %+v, %v", stored, err)
	}

	c, _, err := OpenClient(context.Background(), st, "work")
	if err != nil {
		t.Fatal(err)
	}
	mainBefore, before := onMain.Load(), onChat.Load()
	if _, err := c.Get(context.Background(), "chat/availability", nil); err != nil {
		t.Fatalf("chat/availability on the chat listener: %v", err)
	}
	if onChat.Load() != before+1 || onMain.Load() != mainBefore {
		t.Errorf("chat/availability: chat listener +%d, main +%d", onChat.Load()-before, onMain.Load()-mainBefore)
	}
	if _, err := c.Get(context.Background(), "skills", nil); err != nil {
		t.Fatal(err)
	}
	if onChat.Load() != before+1 || onMain.Load() != mainBefore+1 {
		t.Errorf("skills: chat listener +%d, main +%d", onChat.Load()-before, onMain.Load()-mainBefore)
	}
}
