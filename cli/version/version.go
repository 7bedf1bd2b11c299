// Package version is `lpdesk version`.
package version

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
)

// Commit is the git commit lpdesk was built from, set by scripts/release.sh
// with -ldflags "-X github.com/lpdesk/lpdesk/cli/version.Commit=…". When it
// is empty, the revision the go command stamped into the binary is used (a
// plain `go build` in a git checkout has one; test binaries have none).
var Commit = ""

// Options are the inputs of `lpdesk version`.
type Options struct {
	IO      *cmdutil.IOStreams
	Version string
}

// NewCmdVersion returns `lpdesk version`, printing version; runF replaces
// the run function in tests.
func NewCmdVersion(f *cmdutil.Factory, version string, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Version: version}
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version",
		Example: "  lpdesk version",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
}

// Format is the version line, shared with the root's --version:
// "lpdesk VERSION (commit C)", or "lpdesk VERSION" when the commit is not
// known.
func Format(version string) string {
	if c := commit(Commit, debug.ReadBuildInfo); c != "" {
		return fmt.Sprintf("lpdesk %s (commit %s)\n", version, c)
	}
	return fmt.Sprintf("lpdesk %s\n", version)
}

// commit is stamped when set, otherwise the build's vcs.revision cut to 12
// characters, with "-dirty" when the work tree had changes.
func commit(stamped string, info func() (*debug.BuildInfo, bool)) string {
	if stamped != "" {
		return stamped
	}
	bi, ok := info()
	if !ok {
		return ""
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" && modified == "true" {
		rev += "-dirty"
	}
	return rev
}

func versionRun(opts *Options) error {
	_, err := fmt.Fprint(opts.IO.Out, Format(opts.Version))
	return err
}
