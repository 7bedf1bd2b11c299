package store

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The profile file cannot be written because the disk is really full or
// really read-only. Root ignores directory permissions, so the test mounts a
// 64 KiB tmpfs in a private mount namespace (unshare -m) and runs the
// scenario there in a child process; where that is not possible it is
// skipped, and TestAtomicWriteFailureKeepsOldFile covers the same paths
// with a failing fsync.
func TestProfileFileOnFullAndReadOnlyDisk(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("mounting a tmpfs needs root; TestAtomicWriteReadOnlyDir covers non-root")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare(1) not installed")
	}
	dir := t.TempDir()
	script := `mount -t tmpfs -o size=64k lpdesk-test "$LPDESK_DISK_DIR" || exit 77; exec "$0" -test.run='^TestHelperDisk$' -test.v`
	cmd := exec.Command("unshare", "-m", "--propagation", "private", "sh", "-c", script, os.Args[0])
	cmd.Env = append(os.Environ(), "LPDESK_DISK_DIR="+dir, "GORACE=atexit_sleep_ms=0")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) && (ee.ExitCode() == 77 || strings.Contains(string(out), "unshare failed")) {
		t.Skipf("cannot mount a tmpfs here: %s", out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestHelperDisk") {
		t.Fatalf("scenario on a tmpfs: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestHelperDisk runs inside the mount namespace, on the 64 KiB tmpfs.
func TestHelperDisk(t *testing.T) {
	dir := os.Getenv("LPDESK_DISK_DIR")
	if dir == "" {
		t.Skip("helper for TestProfileFileOnFullAndReadOnlyDisk")
	}
	kr := NewMemoryKeyring()
	s, _ := Open(dir, kr)
	if err := s.Save(profile("work"), testSecret); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	unchanged := func(what string) {
		t.Helper()
		after, err := os.ReadFile(s.Path())
		if err != nil || !bytes.Equal(before, after) {
			t.Fatalf("%s: profile file changed (%v):\n%s", what, err, after)
		}
		if v, _ := kr.Get("work"); v != testSecret {
			t.Fatalf("%s: secret of the existing profile changed to %q", what, v)
		}
		if _, err := kr.Get("second"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%s: orphan secret for the failed profile: %v", what, err)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != FileName && e.Name() != "filler" {
				t.Fatalf("%s: %s left behind", what, e.Name())
			}
		}
	}

	// Disk full: fill the tmpfs to the last page.
	filler, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("x"), 4096)
	for {
		if _, err := filler.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v", err)
			}
			break
		}
	}
	filler.Close()
	err = s.Save(profile("second"), "second-secret")
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "profile") {
		t.Fatalf("Save on a full disk = %v", err)
	}
	unchanged("new profile on a full disk")
	p := profile("work")
	p.BaseURL += "/changed"
	if err := s.Save(p, "replacement-secret"); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("re-save on a full disk = %v", err)
	}
	unchanged("replaced profile on a full disk")
	if err := s.Delete("work"); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Delete on a full disk = %v", err)
	}
	unchanged("delete on a full disk")

	// Space again: saving works.
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(profile("third"), "third-secret"); err != nil {
		t.Fatalf("Save after freeing space: %v", err)
	}
	if err := s.Delete("third"); err != nil {
		t.Fatal(err)
	}
	before, _ = os.ReadFile(s.Path())

	// Read-only: remount the tmpfs read-only (we are root in our own mount
	// namespace), which root cannot write through.
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v %s", err, out)
	}
	err = s.Save(profile("second"), "second-secret")
	if !errors.Is(err, syscall.EROFS) {
		t.Fatalf("Save on a read-only disk = %v", err)
	}
	unchanged("new profile on a read-only disk")
	if err := s.Delete("work"); !errors.Is(err, syscall.EROFS) {
		t.Fatalf("Delete on a read-only disk = %v", err)
	}
	unchanged("delete on a read-only disk")
	if err := s.SetDefault("work"); !errors.Is(err, syscall.EROFS) {
		t.Fatalf("SetDefault on a read-only disk = %v", err)
	}
	if got, err := s.Get("work"); err != nil || got.Name != "work" {
		t.Fatalf("reading on a read-only disk: %v", err)
	}
}
