package onboarding

import (
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"runtime"
)

// OpenBrowser opens u (an http(s) URL, such as Flow.AuthorizeURL) in the
// desktop's browser: xdg-open on Linux and the BSDs, open on macOS,
// rundll32's URL handler on Windows. It returns once the opener started;
// the URL goes to the opener as one argument, never through a shell. Only
// pass URLs without secrets: the opener's command line is visible to other
// local processes.
func OpenBrowser(u string) error {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return errors.New("open browser: not an absolute http(s) URL")
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open browser: %w", err)
	}
	// Reap the opener; xdg-open returns quickly, the browser lives on.
	go func() { _ = cmd.Wait() }()
	return nil
}
