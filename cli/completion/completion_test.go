package completion_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/cli"
	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/cli/completion"
)

// TestHelperLpdesk is lpdesk itself when the completion script calls it
// back (`lpdesk __complete …`): the test binary re-run with the arguments
// after "--".
func TestHelperLpdesk(t *testing.T) {
	if os.Getenv("LPDESK_COMPLETION_HELPER") != "1" {
		t.Skip("the lpdesk executable of TestBashCompletion")
	}
	i := slices.Index(os.Args, "--")
	os.Exit(cli.Main(os.Args[i+1:], cmdutil.System(), nil))
}

// bashHarness is sourced before the script. Where the bash-completion
// package is missing it stands in for the one function of it the script
// needs; compopt only works inside a real completion, so it is a no-op here.
const bashHarness = `
if [ -r /usr/share/bash-completion/bash_completion ]; then
	. /usr/share/bash-completion/bash_completion
fi
if ! declare -F _get_comp_words_by_ref >/dev/null; then
	_get_comp_words_by_ref() {
		cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
	}
fi
compopt() { :; }
# complete WORD…: what TAB offers after the words, the last being the one
# under the cursor (possibly empty), one per line, then a "--" line.
complete_words() {
	COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
	COMP_LINE="$*" COMP_POINT=${#COMP_LINE} COMPREPLY=()
	local fn
	fn=$(complete -p lpdesk | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
	"$fn" lpdesk "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	printf '%s\n' "${COMPREPLY[@]}" --
}
`

// The script from `lpdesk completion bash`, loaded in bash, completes
// subcommands, flags (long and short, the command's and the global ones)
// and flag values, calling lpdesk back as a real shell would.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not installed")
	}
	dir := t.TempDir()
	var script, errOut bytes.Buffer
	if code := cli.Main([]string{"completion", "bash"}, &cmdutil.IOStreams{In: strings.NewReader(""), Out: &script, ErrOut: &errOut}, nil); code != 0 {
		t.Fatalf("lpdesk completion bash: exit %d: %s", code, errOut.String())
	}
	scriptFile := filepath.Join(dir, "lpdesk.bash")
	if err := os.WriteFile(scriptFile, script.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "lpdesk")
	wrapper := "#!/bin/sh\nexec " + shellQuote(os.Args[0]) + " -test.run='^TestHelperLpdesk$' -- \"$@\"\n"
	if err := os.WriteFile(exe, []byte(wrapper), 0o700); err != nil {
		t.Fatal(err)
	}

	cases := [][]string{
		{"lpdesk", "a"},
		{"lpdesk", "api", "--"},
		{"lpdesk", "api", "-"},
		{"lpdesk", "api", "skills", "--method", ""},
		{"lpdesk", "--debug", "auth", ""},
		{"lpdesk", "completion", ""},
	}
	var prog strings.Builder
	prog.WriteString(bashHarness)
	prog.WriteString(". " + shellQuote(scriptFile) + "\n")
	prog.WriteString("complete -p lpdesk >&2\n")
	for _, c := range cases {
		prog.WriteString("complete_words")
		for _, w := range c {
			prog.WriteString(" " + shellQuote(w))
		}
		prog.WriteString("\n")
	}
	cmd := exec.CommandContext(context.Background(), bash, "--norc", "--noprofile", "-c", prog.String())
	cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"LPDESK_COMPLETION_HELPER=1", "LPDESK_CONFIG_DIR="+dir, "GORACE=atexit_sleep_ms=0")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("bash: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "-F __start_lpdesk lpdesk") {
		t.Fatalf("the script registered no completion for lpdesk; complete -p said:\n%s", stderr.String())
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "--\n"), "--\n")
	if len(got) != len(cases) {
		t.Fatalf("%d answers for %d cases:\n%s\nstderr:\n%s", len(got), len(cases), out.String(), stderr.String())
	}
	offers := func(i int) []string { return strings.Fields(got[i]) }

	if o := offers(0); !slices.Equal(o, []string{"api", "auth"}) {
		t.Errorf("lpdesk a<TAB>: %q, want api and auth", o)
	}
	for _, want := range []string{"--method", "--header", "--include", "--input", "--profile", "--insecure-http", "--keyring-timeout", "--debug"} {
		if !slices.Contains(offers(1), want) {
			t.Errorf("lpdesk api --<TAB> lacks %s: %q", want, offers(1))
		}
	}
	if o := offers(1); slices.Contains(o, "-X") || slices.Contains(o, "--server") {
		t.Errorf("lpdesk api --<TAB> offers a shorthand or another command's flag: %q", o)
	}
	for _, want := range []string{"-X", "-H", "-i", "--method"} {
		if !slices.Contains(offers(2), want) {
			t.Errorf("lpdesk api -<TAB> lacks %s: %q", want, offers(2))
		}
	}
	if o := offers(3); !slices.Equal(o, []string{"GET", "POST", "PUT", "DELETE", "PATCH"}) {
		t.Errorf("lpdesk api skills --method <TAB>: %q", o)
	}
	if o := offers(4); !slices.Equal(o, []string{"login", "logout", "status"}) {
		t.Errorf("lpdesk --debug auth <TAB>: %q", o)
	}
	if o := offers(5); !slices.Equal(o, []string{"bash", "zsh", "fish", "powershell"}) {
		t.Errorf("lpdesk completion <TAB>: %q", o)
	}
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Each shell gets its own script; the flags and the shell name are parsed
// without running (runF).
func TestCompletionShells(t *testing.T) {
	for _, sh := range []completion.Shell{completion.Bash, completion.Zsh, completion.Fish, completion.PowerShell} {
		var out, errOut bytes.Buffer
		if code := cli.Main([]string{"completion", string(sh)}, &cmdutil.IOStreams{Out: &out, ErrOut: &errOut}, nil); code != 0 {
			t.Fatalf("%s: exit %d %s", sh, code, errOut.String())
		}
		if !strings.Contains(out.String(), "lpdesk") || !strings.Contains(out.String(), "__complete") {
			t.Errorf("%s script does not call lpdesk __complete:\n%.300s", sh, out.String())
		}
	}

	f := &cmdutil.Factory{IOStreams: &cmdutil.IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}}
	var got *completion.Options
	cmd := completion.NewCmdCompletion(f, func(o *completion.Options) error { got = o; return nil })
	cmdutil.PrepareRoot(cmd, f.IOStreams)
	if _, err := cmdutil.Execute(cmd, []string{"zsh"}); err != nil || got == nil || got.Shell != completion.Zsh || got.Root != cmd {
		t.Fatalf("completion zsh: %v %+v", err, got)
	}
	for _, args := range [][]string{{}, {"tcsh"}, {"bash", "zsh"}} {
		got = nil
		_, err := cmdutil.Execute(cmd, args)
		var fe *cmdutil.FlagError
		if !errors.As(err, &fe) || got != nil {
			t.Errorf("completion %q: %v, ran %v", args, err, got != nil)
		}
	}
}
