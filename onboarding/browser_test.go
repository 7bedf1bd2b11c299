package onboarding

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestOpenBrowserPassesURLAsOneArgument(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("uses a fake xdg-open")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "args")
	script := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + out + ".tmp && mv " + out + ".tmp " + out + "\n"
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	u := "http://127.0.0.1:1/oauth/authorize?oauth_token=a b;$(touch x)&x=1"
	if err := OpenBrowser(u); err != nil {
		t.Fatal(err)
	}
	var got []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(out); err == nil {
			got = b
			break
		}
	}
	if string(got) != u+"\n" {
		t.Fatalf("opener got %q", got)
	}
	if err := OpenBrowser("file:///etc/passwd"); err == nil {
		t.Fatal("file URL accepted")
	}
}
