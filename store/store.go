// Package store keeps lpdesk's profiles: everything needed to reach an
// account except the access-token secret in a JSON file (profiles.json under
// os.UserConfigDir()/lpdesk, or LPDESK_CONFIG_DIR), and the access-token
// secret in the OS keyring only (service "lpdesk", one item per profile).
//
// There is no plaintext fallback: when the OS keyring is unavailable, saving
// fails with an *UnavailableError that says what to start or unlock. The
// in-memory keyring (NewMemoryKeyring) exists for `lpdesk demo` alone, which
// must choose it explicitly.
//
// The file is written atomically (temp file in the same directory, fsync,
// rename), mode 0600 in a 0700 directory. A Store serializes its own
// operations; two processes saving at the same instant can still lose one
// update (last writer wins), which is acceptable for a file changed only by
// an administrator's install, default and logout actions.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/lpdesk/lpdesk/apiclient"
	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// FileName is the profile file's name inside the config directory.
const FileName = "profiles.json"

// ErrProfileNotFound reports a profile name the file does not hold, or no
// default profile.
var ErrProfileNotFound = errors.New("profile not found")

// Profile is one authorized account. None of its fields is secret: the
// access-token secret lives in the keyring under the profile's Name.
type Profile struct {
	Name string `json:"name"`
	// Server is the provider's root URL, e.g. https://sandbox.example.
	Server string `json:"server"`
	// BaseURL is the account's base resource, e.g. {Server}/api/account/123.
	BaseURL string `json:"baseURL"`
	// Services maps a platform service's Domain API name (agentVep,
	// conversationVep, …) to its base URL, {scheme}://{host}/api/account/123,
	// as discovery recorded it at login. Requests for a service not listed
	// go to BaseURL; profiles written before services existed have none.
	Services  map[string]string `json:"services,omitempty"`
	AccountID string            `json:"accountID"`
	// ConsumerKey is the application key the token was granted to; a token
	// only works with that application's signature.
	ConsumerKey string `json:"consumerKey"`
	// Token is the access token's public key (oauth_token).
	Token string `json:"token"`
	// Auth, Placement, Format and FormatBy are the client's options, kept
	// in the file as their words ("oauth", "header", "json", "accept") and
	// parsed on load; unset (absent) means the client's default.
	Auth      apiclient.Auth      `json:"auth,omitempty"`
	Placement apiclient.Placement `json:"placement,omitempty"`
	Format    wire.Format         `json:"format,omitempty"`
	FormatBy  apiclient.FormatBy  `json:"formatBy,omitempty"`
	// InsecureHTTP records that the profile was created with
	// --insecure-http: its server or base URL may be plain http on a host
	// that is not loopback. Clients built from it allow that, and every
	// command that uses it warns again.
	InsecureHTTP bool `json:"insecureHTTP,omitempty"`

	// The fields below describe a provider other than the LivePerson-style
	// platform, or an application of the admin's own; all are absent from
	// profiles written before they existed, which keep their meaning.

	// Provider is the preset the profile was made from ("custom" for
	// endpoints typed in, "" for the LivePerson-style platform).
	Provider string `json:"provider,omitempty"`
	// Dialect is the provider's REST conventions; unset means
	// apiclient.DialectLivePerson.
	Dialect apiclient.Dialect `json:"dialect,omitempty"`
	// SignatureMethod signs the profile's requests; "" means HMAC-SHA1.
	SignatureMethod oauthsig.Method `json:"signatureMethod,omitempty"`
	// Realm is sent as the Authorization header's realm (NetSuite's
	// account id).
	Realm string `json:"realm,omitempty"`
	// BodyHash adds oauth_body_hash to requests with non-form bodies.
	BodyHash bool `json:"bodyHash,omitempty"`
	// Endpoints are the OAuth URLs the token came from, so that a login
	// can be repeated and a revocation sent where it belongs.
	Endpoints Endpoints `json:"endpoints,omitzero"`
	// AppCredentials is true when the profile carries its own application
	// (ConsumerKey) instead of the one built into lpdesk: its consumer
	// secret, or its RSA private key in PEM, is then kept in the keyring
	// under AppItem(Name), never in this file.
	AppCredentials bool `json:"appCredentials,omitempty"`
	// CheckURL is the resource one signed GET of proves the token works
	// ("" for the LivePerson-style platform: its base resource).
	CheckURL  string    `json:"checkURL,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}

// Endpoints are a provider's OAuth 1.0a URLs.
type Endpoints struct {
	RequestToken string `json:"requestToken,omitempty"`
	Authorize    string `json:"authorize,omitempty"`
	AccessToken  string `json:"accessToken,omitempty"`
	Revoke       string `json:"revoke,omitempty"`
}

// Generic reports whether the profile talks to a provider other than the
// LivePerson-style platform (no v=1, no account discovery).
func (p Profile) Generic() bool { return p.Dialect == apiclient.DialectGeneric }

type fileData struct {
	Version  int       `json:"version"`
	Default  string    `json:"default"`
	Profiles []Profile `json:"profiles"`
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidName reports whether name can be a profile name: 1–64 letters,
// digits, '.', '_' or '-', starting with a letter or digit.
func ValidName(name string) bool { return nameRE.MatchString(name) }

// Store is the profile file plus the keyring holding the secrets.
type Store struct {
	dir string
	kr  Keyring
	mu  sync.Mutex
}

// DefaultDir returns LPDESK_CONFIG_DIR when set, otherwise
// os.UserConfigDir()/lpdesk.
func DefaultDir() (string, error) {
	if d := os.Getenv("LPDESK_CONFIG_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("config dir: %w", err)
	}
	return filepath.Join(d, "lpdesk"), nil
}

// Open returns the store in dir ("" means DefaultDir()) with secrets in kr
// (nil means SystemKeyring(0)). It touches neither the disk nor the keyring;
// the directory is created on the first save.
func Open(dir string, kr Keyring) (*Store, error) {
	if dir == "" {
		var err error
		if dir, err = DefaultDir(); err != nil {
			return nil, err
		}
	}
	if kr == nil {
		kr = SystemKeyring(0)
	}
	return &Store{dir: dir, kr: kr}, nil
}

// Dir is the config directory.
func (s *Store) Dir() string { return s.dir }

// Path is the profile file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// Keyring is the keyring the store keeps secrets in.
func (s *Store) Keyring() Keyring { return s.kr }

// CheckKeyring tells whether the store's keyring answers (see Check).
func (s *Store) CheckKeyring() error { return Check(s.kr) }

// List returns the profiles sorted by name and the default profile's name
// ("" when there are none). A missing file is an empty list.
func (s *Store) List() ([]Profile, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.load()
	if err != nil {
		return nil, "", err
	}
	return d.Profiles, d.Default, nil
}

// Get returns the named profile or an error wrapping ErrProfileNotFound.
func (s *Store) Get(name string) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, i, err := s.locate(name)
	if err != nil {
		return Profile{}, err
	}
	return d.Profiles[i], nil
}

// Default returns the default profile or an error wrapping
// ErrProfileNotFound when there is none.
func (s *Store) Default() (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.load()
	if err != nil {
		return Profile{}, err
	}
	if i := d.index(d.Default); d.Default != "" && i >= 0 {
		return d.Profiles[i], nil
	}
	return Profile{}, fmt.Errorf("no default profile (run `lpdesk auth login`): %w", ErrProfileNotFound)
}

// Resolve returns the named profile, or the default one when name is "".
func (s *Store) Resolve(name string) (Profile, error) {
	if name == "" {
		return s.Default()
	}
	return s.Get(name)
}

// Save stores secret in the keyring under p.Name, then adds or replaces p in
// the file. The keyring goes first so that a file never names a profile
// whose secret could not be stored; if the file write then fails, the
// keyring item is put back as it was. The first profile becomes the default.
// A zero CreatedAt is set to now. A profile with its own application
// (p.AppCredentials) is saved with SaveWithApp instead.
func (s *Store) Save(p Profile, secret string) error {
	if p.AppCredentials {
		return fmt.Errorf("profile %q has its own application: its secret must be saved too (SaveWithApp)", p.Name)
	}
	return s.SaveWithApp(p, secret, "")
}

// SaveWithApp is Save for a profile that may carry its own application:
// appSecret (the consumer secret, or the RSA private key in PEM) goes to the
// keyring item AppItem(p.Name) when p.AppCredentials is set, and must be ""
// otherwise. Replacing a profile that had its own application with one that
// has none removes the old application item. Every keyring change is undone
// when a later step fails.
func (s *Store) SaveWithApp(p Profile, secret, appSecret string) error {
	if err := checkProfile(p); err != nil {
		return err
	}
	if secret == "" {
		return fmt.Errorf("profile %q: empty token secret", p.Name)
	}
	if p.AppCredentials != (appSecret != "") {
		if p.AppCredentials {
			return fmt.Errorf("profile %q: empty application secret", p.Name)
		}
		return fmt.Errorf("profile %q: an application secret for a profile that uses lpdesk's own application", p.Name)
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now().UTC().Truncate(time.Second)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.load()
	if err != nil {
		return err
	}
	i := d.index(p.Name)
	existed := i >= 0
	changes := []itemChange{{item: p.Name, value: secret, what: "token secret"}}
	if p.AppCredentials {
		changes = append(changes, itemChange{item: AppItem(p.Name), value: appSecret, what: "application secret"})
	} else if existed && d.Profiles[i].AppCredentials {
		changes = append(changes, itemChange{item: AppItem(p.Name), remove: true, what: "application secret"})
	}
	undo, err := s.applyItems(p.Name, changes, existed)
	if err != nil {
		return err
	}
	if existed {
		d.Profiles[i] = p
	} else {
		d.Profiles = append(d.Profiles, p)
	}
	if d.Default == "" || d.index(d.Default) < 0 {
		d.Default = p.Name
	}
	if err := s.write(d); err != nil {
		// Best effort: the caller learns about the write failure either way.
		undo()
		return fmt.Errorf("save profile %q: %w", p.Name, err)
	}
	return nil
}

// itemChange is one keyring item to set, or to remove.
type itemChange struct {
	item, value, what string
	remove            bool
}

// applyItems makes changes in order and returns what puts them back. Old
// values are read only when the profile existed (a new profile has none,
// and reading can cost a prompt). A failing change undoes the earlier ones.
// A missing item to remove is fine.
func (s *Store) applyItems(name string, changes []itemChange, existed bool) (undo func(), err error) {
	type previous struct {
		item, value string
		had         bool
	}
	var done []previous
	undo = func() {
		for j := len(done) - 1; j >= 0; j-- {
			if done[j].had {
				_ = s.kr.Set(done[j].item, done[j].value)
			} else {
				_ = s.kr.Delete(done[j].item)
			}
		}
	}
	for _, c := range changes {
		prev := previous{item: c.item}
		if existed {
			if v, err := s.kr.Get(c.item); err == nil {
				prev.value, prev.had = v, true
			}
		}
		var err error
		if c.remove {
			if err = s.kr.Delete(c.item); errors.Is(err, ErrNotFound) {
				err = nil
			}
		} else {
			err = s.kr.Set(c.item, c.value)
		}
		if err != nil {
			undo()
			verb := "save"
			if c.remove {
				verb = "delete"
			}
			return nil, fmt.Errorf("%s %s for profile %q: %w", verb, c.what, name, err)
		}
		done = append(done, prev)
	}
	return undo, nil
}

// AppItem is the keyring item holding the secret of a profile's own
// application. Profile names cannot contain ':', so it never collides with
// a profile's token item.
func AppItem(profile string) string { return profile + ":app" }

// checkProfile refuses a profile that could not be used or named again.
func checkProfile(p Profile) error {
	if !ValidName(p.Name) {
		return fmt.Errorf("invalid profile name %q: use 1-64 letters, digits, '.', '_' or '-'", p.Name)
	}
	if p.Generic() {
		// Other providers have no account id in their URLs.
		if p.Server == "" || p.BaseURL == "" || p.Token == "" {
			return fmt.Errorf("profile %q: server, base URL and token are required", p.Name)
		}
	} else if p.Server == "" || p.BaseURL == "" || p.AccountID == "" || p.Token == "" {
		return fmt.Errorf("profile %q: server, base URL, account and token are required", p.Name)
	}
	if p.AppCredentials && p.ConsumerKey == "" {
		return fmt.Errorf("profile %q: its own application needs a consumer key", p.Name)
	}
	return nil
}

// SetDefault makes name the default profile.
func (s *Store) SetDefault(name string) error {
	return s.edit(name, func(d *fileData, _ int) error {
		d.Default = name
		return s.write(d)
	})
}

// Delete removes the profile's keyring item and then the profile. A missing
// keyring item is fine; any other keyring error stops the deletion with the
// profile still in the file, so that the secret is never orphaned in a
// keyring the user can no longer name. If the file then cannot be written,
// the keyring item is put back as it was. When the default goes, the first
// remaining profile (by name) becomes the default.
func (s *Store) Delete(name string) error {
	return s.edit(name, func(d *fileData, i int) error { return s.delete(d, i) })
}

func (s *Store) delete(d *fileData, i int) error {
	name := d.Profiles[i].Name
	changes := []itemChange{{item: name, remove: true, what: "token secret"}}
	if d.Profiles[i].AppCredentials {
		changes = append(changes, itemChange{item: AppItem(name), remove: true, what: "application secret"})
	}
	undo, err := s.applyItems(name, changes, true)
	if err != nil {
		return err
	}
	d.Profiles = append(d.Profiles[:i], d.Profiles[i+1:]...)
	if d.Default == name {
		d.Default = ""
		if len(d.Profiles) > 0 {
			d.Default = d.Profiles[0].Name
		}
	}
	if err := s.write(d); err != nil {
		// The file still names the profile: put its secrets back, so that
		// a full or read-only disk leaves everything as it was.
		undo()
		return fmt.Errorf("delete profile %q: %w", name, err)
	}
	return nil
}

// Secret returns the profile's access-token secret from the keyring. Errors:
// ErrProfileNotFound, ErrNotFound (the profile exists, its secret does not),
// *UnavailableError, *TimeoutError.
func (s *Store) Secret(name string) (string, error) {
	if _, err := s.Get(name); err != nil {
		return "", err
	}
	v, err := s.kr.Get(name)
	if err != nil {
		return "", fmt.Errorf("token secret for profile %q: %w", name, err)
	}
	return v, nil
}

// SecretLocation names where the profile's secret is kept, for people.
func (s *Store) SecretLocation(name string) string { return s.kr.Locate(name) }

// ErrNoAppCredentials reports a profile that uses lpdesk's own application,
// so there is no application secret of its own to read.
var ErrNoAppCredentials = errors.New("the profile uses lpdesk's own application")

// AppSecret returns the consumer secret (or the RSA private key in PEM) of
// the profile's own application from the keyring. Errors:
// ErrProfileNotFound, ErrNoAppCredentials, ErrNotFound (the profile exists,
// its item does not), *UnavailableError, *TimeoutError; none holds the
// secret.
func (s *Store) AppSecret(name string) (string, error) {
	p, err := s.Get(name)
	if err != nil {
		return "", err
	}
	if !p.AppCredentials {
		return "", fmt.Errorf("profile %q: %w", name, ErrNoAppCredentials)
	}
	v, err := s.kr.Get(AppItem(name))
	if err != nil {
		return "", fmt.Errorf("application secret for profile %q: %w", name, err)
	}
	return v, nil
}

// AppSecretLocation names where the profile's application secret is kept,
// for people (the item's name, never its value).
func (s *Store) AppSecretLocation(name string) string { return s.kr.Locate(AppItem(name)) }

// edit runs change on the file and the index of the named profile in it,
// holding the store's lock; the profile must exist.
func (s *Store) edit(name string, change func(d *fileData, i int) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, i, err := s.locate(name)
	if err != nil {
		return err
	}
	return change(d, i)
}

// locate loads the file and finds the named profile in it, or fails with an
// error wrapping ErrProfileNotFound. The caller holds s.mu.
func (s *Store) locate(name string) (*fileData, int, error) {
	d, err := s.load()
	if err != nil {
		return nil, -1, err
	}
	i := d.index(name)
	if i < 0 {
		return nil, -1, fmt.Errorf("profile %q: %w", name, ErrProfileNotFound)
	}
	return d, i, nil
}

func (d *fileData) index(name string) int {
	for i, p := range d.Profiles {
		if p.Name == name {
			return i
		}
	}
	return -1
}

func (s *Store) load() (*fileData, error) {
	b, err := os.ReadFile(s.Path())
	if errors.Is(err, os.ErrNotExist) {
		return &fileData{Version: 1}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read profiles: %w", err)
	}
	var d fileData
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("read profiles %s: %w", s.Path(), err)
	}
	sort.Slice(d.Profiles, func(i, j int) bool { return d.Profiles[i].Name < d.Profiles[j].Name })
	return &d, nil
}

// syncFile is a seam for tests that simulate a disk failing mid-write.
var syncFile = (*os.File).Sync

// write replaces the file atomically: on any failure the previous file is
// left as it was and the temp file is removed.
func (s *Store) write(d *fileData) (err error) {
	d.Version = 1
	sort.Slice(d.Profiles, func(i, j int) bool { return d.Profiles[i].Name < d.Profiles[j].Name })
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("create config dir: %w", err)
	}
	f, err := os.CreateTemp(s.dir, "."+FileName+".*.tmp")
	if err != nil {
		return fmt.Errorf("write profiles: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return fmt.Errorf("write profiles: %w", err)
	}
	if _, err = f.Write(b); err != nil {
		return fmt.Errorf("write profiles: %w", err)
	}
	if err = syncFile(f); err != nil {
		return fmt.Errorf("write profiles: sync: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write profiles: %w", err)
	}
	if err = os.Rename(tmp, s.Path()); err != nil {
		return fmt.Errorf("write profiles: %w", err)
	}
	// Persist the rename itself; not every platform can sync a directory.
	if df, derr := os.Open(s.dir); derr == nil {
		_ = df.Sync()
		_ = df.Close()
	}
	return nil
}
