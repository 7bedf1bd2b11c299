package cmdutil

import "github.com/spf13/cobra"

// PrepareRoot gives root (lpdesk's root command, or a command a test runs on
// its own) the process's streams and lpdesk's error handling: flag errors
// become FlagError, and cobra prints neither errors nor usage, since
// ExitCode prints the one line.
func PrepareRoot(root *cobra.Command, ios *IOStreams) {
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.SetFlagErrorFunc(flagError)
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
}

// Execute runs root with args and returns the command that ran and its
// error, for ExitCode.
func Execute(root *cobra.Command, args []string) (*cobra.Command, error) {
	if args == nil {
		// Cobra reads os.Args when given nil: in a test, the test
		// binary's own flags.
		args = []string{}
	}
	root.SetArgs(args)
	return root.ExecuteC()
}
