package cmdutil

import (
	"slices"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/lpdesk/lpdesk/store"
)

func TestCompleteProfiles(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.NewMemoryKeyring())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"work", "home", "work-eu"} {
		p := store.Profile{Name: name, Server: "http://127.0.0.1:1", BaseURL: "http://127.0.0.1:1/api/account/1", AccountID: "1", ConsumerKey: "k", Token: "t"}
		if err := st.Save(p, "s"); err != nil {
			t.Fatal(err)
		}
	}
	f := &Factory{OpenStore: func(time.Duration) (*store.Store, error) { return store.Open(dir, store.NewMemoryKeyring()) }}
	got, dir2 := CompleteProfiles(f)(nil, nil, "wo")
	if dir2 != cobra.ShellCompDirectiveNoFileComp || !slices.Equal(got, []string{"work\taccount 1", "work-eu\taccount 1"}) {
		t.Fatalf("%q %v", got, dir2)
	}
}
