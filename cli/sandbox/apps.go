package sandbox

import (
	"errors"
	"os"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/sandbox"
)

// appFlags are the flags that register applications and give them a
// signature method, a realm or the body hash requirement.
type appFlags struct {
	Apps     []string // KEY:SECRET[:NAME]
	RSA      []string // KEY:PUBKEYFILE[:NAME]
	Methods  []string // KEY=METHOD
	Realms   []string // KEY=REALM
	BodyHash []string // KEY
}

// apps builds the applications the flags register, in order: --app, then
// --app-rsa; --app-method, --app-realm and --app-body-hash then refine
// applications registered by those two. Errors name the flag and the key,
// never a secret.
func (f appFlags) apps() ([]sandbox.App, error) {
	var out []sandbox.App
	index := map[string]int{}
	add := func(a sandbox.App) {
		if i, ok := index[a.Key]; ok {
			out[i] = a // a later flag for the key replaces it, as --app did
			return
		}
		index[a.Key] = len(out)
		out = append(out, a)
	}
	for _, s := range f.Apps {
		a, err := parseApp(s)
		if err != nil {
			return nil, err
		}
		add(a)
	}
	for _, s := range f.RSA {
		a, err := parseRSAApp(s)
		if err != nil {
			return nil, err
		}
		add(a)
	}
	lookup := func(flag, key string) (*sandbox.App, error) {
		i, ok := index[key]
		if key == "" || !ok {
			return nil, cmdutil.FlagErrorf("%s %s: no application with that key is registered by --app or --app-rsa", flag, key)
		}
		return &out[i], nil
	}
	for _, s := range f.Methods {
		key, name, ok := strings.Cut(s, "=")
		if !ok {
			return nil, cmdutil.FlagErrorf("--app-method wants KEY=METHOD, got %q", s)
		}
		a, err := lookup("--app-method", key)
		if err != nil {
			return nil, err
		}
		m, err := oauthsig.ParseMethod(name)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--app-method %s: %v", key, err)
		}
		if m.IsRSA() != (a.PublicKey != nil) {
			if m.IsRSA() {
				return nil, cmdutil.FlagErrorf("--app-method %s=%s: %s verifies with a public key: register the application with --app-rsa KEY:PUBKEYFILE", key, m, m)
			}
			return nil, cmdutil.FlagErrorf("--app-method %s=%s: the application was registered with --app-rsa; %s needs a secret (--app KEY:SECRET)", key, m, m)
		}
		a.Method = m
	}
	for _, s := range f.Realms {
		key, realm, ok := strings.Cut(s, "=")
		if !ok || realm == "" {
			return nil, cmdutil.FlagErrorf("--app-realm wants KEY=REALM, got %q", s)
		}
		a, err := lookup("--app-realm", key)
		if err != nil {
			return nil, err
		}
		a.Realm = realm
	}
	for _, key := range f.BodyHash {
		a, err := lookup("--app-body-hash", key)
		if err != nil {
			return nil, err
		}
		a.BodyHash = true
	}
	return out, nil
}

// parseApp reads KEY:SECRET[:NAME]. The secret may not contain ':' when a
// name follows; keys never contain ':'.
func parseApp(s string) (sandbox.App, error) {
	key, rest, ok := strings.Cut(s, ":")
	if !ok || key == "" || rest == "" {
		return sandbox.App{}, cmdutil.FlagErrorf("--app wants KEY:SECRET[:NAME], got %q", redact(s))
	}
	secret, name, _ := strings.Cut(rest, ":")
	if secret == "" {
		return sandbox.App{}, cmdutil.FlagErrorf("--app %s: empty secret", key)
	}
	if name == "" {
		name = key
	}
	return sandbox.App{Key: key, Secret: secret, Name: name}, nil
}

// parseRSAApp reads KEY:PUBKEYFILE[:NAME]. The file is tried whole first,
// so a path with a colon (C:\keys\pub.pem) works when no name follows.
func parseRSAApp(s string) (sandbox.App, error) {
	key, rest, ok := strings.Cut(s, ":")
	if !ok || key == "" || rest == "" {
		return sandbox.App{}, cmdutil.FlagErrorf("--app-rsa wants KEY:PUBKEYFILE[:NAME], got %q", s)
	}
	file, name := rest, key
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		if i := strings.LastIndexByte(rest, ':'); i > 0 {
			file, name = rest[:i], rest[i+1:]
			data, err = os.ReadFile(file)
		}
	}
	if err != nil {
		return sandbox.App{}, cmdutil.FlagErrorf("--app-rsa %s: %v", key, err)
	}
	pub, err := oauthsig.ParsePublicKey(data)
	if err != nil {
		msg := err.Error()
		if strings.Contains(string(data), "PRIVATE KEY-----") {
			// Said without quoting the file: it holds a private key.
			msg = "the file holds a private key; register its public half (openssl pkey -in KEY -pubout -out PUB.pem)"
		}
		return sandbox.App{}, cmdutil.FlagErrorf("--app-rsa %s: %s: %s", key, file, msg)
	}
	if name == "" {
		name = key
	}
	return sandbox.App{Key: key, Name: name, PublicKey: pub}, nil
}

// redact keeps a secret given on the command line out of error messages.
func redact(s string) string {
	if key, _, ok := strings.Cut(s, ":"); ok {
		return key + ":…"
	}
	return s
}
