package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
	"github.com/lpdesk/lpdesk/logging"
)

func run(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Main(args, &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, nil)
	return code, out.String(), errOut.String()
}

func TestDebugFlagAnywhere(t *testing.T) {
	defer logging.SetDefault(nil)
	code, out, _ := run("version", "--debug")
	if code != 0 || !strings.HasPrefix(out, "lpdesk ") {
		t.Fatalf("--debug after the command: exit %d, %q", code, out)
	}
	if !logging.DebugEnabled() {
		t.Fatal("--debug did not turn debug logging on")
	}
}

func TestNoDisplayIsOneLine(t *testing.T) {
	code, _, errOut := run()
	if code == 0 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "no display") {
		t.Fatalf("want one line about the missing display, got %d %q", code, errOut)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errOut := run("frobnicate")
	if code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("got %d %q", code, errOut)
	}
}
