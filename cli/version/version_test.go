package version

import (
	"bytes"
	"errors"
	"testing"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
)

func TestNewCmdVersion(t *testing.T) {
	var out bytes.Buffer
	f := &cmdutil.Factory{IOStreams: &cmdutil.IOStreams{Out: &out, ErrOut: &bytes.Buffer{}}}
	cmd := NewCmdVersion(f, "1.2.3", nil)
	cmdutil.PrepareRoot(cmd, f.IOStreams)
	if _, err := cmdutil.Execute(cmd, nil); err != nil || out.String() != "lpdesk 1.2.3\n" {
		t.Fatalf("%v %q", err, out.String())
	}

	var got *Options
	cmd = NewCmdVersion(f, "1.2.3", func(o *Options) error { got = o; return nil })
	cmdutil.PrepareRoot(cmd, f.IOStreams)
	if _, err := cmdutil.Execute(cmd, nil); err != nil || got == nil || got.Version != "1.2.3" || got.IO != f.IOStreams {
		t.Fatalf("runF: %v %+v", err, got)
	}
	var fe *cmdutil.FlagError
	if _, err := cmdutil.Execute(cmd, []string{"extra"}); !errors.As(err, &fe) {
		t.Fatalf("extra argument: %v", err)
	}
}
