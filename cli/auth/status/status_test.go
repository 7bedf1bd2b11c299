package status

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

func TestNewCmdStatusFlags(t *testing.T) {
	var opened []time.Duration
	f := &cmdutil.Factory{
		IOStreams:      &cmdutil.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}},
		KeyringTimeout: 3 * time.Second,
		OpenStore: func(d time.Duration) (*store.Store, error) {
			opened = append(opened, d)
			return store.Open(t.TempDir(), store.NewMemoryKeyring())
		},
	}
	var got *Options
	cmd := NewCmdStatus(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmdutil.PrepareRoot(cmd, f.IOStreams)
	if _, err := cmdutil.Execute(cmd, []string{"--profile", "work"}); err != nil || got == nil || got.Profile != "work" || got.IO != f.IOStreams {
		t.Fatalf("status --profile work: %v %+v", err, got)
	}
	if _, err := got.Store(); err != nil || len(opened) != 1 || opened[0] != 3*time.Second {
		t.Fatalf("Store is not the Factory's: %v %v", err, opened)
	}
	for _, args := range [][]string{{"extra"}, {"--bogus"}} {
		var fe *cmdutil.FlagError
		if _, err := cmdutil.Execute(cmd, args); !errors.As(err, &fe) {
			t.Errorf("%v: %v, want a FlagError", args, err)
		}
	}
}
