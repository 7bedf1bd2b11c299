package cmdutil

import (
	"strings"

	"github.com/spf13/cobra"
)

// CompleteProfiles completes --profile with the names in the profile file.
// Listing reads only the file, never the keyring, so a TAB cannot hang on a
// locked keyring.
func CompleteProfiles(f *Factory) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
		st, err := f.Store()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		all, _, err := st.List()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var names []cobra.Completion
		for _, p := range all {
			if strings.HasPrefix(p.Name, prefix) {
				names = append(names, cobra.CompletionWithDesc(p.Name, "account "+p.AccountID))
			}
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteValues completes a flag from a fixed set of values.
func CompleteValues(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}
