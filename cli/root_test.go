package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
	versioncmd "github.com/lpdesk/lpdesk/cli/version"
	"github.com/lpdesk/lpdesk/logging"
	"github.com/lpdesk/lpdesk/store"
)

func run(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Main(args, &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, nil)
	return code, out.String(), errOut.String()
}

func TestDebugFlagAnywhere(t *testing.T) {
	for _, args := range [][]string{{"version", "--debug"}, {"--debug", "version"}} {
		logging.SetDefault(nil)
		code, out, _ := run(args...)
		if code != 0 || out != "lpdesk "+Version+"\n" {
			t.Fatalf("%v: exit %d, %q", args, code, out)
		}
		if !logging.DebugEnabled() {
			t.Fatalf("%v did not turn debug logging on", args)
		}
	}
	logging.SetDefault(nil)
	t.Setenv("LPDESK_DEBUG", "1")
	if code, _, _ := run("version"); code != 0 || !logging.DebugEnabled() {
		t.Fatalf("LPDESK_DEBUG=1: exit %d, debug %v", code, logging.DebugEnabled())
	}
	logging.SetDefault(nil)
}

func TestNoDisplayIsOneLine(t *testing.T) {
	code, _, errOut := run()
	if code != 1 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "no display") {
		t.Fatalf("want one line about the missing display, got %d %q", code, errOut)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errOut := run("frobnicate")
	if code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("got %d %q", code, errOut)
	}
	code, _, errOut = run("aut", "status")
	if code != 2 || !strings.Contains(errOut, `did you mean "auth"?`) {
		t.Fatalf("a typo: got %d %q", code, errOut)
	}
	code, _, errOut = run("auth", "frob")
	if code != 2 || !strings.Contains(errOut, `unknown command "frob" for "lpdesk auth"`) {
		t.Fatalf("unknown subcommand: got %d %q", code, errOut)
	}
	code, _, errOut = run("auth")
	if code != 2 || !strings.Contains(errOut, "login, logout, status") {
		t.Fatalf("bare auth: got %d %q", code, errOut)
	}
}

// Usage mistakes exit 2 with one line naming the command's help; help
// itself exits 0 on stdout.
func TestUsageAndHelp(t *testing.T) {
	for _, args := range [][]string{
		{"version", "--bogus"},
		{"version", "extra"},
		{"api"},
		{"api", "skills", "-X", "OPTIONS"},
		{"sandbox", "--seed", "0"},
		{"completion"},
		{"completion", "tcsh"},
		{"auth", "login", "--account", "1"},
	} {
		code, _, errOut := run(args...)
		if code != 2 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "(see 'lpdesk ") {
			t.Errorf("%v: exit %d, %q; want 2 and one line", args, code, errOut)
		}
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"help", "api"}, {"api", "-h"}, {"auth", "login", "--help"}} {
		code, out, errOut := run(args...)
		if code != 0 || !strings.Contains(out, "Usage:") || errOut != "" {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, out, errOut)
		}
	}
	if _, out, _ := run("help"); !strings.Contains(out, "With no command it opens the window") || !strings.Contains(out, "completion") {
		t.Errorf("lpdesk help:\n%s", out)
	}
	if code, out, _ := run("--version"); code != 0 || out != "lpdesk "+Version+"\n" {
		t.Errorf("--version: %d %q", code, out)
	}
}

// Every command has examples in its help.
func TestEveryCommandHasExamples(t *testing.T) {
	root := NewCmdRoot(cmdutil.NewFactory(&cmdutil.IOStreams{}, nil), Version)
	stack := []*cobra.Command{root}
	for len(stack) > 0 {
		c := stack[0]
		stack = append(stack[1:], c.Commands()...)
		if c.Example == "" {
			t.Errorf("%s has no Example", c.CommandPath())
		}
	}
}

// Go's flag package, used before cobra, took -profile for --profile; pflag
// does not, and the error says what to type.
func TestSingleDashLongFlagSaysTwoDashes(t *testing.T) {
	code, _, errOut := run("auth", "status", "-profile", "work")
	if code != 2 || !strings.Contains(errOut, "long flags take two dashes: --profile") {
		t.Fatalf("got %d %q", code, errOut)
	}
}

var errStop = errors.New("store opener reached")

// recordingFactory is the real Factory with a store opener that records the
// keyring timeout it is given and stops the command there.
func recordingFactory(got *[]time.Duration, desk *Desktop) (*cmdutil.Factory, *bytes.Buffer) {
	var errOut bytes.Buffer
	f := cmdutil.NewFactory(&cmdutil.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut}, desk)
	f.OpenStore = func(d time.Duration) (*store.Store, error) {
		*got = append(*got, d)
		return nil, errStop
	}
	return f, &errOut
}

// --keyring-timeout is global: wherever it stands, every command that opens
// the keyring (and the window) opens it with that timeout; without it,
// LPDESK_KEYRING_TIMEOUT decides.
func TestKeyringTimeoutReachesEveryCommand(t *testing.T) {
	t.Setenv("LPDESK_CONFIG_DIR", t.TempDir()) // should a command bypass the Factory
	window := &Desktop{HasDisplay: func() bool { return true }, Run: func(open func() (*store.Store, error)) error {
		_, err := open()
		return err
	}}
	lines := [][]string{
		{"auth", "login", "--server", "http://127.0.0.1:1", "--account", "1"},
		{"auth", "status"},
		{"auth", "logout"},
		{"api", "skills"},
		{"proxy", "--listen", "127.0.0.1:0"},
		{},
	}
	for _, args := range lines {
		for _, placed := range [][]string{
			append([]string{"--keyring-timeout", "7s"}, args...),
			append(append([]string{}, args...), "--keyring-timeout=7s"),
		} {
			var got []time.Duration
			f, errOut := recordingFactory(&got, window)
			code := mainWith(f, placed)
			if code != 1 || !strings.Contains(errOut.String(), errStop.Error()) || len(got) != 1 || got[0] != 7*time.Second {
				t.Errorf("lpdesk %v: exit %d, timeouts %v, stderr %q", placed, code, got, errOut)
			}
		}
	}
	t.Setenv("LPDESK_KEYRING_TIMEOUT", "9s")
	for _, args := range lines {
		var got []time.Duration
		f, _ := recordingFactory(&got, window)
		if mainWith(f, args); len(got) != 1 || got[0] != 9*time.Second {
			t.Errorf("lpdesk %v with LPDESK_KEYRING_TIMEOUT=9s: timeouts %v", args, got)
		}
	}
}

// --version and `lpdesk version` say the same, commit included.
func TestVersionFlagNamesTheCommit(t *testing.T) {
	old := versioncmd.Commit
	t.Cleanup(func() { versioncmd.Commit = old })
	versioncmd.Commit = "808ce6a1b2c3"
	want := "lpdesk " + Version + " (commit 808ce6a1b2c3)\n"
	for _, args := range [][]string{{"--version"}, {"version"}} {
		if code, out, _ := run(args...); code != 0 || out != want {
			t.Errorf("%v: %d %q, want %q", args, code, out, want)
		}
	}
}
