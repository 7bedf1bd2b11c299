package sandbox

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
	"github.com/lpdesk/lpdesk/assets"
)

// ErrAppExists is returned when an application is registered under a key
// that is taken.
var ErrAppExists = errors.New("sandbox: an application with this key is already registered")

// appRegistry is the registered applications: the configured ones (fixed
// at New) and those registered in the console since, which the data file
// keeps. It has a lock of its own because every signed request reads it.
type appRegistry struct {
	mu    sync.RWMutex
	byKey map[string]App
	order []string
}

func (g *appRegistry) get(key string) (App, bool) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	a, ok := g.byKey[key]
	return a, ok
}

// put adds a, or replaces the application with its key in place.
func (g *appRegistry) put(a App) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.byKey == nil {
		g.byKey = map[string]App{}
	}
	if _, dup := g.byKey[a.Key]; !dup {
		g.order = append(g.order, a.Key)
	}
	g.byKey[a.Key] = a
}

func (g *appRegistry) list() []App {
	g.mu.RLock()
	defer g.mu.RUnlock()
	out := make([]App, len(g.order))
	for i, k := range g.order {
		out[i] = g.byKey[k]
	}
	return out
}

// app returns the registered application key.
func (s *Server) app(key string) (App, bool) { return s.apps.get(key) }

// appList is the registered applications in registration order.
func (s *Server) appList() []App { return s.apps.list() }

// registerApps registers the demo application, the documentation's app
// key and apps (a later one with the same key replaces an earlier one).
func (s *Server) registerApps(apps []App) error {
	all := append([]App{{Name: assets.DemoAppName, Key: assets.DemoConsumerKey, Secret: assets.DemoConsumerSecret},
		docsApp()}, apps...)
	for _, a := range all {
		if err := a.validate(); err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		if a.Name == "" {
			a.Name = a.Key
		}
		s.apps.put(a)
	}
	return nil
}

// restoreApps registers the applications the data file kept. One whose key
// is configured too stays shadowed by the configured one: the command line
// of this start says what that key is.
func (s *Server) restoreApps() error {
	s.mu.Lock()
	recs := slices.Clone(s.st.Apps)
	s.mu.Unlock()
	for _, rec := range recs {
		a, err := rec.app()
		if err != nil {
			return fmt.Errorf("data file: %w", err)
		}
		if _, taken := s.app(a.Key); taken {
			s.log.Warn("sandbox: an application of the data file is shadowed by a configured one", "key", a.Key)
			continue
		}
		s.apps.put(a)
	}
	return nil
}

// RegisterApp registers another application, as the console's form does,
// and keeps it in the data file. A taken key is refused with ErrAppExists.
func (s *Server) RegisterApp(a App) error {
	if a.Name == "" {
		a.Name = a.Key
	}
	if err := a.validate(); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	rec, err := recordOf(a)
	if err != nil {
		return err
	}
	e := s.update(func(st *state) *apiError {
		// Checked and added under the state lock, so two registrations
		// of one key cannot both pass.
		if _, taken := s.app(a.Key); taken {
			return errorf(409, wire.CodeConflict, "taken")
		}
		st.Apps = append(st.Apps, rec)
		s.apps.put(a)
		return nil
	})
	if e != nil {
		return fmt.Errorf("register %q: %w", a.Key, ErrAppExists)
	}
	return nil
}

// appRecord is an application registered in the console, as the data file
// keeps it (the file is mode 0600: it holds secrets already).
type appRecord struct {
	Name      string          `json:"name"`
	Key       string          `json:"key"`
	Secret    string          `json:"secret,omitempty"`
	Method    oauthsig.Method `json:"method,omitempty"`
	PublicKey string          `json:"publicKey,omitempty"` // PEM
	Realm     string          `json:"realm,omitempty"`
	BodyHash  bool            `json:"bodyHash,omitempty"`
}

func recordOf(a App) (*appRecord, error) {
	rec := &appRecord{Name: a.Name, Key: a.Key, Secret: a.Secret, Method: a.Method, Realm: a.Realm, BodyHash: a.BodyHash}
	if a.PublicKey != nil {
		pemBytes, err := oauthsig.PublicKeyPEM(a.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("sandbox: application %s: %w", a.Key, err)
		}
		rec.PublicKey = string(pemBytes)
	}
	return rec, nil
}

func (rec *appRecord) app() (App, error) {
	a := App{Name: rec.Name, Key: rec.Key, Secret: rec.Secret, Method: rec.Method, Realm: rec.Realm, BodyHash: rec.BodyHash}
	if rec.PublicKey != "" {
		pub, err := oauthsig.ParsePublicKey([]byte(rec.PublicKey))
		if err != nil {
			return App{}, fmt.Errorf("application %s: public key: %w", rec.Key, err)
		}
		a.PublicKey = pub
	}
	if err := a.validate(); err != nil {
		return App{}, err
	}
	return a, nil
}
