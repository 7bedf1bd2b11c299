package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// showDialog shows dlg and remembers it so that Esc can close it.
func (d *desk) showDialog(dlg dialog.Dialog) {
	d.dialogs = append(d.dialogs, dlg)
	dlg.SetOnClosed(func() { d.forgetDialog(dlg) })
	dlg.Show()
}

func (d *desk) forgetDialog(dlg dialog.Dialog) {
	for i, x := range d.dialogs {
		if x == dlg {
			d.dialogs = append(d.dialogs[:i], d.dialogs[i+1:]...)
			return
		}
	}
}

// confirm asks a yes/no question in a dialog Esc can dismiss.
func (d *desk) confirm(title, message, yes string, onYes func()) dialog.Dialog {
	msg := para(message)
	var dlg *dialog.CustomDialog
	yesBtn := widget.NewButton(yes, func() {
		dlg.Hide()
		onYes()
	})
	yesBtn.Importance = widget.DangerImportance
	cancel := widget.NewButton("Cancel", func() { dlg.Hide() })
	dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(msg), d.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, yesBtn})
	dlg.Resize(fyne.NewSize(520, 0))
	d.showDialog(dlg)
	return dlg
}

// showNotice tells the user something in a dialog with an OK button.
func (d *desk) showNotice(title, message string) {
	var dlg *dialog.CustomDialog
	ok := widget.NewButton("OK", func() { dlg.Hide() })
	ok.Importance = widget.HighImportance
	dlg = dialog.NewCustomWithoutButtons(title, para(message), d.win)
	dlg.SetButtons([]fyne.CanvasObject{ok})
	dlg.Resize(fyne.NewSize(520, 0))
	d.showDialog(dlg)
}
