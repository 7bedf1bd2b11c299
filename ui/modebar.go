package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// modeBar is the window's top bar once an account is open: the switch
// between the resource browser and the agent workspace. The agent side
// counts the chat requests waiting, so they are seen from the browser too.
type modeBar struct {
	d         *desk
	content   *fyne.Container
	resources *widget.Button
	agent     *widget.Button
}

func (d *desk) modes() *modeBar {
	if d.modeBar == nil {
		m := &modeBar{d: d}
		m.resources = widget.NewButtonWithIcon("Resources", theme.StorageIcon(), func() {
			if d.view != viewBrowser {
				d.showBrowser()
			}
		})
		m.agent = widget.NewButtonWithIcon("Agent workspace", theme.AccountIcon(), func() {
			if d.view != viewAgent {
				d.showAgent()
			}
		})
		m.content = container.NewHBox(m.resources, m.agent)
		d.modeBar = m
	}
	return d.modeBar
}

// withModeBar puts the bar above the two main views; the others (wizard,
// editor, settings) are steps of their own.
func (d *desk) withModeBar(v view, content fyne.CanvasObject) fyne.CanvasObject {
	if v != viewBrowser && v != viewAgent {
		return content
	}
	m := d.modes()
	m.update()
	return container.NewBorder(m.content, nil, nil, nil, content)
}

// update marks the current view and counts the waiting requests.
func (m *modeBar) update() {
	m.resources.Importance, m.agent.Importance = widget.LowImportance, widget.LowImportance
	switch m.d.view {
	case viewBrowser:
		m.resources.Importance = widget.HighImportance
	case viewAgent:
		m.agent.Importance = widget.HighImportance
	}
	text := "Agent workspace"
	if n := m.d.ws.waiting(); n > 0 {
		text = fmt.Sprintf("Agent workspace · %d waiting", n)
	}
	m.agent.SetText(text)
	m.resources.Refresh()
	m.agent.Refresh()
}
