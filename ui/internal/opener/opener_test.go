package opener

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// script is an executable shell script in a temp dir.
func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "opener")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOpenReportsAMissingOpener(t *testing.T) {
	o := Opener{Command: []string{filepath.Join(t.TempDir(), "no-such-xdg-open")}, Grace: time.Minute}
	err := o.Open(context.Background(), "http://x")
	if !errors.Is(err, ErrNoOpener) || !strings.HasSuffix(err.Error(), "no-such-xdg-open is not installed") {
		t.Fatalf("err %v", err)
	}
	if err := (Opener{}).Open(context.Background(), "http://x"); !errors.Is(err, ErrNoOpener) {
		t.Fatalf("no command: %v", err)
	}
}

func TestOpenReportsAFailingOpener(t *testing.T) {
	// As xdg-open does when no browser is configured.
	o := Opener{Command: []string{script(t, `echo "xdg-open: no method available for opening '$1'" >&2; exit 3`)}, Grace: time.Minute}
	err := o.Open(context.Background(), "http://x/authorize")
	if err == nil || !strings.Contains(err.Error(), "failed with exit status 3: xdg-open: no method available for opening 'http://x/authorize'") {
		t.Fatalf("err %v", err)
	}
}

func TestOpenSucceeds(t *testing.T) {
	out := filepath.Join(t.TempDir(), "args")
	o := Opener{Command: []string{script(t, `printf '%s' "$*" >`+out), "--new-window"}, Grace: time.Minute}
	if err := o.Open(context.Background(), "http://x/a b"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "--new-window http://x/a b" {
		t.Fatalf("args %q", b)
	}
}

func TestOpenerStillRunningAfterGraceOpenedThePage(t *testing.T) {
	// An opener that runs the browser in the foreground.
	o := Opener{Command: []string{script(t, `exec sleep 2`)}, Grace: 10 * time.Millisecond}
	if err := o.Open(context.Background(), "http://x"); err != nil {
		t.Fatalf("err %v", err)
	}
}
