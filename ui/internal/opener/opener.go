// Package opener opens a web address in the user's browser and says when
// that failed. Fyne's OpenURL on Linux starts xdg-open and never looks at
// how it ended, so a desktop without a browser (or without xdg-open's
// helpers) looked like success; here the opener's failure is an error
// the window can show.
package opener

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"
)

// ErrNoOpener: there is no program to open a browser with. Errors for a
// missing program match it and say which one is missing.
var ErrNoOpener = errors.New("no program to open a web browser")

// missingError is a missing opener program.
type missingError struct{ program string }

func (e *missingError) Error() string        { return e.program + " is not installed" }
func (e *missingError) Is(target error) bool { return target == ErrNoOpener }

// Opener runs a program that opens an address in the browser.
type Opener struct {
	// Command is the program and its leading arguments; the address is
	// added last.
	Command []string
	// Grace is how long the program may take to fail. Openers that
	// start the browser themselves (xdg-open in some desktops) only
	// return when it is closed, so one still running after Grace is taken
	// to have opened the page.
	Grace time.Duration
}

// Default is the platform's opener.
func Default() Opener {
	o := Opener{Grace: 3 * time.Second}
	switch runtime.GOOS {
	case "darwin":
		o.Command = []string{"open"}
	case "windows":
		o.Command = []string{"rundll32", "url.dll,FileProtocolHandler"}
	default:
		o.Command = []string{"xdg-open"}
	}
	return o
}

// maxStderr bounds what is kept of the opener's complaint.
const maxStderr = 512

// Open opens url. It returns ErrNoOpener when the program is not
// installed, and an error quoting the program's message when it exits
// with a failure within Grace.
func (o Opener) Open(ctx context.Context, url string) error {
	if len(o.Command) == 0 {
		return ErrNoOpener
	}
	path, err := exec.LookPath(o.Command[0])
	if err != nil {
		return &missingError{program: o.Command[0]}
	}
	cmd := exec.Command(path, append(o.Command[1:len(o.Command):len(o.Command)], url)...)
	stderr := &capped{max: maxStderr}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", o.Command[0], err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }() // also reaps an opener that outlives Grace
	timer := time.NewTimer(o.Grace)
	defer timer.Stop()
	select {
	case err := <-done:
		if err == nil {
			return nil
		}
		msg := strings.TrimSpace(stderr.String())
		if msg != "" {
			return fmt.Errorf("%s failed with %v: %s", o.Command[0], err, msg)
		}
		return fmt.Errorf("%s failed with %v", o.Command[0], err)
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// capped keeps the first max bytes written to it.
type capped struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}
