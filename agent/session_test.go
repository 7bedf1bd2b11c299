package agent

import (
	"context"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient"
)

func TestSessionStartAvailabilityEnd(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s := w.start("")
	me := s.Me()
	if me.Name != "Alice" || me.Login != "alice.martin" || me.ID == "" {
		t.Fatalf("logged in as %+v, want the account's first agent", me)
	}
	// The session lives on the agentVep service's host, not the account's.
	if !strings.HasPrefix(s.URL(), w.agents.URL) {
		t.Fatalf("session %s is not on the agentVep listener %s", s.URL(), w.agents.URL)
	}
	if a, err := s.Availability(ctx); err != nil || a != Offline {
		t.Fatalf("a new session is %q (%v), want Offline", a, err)
	}
	for _, want := range []Availability{Away, Occupied, Online} {
		got, err := s.SetAvailability(ctx, want)
		if err != nil || got != want {
			t.Fatalf("set %s: got %s, %v", want, got, err)
		}
		if read, err := s.Availability(ctx); err != nil || read != want {
			t.Fatalf("after setting %s the platform says %s (%v)", want, read, err)
		}
		if s.Me().State != want {
			t.Fatalf("Me().State %s after setting %s", s.Me().State, want)
		}
	}
	// Every request went out as JSON (the profile reads XML).
	for _, u := range w.urls.take() {
		if strings.Contains(u, ".xml") {
			t.Fatalf("request %s asked for XML", u)
		}
	}
	if err := s.End(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := s.Incoming(ctx)
	wantKind(t, err, ErrSessionLost)
}

func TestStartAsNamedAgent(t *testing.T) {
	w := newWorld(t)
	s := w.start("bruno.silva")
	if s.Me().Name != "Bruno" {
		t.Fatalf("logged in as %+v", s.Me())
	}
	_, err := Start(context.Background(), w.client, Config{Login: "nobody.here"})
	wantKind(t, err, ErrPlatform)
	var ae *apiclient.APIError
	if !errorsAs(err, &ae) || ae.Status != 400 {
		t.Fatalf("an unknown login: %v", err)
	}
}

func TestAvailableAgents(t *testing.T) {
	w := newWorld(t)
	s := w.start("")
	bruno := w.start("bruno.silva")
	if _, err := bruno.SetAvailability(context.Background(), Occupied); err != nil {
		t.Fatal(err)
	}
	agents, err := s.AvailableAgents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range agents {
		if a.Login == "bruno.silva" {
			found = true
			if a.State != Occupied || a.Name != "Bruno" {
				t.Fatalf("Bruno reads as %+v", a)
			}
		}
	}
	if !found || len(agents) < 2 {
		t.Fatalf("agents %+v", agents)
	}
}
