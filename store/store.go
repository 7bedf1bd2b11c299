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
	InsecureHTTP bool      `json:"insecureHTTP,omitempty"`
	CreatedAt    time.Time `json:"createdAt"`
}

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
// A zero CreatedAt is set to now.
func (s *Store) Save(p Profile, secret string) error {
	if err := checkProfile(p); err != nil {
		return err
	}
	if secret == "" {
		return fmt.Errorf("profile %q: empty token secret", p.Name)
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
	var oldSecret string
	hadOld := false
	if i >= 0 {
		if v, err := s.kr.Get(p.Name); err == nil {
			oldSecret, hadOld = v, true
		}
	}
	if err := s.kr.Set(p.Name, secret); err != nil {
		return fmt.Errorf("save token secret for profile %q: %w", p.Name, err)
	}
	if i >= 0 {
		d.Profiles[i] = p
	} else {
		d.Profiles = append(d.Profiles, p)
	}
	if d.Default == "" || d.index(d.Default) < 0 {
		d.Default = p.Name
	}
	if err := s.write(d); err != nil {
		// Best effort: the caller learns about the write failure either way.
		if hadOld {
			_ = s.kr.Set(p.Name, oldSecret)
		} else {
			_ = s.kr.Delete(p.Name)
		}
		return fmt.Errorf("save profile %q: %w", p.Name, err)
	}
	return nil
}

// checkProfile refuses a profile that could not be used or named again.
func checkProfile(p Profile) error {
	if !ValidName(p.Name) {
		return fmt.Errorf("invalid profile name %q: use 1-64 letters, digits, '.', '_' or '-'", p.Name)
	}
	if p.Server == "" || p.BaseURL == "" || p.AccountID == "" || p.Token == "" {
		return fmt.Errorf("profile %q: server, base URL, account and token are required", p.Name)
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
	oldSecret, getErr := s.kr.Get(name)
	if err := s.kr.Delete(name); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("delete token secret for profile %q: %w", name, err)
	}
	d.Profiles = append(d.Profiles[:i], d.Profiles[i+1:]...)
	if d.Default == name {
		d.Default = ""
		if len(d.Profiles) > 0 {
			d.Default = d.Profiles[0].Name
		}
	}
	if err := s.write(d); err != nil {
		// The file still names the profile: put its secret back, so that a
		// full or read-only disk leaves everything as it was.
		if getErr == nil {
			_ = s.kr.Set(name, oldSecret)
		}
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
