package version

import (
	"bytes"
	"errors"
	"runtime/debug"
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

func TestFormatNamesTheCommit(t *testing.T) {
	noInfo := func() (*debug.BuildInfo, bool) { return nil, false }
	info := func(kv ...string) func() (*debug.BuildInfo, bool) {
		bi := &debug.BuildInfo{}
		for i := 0; i+1 < len(kv); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return func() (*debug.BuildInfo, bool) { return bi, true }
	}
	rev := "0123456789abcdef0123456789abcdef01234567"
	for _, c := range []struct {
		stamped string
		info    func() (*debug.BuildInfo, bool)
		want    string
	}{
		{"", noInfo, ""},
		{"", info(), ""},
		{"", info("vcs.revision", rev, "vcs.modified", "false"), "0123456789ab"},
		{"", info("vcs.revision", rev, "vcs.modified", "true"), "0123456789ab-dirty"},
		{"808ce6a", info("vcs.revision", rev), "808ce6a"}, // -X wins over the go command's stamp
	} {
		if got := commit(c.stamped, c.info); got != c.want {
			t.Errorf("commit(%q, …) = %q, want %q", c.stamped, got, c.want)
		}
	}

	old := Commit
	t.Cleanup(func() { Commit = old })
	Commit = "808ce6a1b2c3"
	if got := Format("1.2.3"); got != "lpdesk 1.2.3 (commit 808ce6a1b2c3)\n" {
		t.Fatalf("Format with a stamped commit = %q", got)
	}
}
