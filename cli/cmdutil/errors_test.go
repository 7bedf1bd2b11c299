package cmdutil

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/logging"
)

func TestExitCode(t *testing.T) {
	cmd := &cobra.Command{Use: "lpdesk"}
	sub := &cobra.Command{Use: "status"}
	cmd.AddCommand(sub)
	for _, tc := range []struct {
		err  error
		code int
		line string
	}{
		{nil, 0, ""},
		{SilentError, 1, ""},
		{fmt.Errorf("wrapped: %w", SilentError), 1, ""},
		{errors.New("no profiles\n  in /x"), 1, "lpdesk: no profiles in /x\n"},
		{FlagErrorf("unexpected argument %q", "x"), 2, `lpdesk: unexpected argument "x" (see 'lpdesk status --help')` + "\n"},
		{fmt.Errorf("ctx: %w", FlagErrorf("bad")), 2, "lpdesk: ctx: bad (see 'lpdesk status --help')\n"},
	} {
		var w bytes.Buffer
		if code := ExitCode(sub, tc.err, &w); code != tc.code || w.String() != tc.line {
			t.Errorf("%v: %d %q, want %d %q", tc.err, code, w.String(), tc.code, tc.line)
		}
	}
}

// A flag error becomes a FlagError, and a single-dash long flag (which Go's
// flag package took) is told to take two dashes.
func TestFlagErrorFunc(t *testing.T) {
	var profile string
	cmd := &cobra.Command{Use: "status", Args: NoArgs, RunE: func(*cobra.Command, []string) error { return nil }}
	cmd.Flags().StringVar(&profile, "profile", "", "")
	ios := &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	PrepareRoot(cmd, ios)
	var fe *FlagError
	for args, hint := range map[string]string{"-profile=x": "--profile", "-pr": "", "--bogus": "", "extra": ""} {
		_, err := Execute(cmd, []string{args})
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a FlagError", args, err)
			continue
		}
		if has := strings.Contains(err.Error(), "two dashes"); has != (hint != "") || !strings.Contains(err.Error(), hint) {
			t.Errorf("%s: %q, want hint %q", args, err, hint)
		}
	}
}

func TestRunGroup(t *testing.T) {
	group := &cobra.Command{Use: "auth", RunE: RunGroup}
	run := func(*cobra.Command, []string) error { return nil }
	group.AddCommand(&cobra.Command{Use: "login", RunE: run}, &cobra.Command{Use: "logout", RunE: run},
		&cobra.Command{Use: "hidden", Hidden: true, RunE: run})
	root := &cobra.Command{Use: "lpdesk"}
	root.AddCommand(group)
	ios := &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	PrepareRoot(root, ios)
	var fe *FlagError
	if _, err := Execute(root, []string{"auth"}); !errors.As(err, &fe) || !strings.Contains(err.Error(), `"lpdesk auth" needs a command: login, logout`) || strings.Contains(err.Error(), "hidden") {
		t.Errorf("bare group: %v", err)
	}
	if _, err := Execute(root, []string{"auth", "logni"}); !errors.As(err, &fe) || !strings.Contains(err.Error(), `unknown command "logni" for "lpdesk auth"; did you mean "login"?`) {
		t.Errorf("typo: %v", err)
	}
}

// An error that quotes a registered secret (a provider echoing what it
// received) is printed without it.
func TestExitCodeRedactsSecrets(t *testing.T) {
	logging.RegisterSecret("token-secret-XYZ123456")
	var b strings.Builder
	ExitCode(nil, errors.New("provider answered 401: signature was token-secret-XYZ123456"), &b)
	if strings.Contains(b.String(), "token-secret-XYZ123456") {
		t.Errorf("secret printed: %s", b.String())
	}
}
