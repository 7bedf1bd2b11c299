package logout

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/store"
)

func TestNewCmdLogoutFlags(t *testing.T) {
	var opened []time.Duration
	f := &cmdutil.Factory{
		IOStreams:      &cmdutil.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}},
		KeyringTimeout: 3 * time.Second,
		OpenStore: func(d time.Duration) (*store.Store, error) {
			opened = append(opened, d)
			return store.Open(t.TempDir(), store.NewMemoryKeyring())
		},
	}
	parse := func(args ...string) (*Options, error) {
		var got *Options
		cmd := NewCmdLogout(f, func(_ context.Context, o *Options) error { got = o; return nil })
		cmdutil.PrepareRoot(cmd, f.IOStreams)
		_, err := cmdutil.Execute(cmd, args)
		return got, err
	}
	o, err := parse()
	if err != nil || o.Profile != "" || o.Revoke {
		t.Fatalf("defaults: %v %+v", err, o)
	}
	o, err = parse("--revoke", "--profile", "work")
	if err != nil || o.Profile != "work" || !o.Revoke || o.IO != f.IOStreams {
		t.Fatalf("--revoke --profile work: %v %+v", err, o)
	}
	if _, err := o.Store(); err != nil || len(opened) != 1 || opened[0] != 3*time.Second {
		t.Fatalf("Store is not the Factory's: %v %v", err, opened)
	}
	for _, args := range [][]string{{"extra"}, {"--bogus"}} {
		var fe *cmdutil.FlagError
		if _, err := parse(args...); !errors.As(err, &fe) {
			t.Errorf("%v: %v, want a FlagError", args, err)
		}
	}
}
