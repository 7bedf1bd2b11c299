package main

import (
	"github.com/lpdesk/lpdesk/cli"
	"github.com/lpdesk/lpdesk/cli/demo"
	"github.com/lpdesk/lpdesk/store"
	"github.com/lpdesk/lpdesk/ui"
)

// desktop is the window side of the binary: the Fyne app (ui/) over the same
// core as the command line. It lives in main so that cli/ stays free of cgo.
func desktop() *cli.Desktop {
	return &cli.Desktop{
		HasDisplay: ui.HasDisplay,
		// openStore is the command line's: it honours --keyring-timeout.
		Run: func(openStore func() (*store.Store, error)) error {
			st, err := openStore()
			if err != nil {
				return err
			}
			return ui.Run(ui.Options{ConfigDir: st.Dir()}, ui.NewBackend(ui.BackendConfig{Store: st}))
		},
		Demo: func(info demo.Info) error {
			return ui.Run(ui.Options{
				ConfigDir: info.Store.Dir(),
				Demo: &ui.DemoInfo{
					ConsoleURL: info.ConsoleURL, AdminUser: info.AdminUser, AdminPassword: info.AdminPassword,
					ServerURL: info.Server, AccountID: info.AccountID, Profile: demo.ProfileName,
					KeyringNote: info.KeyringNote,
				},
			}, ui.NewBackend(ui.BackendConfig{Store: info.Store}))
		},
	}
}
