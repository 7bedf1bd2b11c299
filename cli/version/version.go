// Package version is `lpdesk version`.
package version

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/cli/cmdutil"
)

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

// Format is the version line, shared with the root's --version.
func Format(version string) string {
	return fmt.Sprintf("lpdesk %s\n", version)
}

func versionRun(opts *Options) error {
	_, err := fmt.Fprint(opts.IO.Out, Format(opts.Version))
	return err
}
